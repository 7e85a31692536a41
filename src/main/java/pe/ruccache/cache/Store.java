package pe.ruccache.cache;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import pe.ruccache.core.HealthCheck;

/**
 * Keeps answers between runs. Every implementation obeys the same contract (tested by one suite): entries are keyed
 * by (ruc, provider), a put replaces the entry with the same key, expired entries stay until removed (they may be
 * served stale), and counters only grow: {@link #remove(Selection)} removes entries, never counters, because
 * counters record history, not content. (The Redis store also lets Redis drop an entry a configured grace period
 * after it expires: a shared server's memory is not a file's disk.)
 *
 * <p>Implementations are safe for use by several threads and by several processes at once. Every failure to read
 * or write is a {@link pe.ruccache.core.StoreException} with a message a user can act on.
 */
public interface Store extends AutoCloseable {

    /** Returns where the store lives, for messages and {@code stats}: a file path or a URI without password. */
    String location();

    /** Returns every stored entry of {@code ruc}, one per provider, in no particular order. */
    List<CacheEntry> find(String ruc);

    /** Returns the stored entries of each of {@code rucs} that has any; RUCs with none are absent from the map. */
    Map<String, List<CacheEntry>> findAll(Collection<String> rucs);

    /** Stores {@code entry}, replacing the entry with the same RUC and provider. Durable when it returns. */
    void put(CacheEntry entry);

    /** Stores every entry as {@link #put} would, in one transaction where the store has them. */
    void putAll(Collection<CacheEntry> entries);

    /** Returns the selected entries, newest {@code fetchedAt} first, at most {@code limit} of them. */
    List<CacheEntry> list(Selection selection, int limit);

    /** Removes the selected entries and returns how many were removed. */
    long remove(Selection selection);

    /** Returns what the store holds, counted as of {@code now}. */
    StoreSummary summarize(Instant now);

    /** Adds {@code deltas} to the named persistent counters, creating those that do not exist. */
    void addToCounters(Map<String, Long> deltas);

    /** Returns every persistent counter. */
    Map<String, Long> counters();

    /** Returns the size the store occupies in bytes, when it can tell. */
    OptionalLong sizeBytes();

    /**
     * Runs the store's own health checks: connection, a write/read/delete round trip, and integrity (schema
     * version and the backend's consistency check). Never throws for a failing check; reports it.
     */
    List<HealthCheck> checkHealth();

    /**
     * Returns how processes sharing this store decide which of them asks the providers about a RUC none has an
     * answer for; {@link SingleFlight#none()} (each asks) unless the store is shared between machines.
     */
    default SingleFlight singleFlight() {
        return SingleFlight.none();
    }

    /**
     * Returns the request-rate bucket of {@code provider} that every process using this store shares, or null when
     * the store shares none (each process then paces its own requests).
     *
     * @throws pe.ruccache.core.StoreException when the store cannot be reached
     */
    default Bucket sharedRateBucket(String provider, BucketConfiguration configuration) {
        return null;
    }

    /** Releases connections and files; never throws a checked exception. */
    @Override
    void close();
}
