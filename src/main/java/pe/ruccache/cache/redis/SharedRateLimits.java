package pe.ruccache.cache.redis;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.github.bucket4j.redis.jedis.RedisApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Request-rate buckets kept in Redis, one per provider at {@code <prefix>:rate2:<provider>}, so that every process
 * using the store draws on one allowance: ten workers limited to 10 requests per second send 10 per second together.
 * Bucket4j keeps each bucket's state in its key and updates it by compare-and-swap; the limiter takes a token
 * only when the bucket holds one (it reserves none ahead), so requests from all processes together hold at most
 * the rate in any one-second window. Refills are timed by the Redis server's clock
 * ({@link RedisTime}), not by each machine's own.
 *
 * <p>When processes configure different rates for one provider, the strictest wins while they share the bucket;
 * a bucket nobody has used for a minute after it filled up again disappears, and the next process starts it afresh
 * with its own rate. Every Redis failure surfaces as the store's StoreException.
 */
public final class SharedRateLimits {

    /**
     * How long a bucket stays in Redis after it has filled up again; without its key a bucket starts full, which is
     * where it was anyway, so this only keeps the strictest configuration in force across short pauses.
     */
    static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

    private final RedisStore store;
    private final ProxyManager<byte[]> buckets;

    SharedRateLimits(RedisStore store, LongSupplier localNanos) {
        this.store = Objects.requireNonNull(store, "store");
        UnifiedJedis client = store.client();
        RedisTime time = store.redis(() -> RedisTime.sync(client, localNanos));
        this.buckets = new Bucket4jJedis.JedisBasedProxyManagerBuilder<>(Mapper.BYTES, new TranslatingApi(store))
                .clientClock(time)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        KEEP_AFTER_REFILL))
                .build();
    }

    /**
     * Returns the shared bucket of {@code provider}, created with {@code configuration} when no process has it yet,
     * or switched to it when it is stricter than the one in force.
     *
     * @throws IllegalArgumentException when the provider's name cannot be part of a key
     */
    public Bucket bucket(String provider, BucketConfiguration configuration) {
        Objects.requireNonNull(configuration, "configuration");
        String problem = RedisKeys.providerProblem(Objects.requireNonNull(provider, "provider"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] key = store.keys().rate(provider).getBytes(StandardCharsets.UTF_8);
        return buckets.builder()
                // Bucket4j replaces the stored configuration when it has a lower version: a stricter rate
                // replaces a looser one, never the other way round.
                .withImplicitConfigurationReplacement(strictness(configuration), TokensInheritanceStrategy.AS_IS)
                .build(key, () -> configuration);
    }

    /**
     * Returns how strict {@code configuration} is, as the longest time any of its limits takes to grant one token;
     * a larger number is stricter.
     */
    static long strictness(BucketConfiguration configuration) {
        long strictest = 1;
        for (Bandwidth limit : configuration.getBandwidths()) {
            long perToken = limit.getRefillPeriodNanos() / Math.max(1, limit.getRefillTokens());
            strictest = Math.max(strictest, perToken);
        }
        return strictest;
    }

    /** Runs Bucket4j's commands through the store, so that a Redis failure is the store's one-line StoreException. */
    private static final class TranslatingApi implements RedisApi {
        private final RedisStore store;

        TranslatingApi(RedisStore store) {
            this.store = store;
        }

        @Override
        public Object eval(byte[] script, int keyCount, byte[]... params) {
            return store.redis(() -> store.client().eval(script, keyCount, params));
        }

        @Override
        public byte[] get(byte[] key) {
            return store.redis(() -> store.client().get(key));
        }

        @Override
        public void delete(byte[] key) {
            store.redis(() -> store.client().del(key));
        }
    }
}
