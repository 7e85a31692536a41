package pe.ruccache.bulk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.lookup.LookupService;

/**
 * What a bulk run remembers of the RUCs it has answered, in bounded memory whatever the input's size: for every
 * distinct RUC one packed int ({@link RucStates}: a hit, fetched, stale, ERROR or local answer, and from which
 * provider), the answers of the RUCs seen last, and small tables of the provider names and error details those ints
 * refer to. An answer no longer in memory is rebuilt from the store's entry ({@link #replay}), so a RUC that repeats
 * far apart costs a store read, never a second provider call. Used by the run's thread only.
 */
final class RunMemory {

    /**
     * How many recent answers are kept in memory: a window's worth while no provider call is in flight, under 1 MB;
     * more stays alive long enough at -Xmx64m to be promoted and collected by full collections.
     */
    private static final int RECENT_ANSWERS = 1024;
    /** Provider names beyond this many share index 0 (no name). */
    private static final int MAX_PROVIDERS = 31;
    /** Error details beyond this many share index 0 (the reason still tells). */
    private static final int MAX_DETAILS = 4095;

    private final RucStates states = new RucStates();
    /**
     * The recent answers, direct-mapped: slot {@code hash(key) & mask} holds the last answer whose key maps there, so
     * keeping one costs two array stores (an LRU map boxed a key and linked an entry per row, a twentieth of the
     * run's thread over the padrón); a repeat whose slot was taken since is rebuilt from the store instead.
     */
    private final long[] recentKeys;
    private final Outcome[] recentAnswers;
    private final int recentMask;
    private final List<String> providerNames = new ArrayList<>();
    private final Map<String, Integer> detailIndex = new HashMap<>();
    private final List<String> details = new ArrayList<>();

    /** Creates the memory of a run whose windows hold {@code windowRows} rows. */
    RunMemory(int windowRows) {
        // About a window's worth: enough for repeats close together, small enough for a small heap.
        int slots = Integer.highestOneBit(Math.max(1, Math.min(RECENT_ANSWERS, windowRows)));
        this.recentKeys = new long[slots];
        this.recentAnswers = new Outcome[slots];
        this.recentMask = slots - 1;
    }

    /** Returns the packed state of the RUC (or invalid value) {@code key}; 0 when this run has not seen it. */
    int state(long key) {
        return states.get(key);
    }

    /** Notes that the locally invalid value {@code key} entered the invalid registry in this run. */
    void rememberLocal(long key) {
        states.put(key, RucStates.pack(RucStates.LOCAL, 0, 0, 0));
    }

    /** Notes the answer {@code o} for the RUC {@code key}; returns the state it had before (0 for none). */
    int remember(long key, Outcome o) {
        return states.exchange(key, stateOf(o));
    }

    /** Keeps a written answer among the recent ones (an ERROR is never kept: it is rebuilt from its state). */
    void keepRecent(long key, Outcome answer) {
        if (answer.status() != Status.ERROR) {
            int slot = recentSlot(key);
            recentKeys[slot] = key;
            recentAnswers[slot] = answer;
        }
    }

    /**
     * Returns this run's earlier answer to {@code ruc}, whose state is {@code state}, when memory holds it (an
     * ERROR, or a recent answer); null when it must be rebuilt from the store with {@link #replay}.
     */
    Outcome earlier(Ruc ruc, long key, int state) {
        if (RucStates.kind(state) == RucStates.ERROR) {
            return errorOutcome(ruc, state);
        }
        int slot = recentSlot(key);
        return recentKeys[slot] == key ? recentAnswers[slot] : null;
    }

    private int recentSlot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & recentMask;
    }

    /** Returns the answer this run gave before, rebuilt from the store; null when its entry is gone. */
    Outcome replay(int state, List<CacheEntry> entries) {
        String provider = providerName(RucStates.provider(state));
        if (entries == null || provider == null) {
            return null;
        }
        for (CacheEntry e : entries) {
            if (e.provider().equals(provider)) {
                return switch (RucStates.kind(state)) {
                    case RucStates.FETCHED -> LookupService.fromAnswer(e);
                    case RucStates.STALE -> LookupService.fromEntry(e, true);
                    default -> LookupService.fromEntry(e, false);
                };
            }
        }
        return null;
    }

    private int stateOf(Outcome o) {
        if (o.status() == Status.ERROR) {
            return RucStates.pack(RucStates.ERROR, providerIndex(o.provider()), o.reason().ordinal(),
                    detailIndex(o.detail()));
        }
        int provider = providerIndex(o.provider());
        if (o.stale()) {
            return RucStates.pack(RucStates.STALE, provider, 0, 0);
        }
        return RucStates.pack(Outcome.SOURCE_CACHE.equals(o.source()) ? RucStates.HIT : RucStates.FETCHED,
                provider, 0, 0);
    }

    private Outcome errorOutcome(Ruc ruc, int state) {
        String provider = providerName(RucStates.provider(state));
        Reason reason = Reason.values()[RucStates.reason(state)];
        int d = RucStates.detail(state);
        String detail = d == 0 ? reason.name().toLowerCase(Locale.ROOT) : details.get(d - 1);
        return provider == null ? Outcome.error(null, ruc.value(), reason, detail)
                : new Outcome(null, ruc.value(), Status.ERROR, reason, detail, null, provider, provider, null,
                        null, false);
    }

    /** Returns a small number for a provider name (0 for none); names beyond {@link #MAX_PROVIDERS} share 0. */
    private int providerIndex(String name) {
        if (name == null) {
            return 0;
        }
        int i = providerNames.indexOf(name);
        if (i < 0) {
            if (providerNames.size() == MAX_PROVIDERS) {
                return 0;
            }
            providerNames.add(name);
            i = providerNames.size() - 1;
        }
        return i + 1;
    }

    private String providerName(int index) {
        return index == 0 ? null : providerNames.get(index - 1);
    }

    /** Returns a small number for an error's detail (0 when the table is full: the reason still tells). */
    private int detailIndex(String detail) {
        if (detail == null) {
            return 0;
        }
        Integer i = detailIndex.get(detail);
        if (i == null) {
            if (details.size() == MAX_DETAILS) {
                return 0;
            }
            details.add(detail);
            i = details.size();
            detailIndex.put(detail, i);
        }
        return i;
    }
}
