package pe.ruccache.lookup;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import pe.ruccache.cache.Store;
import pe.ruccache.upstream.ProviderAnswer;

/**
 * What one run did, counted in memory and added to the store's persistent counters by {@link #flushTo(Store)}.
 * Safe for use by several threads.
 */
public final class Counters {

    /** RUCs looked up, locally invalid ones included: each is exactly one of a hit, a miss or a local check. */
    public static final String LOOKUPS = "lookups";
    /** Answers served from memory or the store while fresh. */
    public static final String CACHE_HITS = "cache_hits";
    /** Locally valid RUCs with no fresh cached answer. */
    public static final String CACHE_MISSES = "cache_misses";
    /** Expired answers served because every provider failed or the run was offline. */
    public static final String STALE_SERVED = "stale_served";
    /** Upstream calls avoided because the local checks already said INVALID. */
    public static final String SAVED_BY_LOCAL_CHECK = "saved_by_local_check";
    /** Prefix of the per-provider, per-outcome upstream call counters: {@code upstream.migo.found}. */
    public static final String UPSTREAM_PREFIX = "upstream.";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();

    /** Adds one to {@code name}. */
    public void increment(String name) {
        counts.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** Counts one upstream call to {@code provider} that ended in {@code outcome} (found, not_found, an error). */
    public void upstreamCall(String provider, String outcome) {
        requests.increment();
        increment(UPSTREAM_PREFIX + provider + "." + outcome.toLowerCase(Locale.ROOT));
    }

    /** Counts one HTTP request to a provider by its answer: found, not_found, or the failure's reason. */
    public void upstreamCall(ProviderAnswer answer) {
        String outcome;
        if (answer instanceof ProviderAnswer.Failed failed) {
            outcome = failed.reason().name();
        } else {
            outcome = answer instanceof ProviderAnswer.Found ? "found" : "not_found";
        }
        upstreamCall(answer.provider(), outcome);
    }

    /** Returns every upstream request counted in this run, flushed or not: for the run's own summary. */
    public long requestsThisRun() {
        return requests.sum();
    }

    /** Returns the value of {@code name} in this run. */
    public long get(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Returns every counter of this run, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Forgets what this run counted and not yet flushed. */
    public void clear() {
        counts.clear();
    }

    /** Adds what this run counted to the store and starts counting from zero. */
    public void flushTo(Store store) {
        Map<String, Long> deltas = new TreeMap<>();
        counts.forEach((k, v) -> {
            long n = v.sumThenReset();
            if (n != 0) {
                deltas.put(k, n);
            }
        });
        if (!deltas.isEmpty()) {
            try {
                store.addToCounters(deltas);
            } catch (RuntimeException e) {
                // Put the deltas back so a later flush can retry; counting must never lose history silently.
                deltas.forEach((k, n) -> counts.computeIfAbsent(k, x -> new LongAdder()).add(n));
                throw e;
            }
        }
    }
}
