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
 * <p>The bucket holds one token, gained back {@link #GUARD} later than 1/rate after the last was taken, and a token
 * is taken only when it is there: never reserved ahead, as Bucket4j's blocking consume does. With a reservation, a
 * thread that wakes late from its wait (a loaded machine, a GC pause, a process that learnt the shared clock a little
 * off) leaves with the next ones still on schedule, N + 1 inside one second; taking the token when it is there makes
 * a late request delay the ones after it instead. Within a process requests take turns in the order they asked (a
 * fair lock, so only one thread at a time polls the bucket, which may live in Redis); between processes sharing a
 * bucket, the first to ask once the token is back takes it.
 *
 * <p>The first request goes alone: it pays for setting up the HTTP client (classes, connections) between taking its
 * token and reaching the provider, a few hundred milliseconds in a fresh JVM, and requests paced behind it would
 * otherwise catch up and arrive together, faster than the rate.
 */
final class ThrottledProvider implements Provider {

    /**
     * How much longer than one second N requests at a rate of N per second take: the slack a request may arrive
     * late by, against the one N requests after it, without the provider seeing N + 1 in one second. Loopback and
     * scheduling jitter are a few milliseconds; 20 ms costs 2% of the rate.
     */
    static final Duration GUARD = Duration.ofMillis(20);

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
     * Returns the bucket configuration for {@code perSecond} requests per second: one token, gained back
     * (1 s + {@link #GUARD}) / perSecond after it was taken, rounded up to the nanosecond so that N + 1 requests can
     * never fit in one second.
     */
    static BucketConfiguration configuration(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        double nanos = Math.ceil((1_000_000_000d + GUARD.toNanos()) / perSecond);
        Duration period = Duration.ofNanos((long) Math.min(Long.MAX_VALUE / 2, Math.max(1, nanos)));
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, period).initialTokens(1).build())
                .build();
    }

    @Override
    public String name() {
        return delegate.name();
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
                firstDone.countDown();
            }
        }
    }

    /** Waits for this process's turn, then until the bucket holds its token, and takes it. */
    private void takeToken() throws InterruptedException {
        turn.lockInterruptibly();
        try {
            while (true) {
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                if (probe.isConsumed()) {
                    return;
                }
                // Another process may take the token first; then the next wait is computed afresh.
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
