package pe.ruccache.cache.redis;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import pe.ruccache.cache.StoreArguments;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.AbstractTransaction;

/** The usage counters of every process using the prefix: one hash, {@code <prefix>:counters}. */
final class RedisCounters {

    private final RedisConnection connection;
    private final RedisKeys keys;

    RedisCounters(RedisConnection connection, RedisKeys keys) {
        this.connection = connection;
        this.keys = keys;
    }

    /** Adds every delta in one transaction, so that a failed flush adds nothing and can be retried whole. */
    void add(Map<String, Long> deltas) {
        Map<String, Long> copy = StoreArguments.counterDeltas(deltas);
        if (copy.isEmpty()) {
            return;
        }
        connection.call(() -> {
            try (AbstractTransaction tx = connection.client().multi()) {
                copy.forEach((name, delta) -> tx.hincrBy(keys.counters(), name, delta));
                RedisConnection.checkResults(tx.exec());
            }
            return null;
        });
    }

    /** Returns every counter by name, sorted. */
    Map<String, Long> read() {
        return connection.call(() -> {
            Map<String, Long> counters = new TreeMap<>();
            for (Map.Entry<String, String> e : connection.client().hgetAll(keys.counters()).entrySet()) {
                try {
                    counters.put(e.getKey(), Long.parseLong(e.getValue()));
                } catch (NumberFormatException notANumber) {
                    throw new StoreException("the counter " + e.getKey() + " in " + keys.counters() + " at "
                            + connection.location().display() + " is not a number; another application may use "
                            + "the prefix " + keys.prefix() + ": choose another one (RUC_CACHE_REDIS_PREFIX)");
                }
            }
            return Collections.unmodifiableMap(counters);
        });
    }
}
