package pe.ruccache.bulk;

/**
 * What this run answered for each distinct RUC, in one long per RUC so that a million of them fit in a small heap:
 * the RUC's 11 digits (37 bits) beside a 27-bit state. Answers themselves stay in the store and are read again when
 * a RUC repeats; only what the store cannot tell (an ERROR, which is never stored, or which stored entry this run
 * used) is kept here. An open-addressing hash table in segments of 256 KiB, so that growing it never needs one
 * large contiguous array (which a small G1 heap may have no room for); used by one thread.
 */
final class RucStates {

    /** The stored entry of the recorded provider answered from the cache. */
    static final int HIT = 1;
    /** The recorded provider answered in this run; its entry is stored. */
    static final int FETCHED = 2;
    /** The recorded provider's expired entry was served stale. */
    static final int STALE = 3;
    /** The answer was an ERROR with the recorded reason, detail and provider. */
    static final int ERROR = 4;
    /** A locally invalid value, already put in the invalid registry in this run. */
    static final int LOCAL = 5;

    private static final int KEY_BITS = 37;
    private static final long KEY_MASK = (1L << KEY_BITS) - 1;
    private static final int MIN_CAPACITY = 1 << 12;
    private static final int SEGMENT_BITS = 15;
    private static final int SEGMENT = 1 << SEGMENT_BITS;

    private long[][] segments = allocate(MIN_CAPACITY);
    private int capacity = MIN_CAPACITY;
    private int size;

    /** Returns how many RUCs are recorded. */
    int size() {
        return size;
    }

    /** Returns the packed state of {@code ruc} (see {@link #pack}), or 0 when it was not seen. */
    int get(long ruc) {
        int mask = capacity - 1;
        for (int i = index(ruc, mask); ; i = (i + 1) & mask) {
            long slot = slot(segments, i);
            if (slot == 0) {
                return 0;
            }
            if ((slot & KEY_MASK) == ruc) {
                return (int) (slot >>> KEY_BITS);
            }
        }
    }

    /** Records {@code state} (non-zero, see {@link #pack}) for {@code ruc}, replacing any earlier state. */
    void put(long ruc, int state) {
        exchange(ruc, state);
    }

    /**
     * Records {@code state} (non-zero, see {@link #pack}) for {@code ruc} and returns the state it replaces, 0 for
     * none: one probe of the table where a {@link #get} and a {@link #put} would take two.
     */
    int exchange(long ruc, int state) {
        if (ruc <= 0 || ruc > KEY_MASK) {
            throw new IllegalArgumentException("not an 11-digit RUC: " + ruc);
        }
        if (state <= 0 || state >= 1 << (Long.SIZE - KEY_BITS)) {
            throw new IllegalArgumentException("bad state: " + state);
        }
        if ((size + 1) * 10L > capacity * 7L) {
            grow();
        }
        long packed = ((long) state << KEY_BITS) | ruc;
        int mask = capacity - 1;
        for (int i = index(ruc, mask); ; i = (i + 1) & mask) {
            long slot = slot(segments, i);
            if (slot == 0) {
                segments[i >>> SEGMENT_BITS][i & (SEGMENT - 1)] = packed;
                size++;
                return 0;
            }
            if ((slot & KEY_MASK) == ruc) {
                segments[i >>> SEGMENT_BITS][i & (SEGMENT - 1)] = packed;
                return (int) (slot >>> KEY_BITS);
            }
        }
    }

    /** Returns a state: kind (3 bits), provider (5 bits), reason (5 bits), detail (12 bits); see the accessors. */
    static int pack(int kind, int provider, int reason, int detail) {
        if (kind < 1 || kind > 7 || provider < 0 || provider > 31 || reason < 0 || reason > 31 || detail < 0
                || detail > 4095) {
            throw new IllegalArgumentException("state out of range");
        }
        return kind | provider << 3 | reason << 8 | detail << 13;
    }

    /** Returns the kind of a state: {@link #HIT}, {@link #FETCHED}, {@link #STALE}, {@link #ERROR}, {@link #LOCAL}. */
    static int kind(int state) {
        return state & 7;
    }

    /** Returns the provider number of a state (0: none). */
    static int provider(int state) {
        return state >>> 3 & 31;
    }

    /** Returns the ordinal of an ERROR state's reason. */
    static int reason(int state) {
        return state >>> 8 & 31;
    }

    /** Returns the number of an ERROR state's detail text (0: none kept). */
    static int detail(int state) {
        return state >>> 13 & 4095;
    }

    private void grow() {
        long[][] old = segments;
        int newCapacity = capacity * 2;
        long[][] grown = allocate(newCapacity);
        int mask = newCapacity - 1;
        for (int s = 0; s < old.length; s++) {
            for (long slot : old[s]) {
                if (slot != 0) {
                    int i = index(slot & KEY_MASK, mask);
                    while (slot(grown, i) != 0) {
                        i = (i + 1) & mask;
                    }
                    grown[i >>> SEGMENT_BITS][i & (SEGMENT - 1)] = slot;
                }
            }
            // Each old segment can be collected as soon as it is copied.
            old[s] = null;
        }
        segments = grown;
        capacity = newCapacity;
    }

    private static long[][] allocate(int capacity) {
        int perSegment = Math.min(capacity, SEGMENT);
        long[][] out = new long[capacity / perSegment][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[perSegment];
        }
        return out;
    }

    private static long slot(long[][] table, int i) {
        return table[i >>> SEGMENT_BITS][i & (SEGMENT - 1)];
    }

    private static int index(long key, int mask) {
        // Murmur3's finaliser: consecutive RUCs must not land in consecutive slots.
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
