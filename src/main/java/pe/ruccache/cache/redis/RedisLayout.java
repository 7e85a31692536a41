package pe.ruccache.cache.redis;

import java.util.Locale;
import java.util.Set;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * The layout version kept in the field {@code layout} of {@code <prefix>:meta}: a prefix written by a newer
 * ruc-cache or by another application is refused untouched, and a new prefix is marked as ours.
 */
final class RedisLayout {

    /** The layout version this code reads and writes. */
    static final int VERSION = 1;

    private RedisLayout() {
    }

    /**
     * Checks the marker under the prefix, writing it if there is none yet, and teaches {@code providers} the
     * providers set read in the same round trip.
     *
     * @throws StoreException when the prefix holds a newer layout or someone else's keys
     */
    static void check(RedisConnection connection, RedisKeys keys, RedisProviders providers) {
        UnifiedJedis client = connection.client();
        String server = connection.location().display();
        Response<String> version;
        Response<Set<String>> registered;
        try (AbstractPipeline pipe = client.pipelined()) {
            version = pipe.hget(keys.meta(), "layout");
            registered = pipe.smembers(keys.providers());
            pipe.sync();
        }
        String found = version.get();
        if (found == null) {
            // A read-only replica cannot take the marker; it can still serve reads of a prefix written elsewhere.
            client.hsetnx(keys.meta(), "layout", String.valueOf(VERSION));
            found = client.hget(keys.meta(), "layout");
        }
        int layout = version(found);
        if (layout > VERSION) {
            throw new StoreException(String.format(Locale.ROOT,
                    "the keys under %s at %s were written by a newer ruc-cache (layout version %d; this version "
                            + "reads version %d); they were left untouched: upgrade ruc-cache or use another prefix "
                            + "(RUC_CACHE_REDIS_PREFIX)", keys.prefix(), server, layout, VERSION));
        }
        if (layout < VERSION) {
            throw new StoreException("the key " + keys.meta() + " at " + server + " is not a ruc-cache "
                    + "marker; another application may use the prefix " + keys.prefix() + ": choose another one "
                    + "(RUC_CACHE_REDIS_PREFIX)");
        }
        providers.learn(registered.get());
    }

    /** Returns the layout version in the marker, or 0 when the marker is not one of ours. */
    static int version(String text) {
        if (text == null || !text.matches("[0-9]{1,9}")) {
            return 0;
        }
        return Integer.parseInt(text);
    }
}
