package pe.ruccache.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowKeysTest {

    @Test
    void getReturnsWhatWasPut_minusOneForOthers_againstAHashMap() {
        WindowKeys keys = new WindowKeys();
        SplittableRandom random = new SplittableRandom(7);
        for (int window = 0; window < 5; window++) {
            int rows = 1 + random.nextInt(5000);
            keys.reset(rows);
            Map<Long, Integer> expected = new HashMap<>();
            for (int i = 0; i < rows; i++) {
                // Consecutive RUCs, as sorted exports have, and random ones, with repeats.
                long key = random.nextBoolean() ? 20100000000L + i : 10000000000L + random.nextLong(99999999999L);
                if (keys.get(key) < 0) {
                    assertEquals(null, expected.get(key), "a key put before was reported absent: " + key);
                    expected.put(key, expected.size());
                    keys.put(key, expected.get(key));
                }
            }
            for (Map.Entry<Long, Integer> e : expected.entrySet()) {
                assertEquals(e.getValue(), keys.get(e.getKey()));
            }
            assertEquals(-1, keys.get(99999999999L + 1), "never put");
        }
    }

    @Test
    void resetForgetsEveryKey() {
        WindowKeys keys = new WindowKeys();
        keys.reset(3);
        keys.put(20100038146L, 0);
        keys.reset(3);
        assertEquals(-1, keys.get(20100038146L));
    }

    @Test
    void moreKeysThanRows_refusedRatherThanLoopingForever() {
        WindowKeys keys = new WindowKeys();
        keys.reset(1);
        int capacityHalf = 8;
        for (int i = 0; i < capacityHalf - 1; i++) {
            keys.put(20100000000L + i, i);
        }
        assertThrows(IllegalStateException.class, () -> {
            for (int i = capacityHalf; i < 100; i++) {
                keys.put(20100000000L + i, i);
            }
        });
        assertThrows(IllegalArgumentException.class, () -> keys.put(0, 1));
    }
}
