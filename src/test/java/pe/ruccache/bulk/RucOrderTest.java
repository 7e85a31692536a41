package pe.ruccache.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RucOrderTest {

    @Test
    void sortsRucsAsStringsDo() {
        Random random = new Random(12);
        for (int round = 0; round < 50; round++) {
            List<String> rucs = new ArrayList<>();
            int n = random.nextInt(3000);
            for (int i = 0; i < n; i++) {
                // Repeats, and leading zeros' neighbours: 10, 15, 17 and 20 prefixes as the real ones.
                long value = random.nextInt(4) == 0 && i > 0 ? Long.parseLong(rucs.get(random.nextInt(i)))
                        : (long) (random.nextDouble() * 99_999_999_999L);
                rucs.add(String.format("%011d", value));
            }
            assertSortedAsStrings(rucs);
        }
    }

    @Test
    void anythingElseFallsBackToSortingStrings() {
        assertSortedAsStrings(new ArrayList<>(List.of("20100038146", "2010003814", "20100038147", "x")));
        assertSortedAsStrings(new ArrayList<>(List.of("20100038146", "2010003814a", "10000000001")));
        assertSortedAsStrings(new ArrayList<>(List.of("201000381460", "20100038146")));
        assertSortedAsStrings(new ArrayList<>());
    }

    private static void assertSortedAsStrings(List<String> rucs) {
        List<String> expected = new ArrayList<>(rucs);
        Collections.sort(expected);
        RucOrder.sort(rucs);
        assertEquals(expected, rucs);
    }
}
