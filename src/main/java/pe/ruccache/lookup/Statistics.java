package pe.ruccache.lookup;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import pe.ruccache.cache.StoreSummary;

/**
 * Everything {@code stats} reports: what the store holds now, what the counters say it saved over all runs,
 * and the settings that shape it.
 *
 * @param at when the figures were taken
 * @param store what the store holds
 * @param counters the persistent counters (including this run's)
 * @param ttlValid the valid TTL in force
 * @param ttlInvalid the invalid TTL in force
 * @param location where the store lives
 * @param sizeBytes its size, when known
 */
public record Statistics(
        Instant at,
        StoreSummary store,
        Map<String, Long> counters,
        Duration ttlValid,
        Duration ttlInvalid,
        String location,
        OptionalLong sizeBytes) {

    /** Copies the counters, sorted. */
    public Statistics {
        counters = Map.copyOf(counters);
    }

    /** Returns the value of a counter, zero when it was never counted. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Returns the share of lookups of well-formed RUCs served from cache, from 0 to 1; 0 when none were made. */
    public double hitRate() {
        long hits = counter(Counters.CACHE_HITS);
        long total = hits + counter(Counters.CACHE_MISSES);
        return total == 0 ? 0 : (double) hits / total;
    }

    /** Returns upstream calls by provider, then by outcome ({@code found}, {@code not_found}, an error reason). */
    public Map<String, Map<String, Long>> upstreamCalls() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counters.forEach((name, value) -> {
            if (name.startsWith(Counters.UPSTREAM_PREFIX)) {
                String rest = name.substring(Counters.UPSTREAM_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    out.computeIfAbsent(rest.substring(0, dot), k -> new TreeMap<>())
                            .merge(rest.substring(dot + 1), value, Long::sum);
                }
            }
        });
        return out;
    }

    /** Returns every upstream call counted, all providers and outcomes. */
    public long upstreamTotal() {
        return upstreamCalls().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }
}
