package pe.ruccache.bulk;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Sorts a window's RUCs into the store's key order (so its reads walk the B-tree forwards) as numbers rather than as
 * strings: RUCs of 11 digits compare as their values do, and sorting longs packed with their positions costs a
 * fraction of sorting strings by comparison (measured: string comparisons were a fifth of the store readers' time
 * over the padrón).
 */
final class RucOrder {

    private static final int INDEX_BITS = 26;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final int DIGITS = 11;

    private RucOrder() {
    }

    /** Sorts {@code rucs} in place as {@link Collections#sort} would; any that is not 11 digits sorts them so. */
    static void sort(List<String> rucs) {
        int n = rucs.size();
        if (n > INDEX_MASK) {
            Collections.sort(rucs);
            return;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long value = digits(rucs.get(i));
            if (value < 0) {
                Collections.sort(rucs);
                return;
            }
            keys[i] = value << INDEX_BITS | i;
        }
        Arrays.sort(keys);
        Object[] before = rucs.toArray();
        for (int i = 0; i < n; i++) {
            rucs.set(i, (String) before[(int) (keys[i] & INDEX_MASK)]);
        }
    }

    /** Returns the value of {@code s} when it is 11 ASCII digits, else -1. */
    private static long digits(String s) {
        if (s.length() != DIGITS) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < DIGITS; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
