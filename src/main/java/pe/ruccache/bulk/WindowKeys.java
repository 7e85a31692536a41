package pe.ruccache.bulk;

import java.util.Arrays;

/**
 * The distinct RUCs of one window, each mapped to a number (its slot's position): an open-addressing table of
 * primitive longs, cleared and reused window after window, so that telling repeats apart costs no boxed key and no
 * map entry per row. Keys are positive (a RUC's 11 digits); used by one thread.
 */
final class WindowKeys {

    private long[] keys = new long[16];
    private int[] values = new int[16];
    private int size;

    /** Empties the table, sized for up to {@code rows} keys. */
    void reset(int rows) {
        int capacity = Integer.highestOneBit(Math.max(8, rows) * 2 - 1) << 1;
        if (keys.length < capacity) {
            keys = new long[capacity];
            values = new int[capacity];
        } else {
            Arrays.fill(keys, 0L);
        }
        size = 0;
    }

    /** Returns the number recorded for {@code key}, or -1 when it was not put since the last reset. */
    int get(long key) {
        int mask = keys.length - 1;
        for (int i = index(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    /** Records {@code value} for {@code key}, which is not in the table; at most the reset's number of rows. */
    void put(long key, int value) {
        if (key <= 0) {
            throw new IllegalArgumentException("not a RUC: " + key);
        }
        if ((size + 1) * 2 > keys.length) {
            throw new IllegalStateException("more keys than the window's rows");
        }
        int mask = keys.length - 1;
        int i = index(key, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    private static int index(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }
}
