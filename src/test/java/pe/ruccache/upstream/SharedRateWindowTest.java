package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.cache.redis.RedisLocation;
import pe.ruccache.cache.redis.RedisOptions;
import pe.ruccache.cache.redis.RedisStore;
import pe.ruccache.core.Ruc;
import pe.ruccache.testing.RedisServer;

/**
 * The request-rate limit of two processes (two stores on one real redis-server, as app.Services joins them) drawing
 * on one shared bucket: the starts of all their requests together, on the real clock, hold at most the rate in any
 * one-second window.
 */
class SharedRateWindowTest {

    @TempDir
    static Path dir;

    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start(dir.resolve("redis"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoProcessesSharingABucket_anyOneSecondWindowHoldsAtMostTheRate() throws Exception {
        int rate = 20;
        List<Long> starts = new CopyOnWriteArrayList<>();
        Provider recording = new Provider() {
            @Override
            public String name() {
                return "migo";
            }

            @Override
            public ProviderAnswer fetch(Ruc ruc) {
                starts.add(System.nanoTime());
                return new ProviderAnswer.NotFound("migo", "stub");
            }
        };
        try (RedisStore one = open(); RedisStore other = open()) {
            List<Provider> processes = List.of(
                    new ThrottledProvider(recording,
                            one.rateLimits().bucket("migo", ThrottledProvider.configuration(rate))),
                    new ThrottledProvider(recording,
                            other.rateLimits().bucket("migo", ThrottledProvider.configuration(rate))));
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            // Three threads in each process, 13 requests each: 78 requests, about four seconds at 20 per second.
            for (Provider p : processes) {
                for (int t = 0; t < 3; t++) {
                    workers.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < 13; i++) {
                            p.fetch(Fixtures.CONTINENTAL);
                        }
                    }));
                }
            }
            for (CompletableFuture<Void> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        }
        List<Long> sorted = new ArrayList<>(starts);
        sorted.sort(null);
        assertEquals(78, sorted.size());
        int most = RateLimitTest.busiestSecond(sorted);
        assertTrue(most <= rate, most + " requests in the busiest second; starts (ms): "
                + sorted.stream().map(t -> (t - sorted.get(0)) / 1_000_000).toList());
    }

    private static RedisStore open() {
        return RedisStore.open(RedisLocation.parse(server.uri()), RedisOptions.defaults(), Clock.systemUTC());
    }
}
