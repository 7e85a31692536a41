package pe.ruccache.cache.redis;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.UnifiedJedis;

/**
 * The store on a Redis server shared by several machines (docs/DESIGN.md §5). Each answer is one string key,
 * {@code <prefix>:<provider>:ruc:<ruc>}, holding the compact value of {@link EntryCodec}; Redis deletes it by itself
 * a grace period after the answer expires, so that until then it can still be served stale when every provider
 * fails. Counters are a hash under the same prefix, and a set lists every provider that ever stored an answer, so
 * that looking up a RUC reads exactly the keys that can exist, in one round trip.
 *
 * <p>Connections come from a pool with explicit timeouts, so one instance is safe for several threads. Stats and
 * scoped clears walk the keys with {@code SCAN}, never {@code KEYS}, and read or delete them in pipelined batches;
 * a clear that depends on values (expired, by status or reason) deletes a key only if it still holds the value that
 * was read, so an answer another process refreshed meanwhile is never lost. Every failure is a one-line
 * {@link StoreException} naming the server without its password.
 *
 * <p>This class composes parts with one job each: {@link RedisConnection} (the pool, TLS, auth, the open-store guard),
 * {@link RedisLayout} (the version marker), {@link RedisProviders} (the providers set), {@link RedisReads} (reads by
 * key, in pipelined batches), {@link RedisWrites} (stores with TTLs), {@link RedisSelections} over {@link RedisScan}
 * (list, remove and summarize) and {@link RedisCounters}.
 */
public final class RedisStore implements Store {

    /** Keys asked for per SCAN call (see {@link RedisScan}). */
    static final int SCAN_COUNT = RedisScan.SCAN_COUNT;

    /** The conditional delete that value-dependent clears send (see {@link RedisSelections}). */
    static final byte[] DELETE_IF_UNCHANGED = RedisSelections.DELETE_IF_UNCHANGED;

    private final RedisOptions options;
    private final RedisKeys keys;
    private final RedisConnection connection;
    private final RedisProviders providers;
    private final RedisReads reads;
    private final RedisWrites writes;
    private final RedisSelections selections;
    private final RedisCounters counters;

    /** Guards the structures below, which are created on first use: most commands never need them. */
    private final Object sharedLock = new Object();
    private RedisSingleFlight singleFlight;
    private SharedRateLimits rateLimits;

    private RedisStore(RedisConnection connection, RedisOptions options, Clock clock) {
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.connection = connection;
        this.providers = new RedisProviders(connection, keys);
        this.reads = new RedisReads(connection, keys, providers);
        this.writes = new RedisWrites(connection, keys, providers, options.grace(), clock);
        this.selections = new RedisSelections(connection, keys, providers, reads, new RedisScan(connection, keys));
        this.counters = new RedisCounters(connection, keys);
    }

    /**
     * Connects to the server at {@code location} and checks the layout version under the prefix, writing the
     * version marker if there is none yet; throws StoreException naming the server (without password) when it
     * cannot be used. The password in the URI wins over the one in {@code options}.
     *
     * @param clock the time source; answers are kept {@code expiresAt + grace - now} more milliseconds
     */
    public static RedisStore open(RedisLocation location, RedisOptions options, Clock clock) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        RedisConnection connection = RedisConnection.open(location, options);
        RedisStore store = new RedisStore(connection, options, clock);
        try {
            RedisLayout.check(connection, store.keys, store.providers);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw connection.failure().translate(e);
        }
    }

    @Override
    public String location() {
        return connection.location().display() + " (prefix " + keys.prefix() + ")";
    }

    /** Returns the server's address without password. */
    public RedisLocation server() {
        return connection.location();
    }

    /** Returns the options this store runs with. */
    public RedisOptions options() {
        return options;
    }

    @Override
    public List<CacheEntry> find(String ruc) {
        return reads.find(ruc);
    }

    @Override
    public Map<String, List<CacheEntry>> findAll(Collection<String> rucs) {
        return reads.findAll(rucs);
    }

    @Override
    public void put(CacheEntry entry) {
        putAll(List.of(entry));
    }

    /** Stores every entry in one MULTI/EXEC transaction: all of them or, when Redis refuses one, none. */
    @Override
    public void putAll(Collection<CacheEntry> entries) {
        writes.putAll(entries);
    }

    @Override
    public List<CacheEntry> list(Selection selection, int limit) {
        return selections.list(selection, limit);
    }

    @Override
    public long remove(Selection selection) {
        return selections.remove(selection);
    }

    @Override
    public StoreSummary summarize(Instant now) {
        return selections.summarize(now);
    }

    /** Adds every delta in one transaction, so that a failed flush adds nothing and can be retried whole. */
    @Override
    public void addToCounters(Map<String, Long> deltas) {
        counters.add(deltas);
    }

    @Override
    public Map<String, Long> counters() {
        return counters.read();
    }

    /** Returns nothing: Redis cannot tell cheaply how much memory one prefix takes on a shared server. */
    @Override
    public OptionalLong sizeBytes() {
        return OptionalLong.empty();
    }

    /**
     * Returns {@code store.connection}, {@code store.roundtrip}, {@code store.integrity}, {@code store.memory}
     * (whether the eviction policy could drop what ruc-cache cannot rebuild) and {@code store.latency}.
     */
    @Override
    public List<HealthCheck> checkHealth() {
        return new RedisHealth(this).run();
    }

    /**
     * Returns the single-flight that makes the processes using this Redis ask the providers about a RUC once between
     * them; created on first use, closed with the store.
     */
    @Override
    public SingleFlight singleFlight() {
        synchronized (sharedLock) {
            if (singleFlight == null) {
                singleFlight = new RedisSingleFlight(this, RedisSingleFlight.leaseFor(options));
            }
            return singleFlight;
        }
    }

    /**
     * Returns the request-rate buckets that every process using this Redis shares; the first call reads the server's
     * clock, which times the buckets' refills.
     *
     * @throws StoreException when the server cannot be reached
     */
    public SharedRateLimits rateLimits() {
        synchronized (sharedLock) {
            if (rateLimits == null) {
                rateLimits = new SharedRateLimits(this, System::nanoTime);
            }
            return rateLimits;
        }
    }

    /** Returns the bucket of {@code provider} in Redis, shared by every process using this store. */
    @Override
    public Bucket sharedRateBucket(String provider, BucketConfiguration configuration) {
        return rateLimits().bucket(provider, configuration);
    }

    @Override
    public void close() {
        if (connection.isClosed()) {
            return;
        }
        RedisSingleFlight flights;
        synchronized (sharedLock) {
            flights = singleFlight;
        }
        if (flights != null) {
            // Before the connection closes: it releases the claims this process still holds.
            flights.close();
        }
        connection.close();
    }

    // ---- for the health checks and the shared structures of this package (rate limits, single-flight) -------

    /** Returns the pooled client, for other shared structures kept in this Redis. */
    UnifiedJedis client() {
        return connection.client();
    }

    /** Returns the key layout under the prefix. */
    RedisKeys keys() {
        return keys;
    }

    /** Returns the translator of failures into StoreExceptions for this server. */
    RedisFailure failure() {
        return connection.failure();
    }

    /** Runs {@code work} on the open store; Redis failures become StoreExceptions. */
    <T> T redis(RedisConnection.Work<T> work) {
        return connection.call(work);
    }
}
