package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.json;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-provider request-rate limit: Bucket4j inside the retry policy, behind the RateBuckets seam. */
class RateLimitTest {

    private final MockWebServer server = new MockWebServer();
    private UpstreamClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /** Buckets that live in this process and count the tokens consumed and the providers asked for. */
    static final class CountingBuckets implements RateBuckets {
        final AtomicLong consumed = new AtomicLong();
        final List<String> providers = new CopyOnWriteArrayList<>();

        @Override
        public Bucket bucket(String provider, io.github.bucket4j.BucketConfiguration configuration) {
            providers.add(provider);
            LocalBucketBuilder builder = Bucket.builder().withListener(new BucketListener() {
                @Override
                public void onConsumed(long tokens) {
                    consumed.addAndGet(tokens);
                }

                @Override
                public void onRejected(long tokens) {
                }

                @Override
                public void onParked(long nanos) {
                }

                @Override
                public void onInterrupted(InterruptedException e) {
                }

                @Override
                public void onDelayed(long nanos) {
                }
            });
            for (Bandwidth b : configuration.getBandwidths()) {
                builder.addLimit(b);
            }
            return builder.build();
        }
    }

    @Test
    void retries_takeATokenEach_soTheyArePacedToo() {
        CountingBuckets buckets = new CountingBuckets();
        client = UpstreamClient.builder(Fixtures.fast().withRequestsPerSecond(50)).rateBuckets(buckets).build();
        Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
        server.enqueue(Fixtures.html(500));
        server.enqueue(Fixtures.html(503));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));

        assertEquals(3, server.getRequestCount());
        assertEquals(3, buckets.consumed.get());
        assertEquals(List.of("migo"), buckets.providers);
    }

    @Test
    void rate_spacesRequestsEvenly() {
        client = UpstreamClient.builder(Fixtures.noRetries().withRequestsPerSecond(20)).build();
        Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
        for (int i = 0; i < 5; i++) {
            server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        }
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        }
        // The first request goes at once, each next one 50 ms later: no burst.
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Test
    void firstRequest_goesAlone_soItsSlowStartDoesNotBunchTheNextOnes() throws Exception {
        client = UpstreamClient.builder(Fixtures.noRetries().withRequestsPerSecond(1_000)).build();
        Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch secondArrived = new CountDownLatch(1);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                events.add("arrived");
                if (events.size() == 1) {
                    firstArrived.countDown();
                    // A slow first answer: a second request let through meanwhile would arrive before it ends.
                    secondArrived.await(500, TimeUnit.MILLISECONDS);
                    events.add("first answered");
                } else {
                    secondArrived.countDown();
                }
                return json(200, RecordedBodies.MIGO_CONTINENTAL);
            }
        });
        CompletableFuture<ProviderAnswer> first = CompletableFuture.supplyAsync(() -> migo.fetch(CONTINENTAL));
        assertTrue(firstArrived.await(10, TimeUnit.SECONDS));

        ProviderAnswer second = migo.fetch(CONTINENTAL);

        assertInstanceOf(ProviderAnswer.Found.class, second);
        assertInstanceOf(ProviderAnswer.Found.class, first.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("arrived", "first answered", "arrived"), events);
    }

    @Test
    void noRate_noBucket() {
        CountingBuckets buckets = new CountingBuckets();
        client = UpstreamClient.builder(Fixtures.noRetries()).rateBuckets(buckets).build();
        client.provider(Fixtures.settings("migo", server, "/api/v2"));
        assertTrue(buckets.providers.isEmpty());
    }

    @Test
    void interruptedWhileWaitingForAToken_failsFastKeepingTheFlag() {
        client = UpstreamClient.builder(Fixtures.noRetries().withRequestsPerSecond(0.01)).build();
        Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        Thread.currentThread().interrupt();
        try {
            ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));
            assertTrue(f.detail().contains("interrupted"), f.detail());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, server.getRequestCount());
    }
}
