package pe.ruccache.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.core.StoreException;
import pe.ruccache.testing.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * Shared request-rate buckets on one real redis-server, each store standing for a process: together they stay under
 * one rate, the strictest configured rate wins, machines' clocks do not matter, and Redis failing is a StoreException.
 * The time assertions are lower bounds, which a loaded machine only makes easier to meet.
 */
class SharedRateLimitsTest {

    @TempDir
    static Path dir;

    private static RedisServer server;

    private final List<RedisStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RedisServer.start(dir.resolve("main"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clean() {
        server.flushAll();
    }

    @AfterEach
    void closeAll() {
        stores.forEach(RedisStore::close);
    }

    private RedisStore process(RedisServer s) {
        RedisStore store = RedisStore.open(RedisLocation.parse(s.uri()), RedisOptions.defaults(), Clock.systemUTC());
        stores.add(store);
        return store;
    }

    /** A configuration like upstream's limiter's: a burst of one, then one token every 1/rate seconds. */
    private static BucketConfiguration perSecond(double rate) {
        Duration period = Duration.ofNanos(Math.round(1_000_000_000d / rate));
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, period).initialTokens(1).build())
                .build();
    }

    /** Takes {@code n} tokens from {@code a} and {@code n} from {@code b} at once; returns the seconds it took. */
    private static double drainBoth(Bucket a, Bucket b, int n) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> take(a, n));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> take(b, n));
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1e9;
    }

    private static void take(Bucket bucket, int n) {
        for (int i = 0; i < n; i++) {
            try {
                bucket.asBlocking().consume(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void twoProcesses_drawOnOneBucket_togetherStayUnderTheRate() throws Exception {
        Bucket a = process(server).rateLimits().bucket("migo", perSecond(40));
        Bucket b = process(server).rateLimits().bucket("migo", perSecond(40));

        double seconds = drainBoth(a, b, 10);

        // 20 tokens at 40/s with a burst of one: 19 refills, 0.475 s; two buckets of their own would take 0.225 s.
        assertTrue(seconds >= 0.45, seconds + " s");
        try (Jedis admin = server.admin()) {
            long pttl = admin.pttl("ruc-cache:rate2:migo");
            // Kept while in use, and a minute after it filled up again.
            assertTrue(pttl > 0 && pttl <= SharedRateLimits.KEEP_AFTER_REFILL.toMillis() + 1_000, "PTTL " + pttl);
        }
    }

    @Test
    void differentProviders_haveBucketsOfTheirOwn() throws Exception {
        Bucket migo = process(server).rateLimits().bucket("migo", perSecond(2));
        Bucket decolecta = process(server).rateLimits().bucket("decolecta", perSecond(2));

        // One token each, at once: neither waits for the other's 0.5 s refill.
        assertTrue(migo.tryConsume(1));
        assertTrue(decolecta.tryConsume(1));
    }

    @Test
    void differentRates_theStrictestWinsWhileShared() {
        Bucket loose = process(server).rateLimits().bucket("migo", perSecond(1_000));
        assertTrue(loose.tryConsume(1));
        Bucket strict = process(server).rateLimits().bucket("migo", perSecond(1));
        // The strict process replaces the loose configuration on its first use.
        strict.tryConsume(1);

        // At 1,000/s a token would be back within a millisecond; at the strict 1/s it is not.
        assertEquals(false, loose.tryConsume(1));
        assertTrue(loose.getAvailableTokens() <= 0);
    }

    @Test
    void machineWhoseClockLags_isNotStarvedByOneAhead() {
        RedisStore one = process(server);
        RedisStore other = process(server);
        LongSupplier ahead = () -> System.nanoTime() + TimeUnit.HOURS.toNanos(2);
        LongSupplier behind = () -> System.nanoTime() - TimeUnit.HOURS.toNanos(2);
        Bucket a = new SharedRateLimits(one, ahead).bucket("migo", perSecond(50));
        Bucket b = new SharedRateLimits(other, behind).bucket("migo", perSecond(50));
        // The machine ahead stamps the bucket with its time.
        assertTrue(a.tryConsume(1));

        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> take(b, 20));
        double seconds = (System.nanoTime() - start) / 1e9;

        // 20 tokens at 50/s take 0.4 s. Timed by its own clock, the machine behind would see no refill for four
        // hours: each request would wait for every token taken before it, 4.2 s for the 20.
        assertTrue(seconds >= 0.35 && seconds < 2.5, seconds + " s");
    }

    @Test
    void redisTime_followsTheServersClock() {
        RedisStore store = process(server);
        RedisTime time = RedisTime.sync(store.client(), System::nanoTime);
        try (Jedis admin = server.admin()) {
            List<String> now = admin.time();
            long serverNanos = Long.parseLong(now.get(0)) * 1_000_000_000L + Long.parseLong(now.get(1)) * 1_000L;
            long difference = Math.abs(time.currentTimeNanos() - serverNanos);
            assertTrue(difference < TimeUnit.MILLISECONDS.toNanos(200), difference + " ns");
        }
    }

    @Test
    void redisStopped_takingATokenFailsWithStoreException() {
        try (RedisServer own = RedisServer.start(dir.resolve("stopped"))) {
            Bucket bucket = process(own).rateLimits().bucket("migo", perSecond(10));
            assertTrue(bucket.tryConsume(1));

            own.kill();

            StoreException e = assertThrows(StoreException.class, () -> bucket.asBlocking().consume(1));
            assertTrue(e.getMessage().contains(own.uri()), e.getMessage());
        }
    }
}
