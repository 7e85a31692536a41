package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.json;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketListener;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        /** Takes of one whole request's worth: the tokens requests took (not the refill dropped after the first). */
        final AtomicLong requests = new AtomicLong();
        final List<String> providers = new CopyOnWriteArrayList<>();

        @Override
        public Bucket bucket(String provider, io.github.bucket4j.BucketConfiguration configuration) {
            providers.add(provider);
            LocalBucketBuilder builder = Bucket.builder().withListener(new BucketListener() {
                @Override
                public void onConsumed(long tokens) {
                    consumed.addAndGet(tokens);
                    if (tokens == ThrottledProvider.UNITS_PER_REQUEST) {
                        requests.incrementAndGet();
                    }
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

    /**
     * Returns the most of {@code starts} (nanoseconds, ascending) that fall in any window [t, t + 1 s); the busiest
     * window begins at a start, so only those need trying.
     */
    static int busiestSecond(List<Long> starts) {
        int most = 0;
        for (int i = 0; i < starts.size(); i++) {
            int j = i;
            while (j < starts.size() && starts.get(j) - starts.get(i) < 1_000_000_000L) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        return most;
    }

    /** A clock that moves only when a waiting thread parks, and then a little late now and then, as threads wake. */
    static final class LateWakingClock implements TimeMeter, BlockingStrategy {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);
        private int parks;

        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public synchronized void park(long nanos) {
            // Every seventh wake comes 3 ms late: a loaded machine, a GC pause, a coarse timer.
            long late = ++parks % 7 == 0 ? 3_000_000L : 0;
            now.addAndGet(nanos + late);
        }
    }

    /**
     * Sends {@code requests} requests through a limiter at {@code rate} on a {@link LateWakingClock}, one at a time,
     * and returns when each reached the provider: the first {@code firstDelayNanos} after its token (the set-up of
     * a fresh HTTP client), the others at once.
     */
    private static List<Long> arrivalsThroughLimiter(double rate, int requests, long firstDelayNanos) {
        LateWakingClock clock = new LateWakingClock();
        List<Long> arrivals = new ArrayList<>();
        Provider recording = new Provider() {
            @Override
            public String name() {
                return "migo";
            }

            @Override
            public ProviderAnswer fetch(pe.ruccache.core.Ruc ruc) {
                if (arrivals.isEmpty() && firstDelayNanos > 0) {
                    clock.park(firstDelayNanos);
                }
                arrivals.add(clock.currentTimeNanos());
                return new ProviderAnswer.NotFound("migo", "stub");
            }
        };
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(clock);
        for (Bandwidth b : ThrottledProvider.configuration(rate).getBandwidths()) {
            builder.addLimit(b);
        }
        Provider paced = new ThrottledProvider(recording, builder.build(), clock);
        for (int i = 0; i < requests; i++) {
            paced.fetch(CONTINENTAL);
        }
        return arrivals;
    }

    private static String millisFromFirst(List<Long> times) {
        return times.stream().map(t -> (t - times.get(0)) / 1_000_000).toList().toString();
    }

    @Test
    void rate_anyOneSecondWindowHoldsAtMostN_evenFromTheFirstStartAndWhenThreadsWakeLate() {
        for (double rate : new double[] {3, 10, 40}) {
            List<Long> starts = arrivalsThroughLimiter(rate, (int) (5 * rate), 0);

            // A provider counting requests over any sliding second refuses the (N + 1)-th; a late wake must delay
            // the requests after it, not let the next ones catch up with it.
            int most = busiestSecond(starts);
            assertTrue(most <= rate, "rate " + rate + ": " + most + " requests in the busiest second; starts (ms): "
                    + millisFromFirst(starts));
            // Nor do late wakes add up to a lower rate: the run takes as long as its requests spaced (1 s + GUARD) / N
            // apart, plus at most the last wake's lateness.
            double seconds = (starts.get(starts.size() - 1) - starts.get(0)) / 1e9;
            double spaced = (5 * rate - 1) * (1 + ThrottledProvider.GUARD.toNanos() / 1e9) / rate;
            assertTrue(seconds <= spaced + 0.0031, "rate " + rate + ": " + seconds + " s, spaced " + spaced + " s");
        }
    }

    @Test
    void slowFirstRequest_arrivingLate_theNextNStillSpanMoreThanOneSecondFromItsArrival() {
        for (double rate : new double[] {8, 50}) {
            // The first request sets up the HTTP client after its token: it reaches the provider 120 ms later.
            List<Long> arrivals = arrivalsThroughLimiter(rate, (int) (3 * rate), 120_000_000L);

            int most = busiestSecond(arrivals);
            assertTrue(most <= rate, "rate " + rate + ": " + most + " arrivals in the busiest second; arrivals (ms): "
                    + millisFromFirst(arrivals));
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
        assertEquals(3, buckets.requests.get());
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
