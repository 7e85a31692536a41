package pe.ruccache.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RucStatesTest {

    @Test
    void putAndGet_manyKeys_surviveGrowth() {
        RucStates states = new RucStates();
        int n = 200_000;
        for (int i = 1; i <= n; i++) {
            states.put(20_000_000_000L + i * 7L, RucStates.pack(RucStates.HIT, i % 31, i % 17, i % 4096));
        }
        assertEquals(n, states.size());
        for (int i = 1; i <= n; i++) {
            int s = states.get(20_000_000_000L + i * 7L);
            assertEquals(RucStates.HIT, RucStates.kind(s));
            assertEquals(i % 31, RucStates.provider(s));
            assertEquals(i % 17, RucStates.reason(s));
            assertEquals(i % 4096, RucStates.detail(s));
        }
        assertEquals(0, states.get(20_000_000_001L));
    }

    @Test
    void put_replacesState() {
        RucStates states = new RucStates();
        states.put(99_999_999_999L, RucStates.pack(RucStates.ERROR, 1, 2, 3));
        states.put(99_999_999_999L, RucStates.pack(RucStates.FETCHED, 4, 0, 0));
        assertEquals(1, states.size());
        assertEquals(RucStates.FETCHED, RucStates.kind(states.get(99_999_999_999L)));
    }

    @Test
    void exchange_returnsTheStateReplaced_zeroForANewKey() {
        RucStates states = new RucStates();
        int error = RucStates.pack(RucStates.ERROR, 1, 2, 3);
        int fetched = RucStates.pack(RucStates.FETCHED, 4, 0, 0);
        assertEquals(0, states.exchange(20100038146L, error));
        assertEquals(error, states.exchange(20100038146L, fetched));
        assertEquals(fetched, states.get(20100038146L));
        assertEquals(1, states.size());
    }
}
