package pe.ruccache.upstream;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;

/**
 * Holds each request to a provider until its token bucket allows it, so that no window of one second, wherever it
 * starts, holds more than the rate's worth of requests: the limit a provider that counts requests over a sliding
 * second enforces. It wraps the HTTP provider inside the retry policy, so retries are paced like first attempts.
 *
 * <p>The bucket is a greedy Bucket4j bucket in {@link #UNITS_PER_REQUEST}ths of a request: one request's worth
 * comes back every (1 s + {@link #GUARD}) / N, and it holds one request plus {@link #CATCH_UP} worth of refill. A
 * request takes its units only when they are there, never reserving them ahead as Bucket4j's blocking consume does:
 * with a reservation, a thread that woke late from its wait (a loaded machine, a GC pause, a process whose view of
 * the shared clock is a little off) left together with the next ones still on schedule, N + 1 inside one second.
 * The small extra capacity lets a request that woke less than CATCH_UP late leave the next one on schedule, so
 * late wakes do not add up to a lower rate; it is why N + 1 requests span at least 1 s + GUARD - CATCH_UP. Within a
 * process requests take turns in the order they asked (a fair lock, so only one thread at a time polls the bucket,
 * which may live in Redis); between processes sharing a bucket, the first to ask once the units are back takes them.
 *
 * <p>The first request goes alone: it pays for setting up the HTTP client (classes, connections) between taking its
 * token and reaching the provider, a few hundred milliseconds in a fresh JVM, and requests paced behind it would
 * otherwise catch up and arrive together, faster than the rate. When it is answered the bucket is emptied, so the
 * next request leaves a whole period after the first one surely arrived, not after it took its token: without that
 * the N requests after it left within 1 s + GUARD of its token and, the first arriving more than GUARD late, N + 1
 * reached the provider inside one second (measured: 9 in 991 ms at 8 per second).
 */
final class ThrottledProvider implements Provider {

    /**
     * How much longer than one second N requests at a rate of N per second take: the slack that lets a request arrive
     * late, against the one N requests after it, without the provider seeing N + 1 in one second. It costs 2% of
     * the rate.
     */
    static final Duration GUARD = Duration.ofMillis(20);

    /**
     * How late a request may leave and still leave the next one on schedule: the bucket's capacity beyond one
     * request. Less than {@link #GUARD}, so that N + 1 requests still span 1 s + 10 ms.
     */
    static final Duration CATCH_UP = Duration.ofMillis(10);

    /** The bucket's tokens per request: fine enough for CATCH_UP to be a fraction of a request. */
    static final long UNITS_PER_REQUEST = 1_000;

    private final Provider delegate;
    private final Bucket bucket;
    private final BlockingStrategy parking;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final AtomicBoolean firstTaken = new AtomicBoolean();
    private final CountDownLatch firstDone = new CountDownLatch(1);

    ThrottledProvider(Provider delegate, Bucket bucket) {
        this(delegate, bucket, BlockingStrategy.PARKING);
    }

    /** Creates the provider waiting with {@code parking}: the seam tests use to wait on a fake clock. */
    ThrottledProvider(Provider delegate, Bucket bucket, BlockingStrategy parking) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.parking = Objects.requireNonNull(parking, "parking");
    }

    /**
     * Returns the bucket configuration for {@code perSecond} requests per second, in units of 1/UNITS_PER_REQUEST
     * request: one request's worth back every (1 s + GUARD) / perSecond, rounded up to the nanosecond; room for one
     * request plus CATCH_UP worth of refill; one request's worth to start with.
     *
     * <p>Why no window [t, t + 1 s) holds more than perSecond requests: taking K + 1 requests' worth needs what the
     * bucket held at the first (at most 1 + CATCH_UP / period requests) plus what came back since, so K + 1 requests
     * span at least K * period - CATCH_UP, which is 1 s + GUARD - CATCH_UP when K is perSecond.
     */
    static BucketConfiguration configuration(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        double nanos = Math.ceil((1_000_000_000d + GUARD.toNanos()) / perSecond);
        long period = (long) Math.min(Long.MAX_VALUE / 4, Math.max(1, nanos));
        long extra = (long) Math.floor((double) CATCH_UP.toNanos() / period * UNITS_PER_REQUEST);
        long capacity = UNITS_PER_REQUEST + Math.min(extra, Long.MAX_VALUE / 4);
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(capacity)
                        .refillGreedy(UNITS_PER_REQUEST, Duration.ofNanos(period))
                        .initialTokens(UNITS_PER_REQUEST).build())
                .build();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean answersLocally() {
        return delegate.answersLocally();
    }

    @Override
    public ProviderAnswer fetch(Ruc ruc) {
        boolean first = firstTaken.compareAndSet(false, true);
        try {
            if (!first) {
                firstDone.await();
            }
            takeToken();
            return delegate.fetch(ruc);
        } catch (InterruptedException e) {
            // Keep the flag so the retry policy and the chain stop too.
            Thread.currentThread().interrupt();
            return new ProviderAnswer.Failed(name(), Reason.TIMEOUT,
                    name() + ": interrupted while waiting for the request-rate limit", null);
        } finally {
            if (first) {
                // Its token was taken before the set-up, so it may have reached the provider well after the bucket
                // counted it; what came back meanwhile is dropped, and the next request waits a whole period from
                // now, when the first one has surely arrived.
                bucket.tryConsumeAsMuchAsPossible();
                firstDone.countDown();
            }
        }
    }

    /** Waits for this process's turn, then until the bucket holds a request's worth, and takes it. */
    private void takeToken() throws InterruptedException {
        turn.lockInterruptibly();
        try {
            while (true) {
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(UNITS_PER_REQUEST);
                if (probe.isConsumed()) {
                    return;
                }
                // Another process may take the units first; then the next wait is computed afresh.
                parking.park(Math.max(1, probe.getNanosToWaitForRefill()));
            }
        } finally {
            turn.unlock();
        }
    }

    @Override
    public String toString() {
        return "throttled " + delegate;
    }
}
