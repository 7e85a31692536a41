package pe.ruccache.upstream;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;

/**
 * Holds each request to a provider until its token bucket allows it. It wraps the HTTP provider inside the retry
 * policy, so retries are paced like first attempts.
 *
 * <p>The first request goes alone: it pays for setting up the HTTP client (classes, connections) between taking its
 * token and reaching the provider, a few hundred milliseconds in a fresh JVM, and requests paced behind it would
 * otherwise catch up and arrive together, faster than the rate.
 */
final class ThrottledProvider implements Provider {

    private final Provider delegate;
    private final Bucket bucket;
    private final BlockingStrategy parking;
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
     * Returns the bucket configuration for {@code perSecond} requests per second: one token at a time, refilled
     * evenly, so requests are spread out rather than sent in bursts a provider's own limiter would refuse.
     */
    static BucketConfiguration configuration(double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        Duration period = Duration.ofNanos(Math.max(1, Math.round(1_000_000_000d / perSecond)));
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
            bucket.asBlocking().consume(1, parking);
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

    @Override
    public String toString() {
        return "throttled " + delegate;
    }
}
