package pe.ruccache.cache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import pe.ruccache.cache.CacheEntry;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.params.SetParams;

/**
 * Stores answers: each under its key with a TTL that keeps it a grace period past its expiry, so that until then it
 * can still be served stale, its provider registered in the same transaction.
 */
final class RedisWrites {

    /** The longest Redis keeps a key: answers "valid for a century" still get a TTL, so eviction stays predictable. */
    private static final long MAX_RETENTION_MILLIS = Duration.ofDays(36_525).toMillis();

    private final RedisConnection connection;
    private final RedisKeys keys;
    private final RedisProviders providers;
    private final Duration grace;
    private final Clock clock;

    RedisWrites(RedisConnection connection, RedisKeys keys, RedisProviders providers, Duration grace, Clock clock) {
        this.connection = connection;
        this.keys = keys;
        this.providers = providers;
        this.grace = grace;
        this.clock = clock;
    }

    /** Stores every entry in one MULTI/EXEC transaction: all of them or, when Redis refuses one, none. */
    void putAll(Collection<CacheEntry> entries) {
        List<CacheEntry> copy = List.copyOf(entries);
        if (copy.isEmpty()) {
            return;
        }
        copy.forEach(RedisWrites::checkStorable);
        connection.call(() -> {
            write(copy);
            return null;
        });
    }

    private void write(List<CacheEntry> entries) {
        Set<String> newProviders = new TreeSet<>();
        for (CacheEntry e : entries) {
            newProviders.add(e.provider());
        }
        long now = clock.millis();
        try (AbstractTransaction tx = connection.client().multi()) {
            // The provider is registered before its answer, in the same transaction: no answer is ever unlisted.
            tx.sadd(keys.providers(), newProviders.toArray(new String[0]));
            for (CacheEntry e : entries) {
                byte[] key = keys.entryBytes(e.provider(), e.ruc());
                long retention = retentionMillis(e, now);
                if (retention > 0) {
                    tx.set(key, EntryCodec.encode(e), SetParams.setParams().px(retention));
                } else {
                    // Past its grace period already: the put leaves no entry, as Redis would a moment later.
                    tx.unlink(key);
                }
            }
            RedisConnection.checkResults(tx.exec());
        }
        providers.learn(newProviders);
    }

    /**
     * Returns how many milliseconds from {@code now} Redis keeps {@code entry}: until it expires plus the grace
     * period. Computed from the caller's clock rather than as an absolute PEXPIREAT, so that a client clock a few
     * seconds off the server's shifts nothing but those seconds.
     */
    long retentionMillis(CacheEntry entry, long now) {
        long until = saturatedAdd(EntryCodec.millis(entry.expiresAt()), grace.toMillis());
        long retention = saturatedAdd(until, -now);
        return Math.min(retention, MAX_RETENTION_MILLIS);
    }

    private static void checkStorable(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.provider().equals(RedisKeys.HEALTH_PROVIDER)) {
            throw new IllegalArgumentException("reserved provider name: " + entry.provider());
        }
        String problem = RedisKeys.providerProblem(entry.provider());
        if (problem == null) {
            problem = RedisKeys.rucProblem(entry.ruc());
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow happened when both operands have the sign the sum lacks.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }
}
