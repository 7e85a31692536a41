package pe.ruccache.upstream;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * Where each provider's request-rate bucket lives. The local implementation keeps buckets in this process; one
 * backed by a shared store (Bucket4j's Redis proxy managers return the same {@link Bucket} type) can replace it so
 * that several processes share one provider's allowance.
 */
@FunctionalInterface
public interface RateBuckets {

    /**
     * Returns the bucket of {@code provider} with {@code configuration}; called once per provider per client, and
     * the bucket returned must be safe for use by several threads.
     */
    Bucket bucket(String provider, BucketConfiguration configuration);

    /** Returns buckets that live in this process: each call builds a new one. */
    static RateBuckets local() {
        return (provider, configuration) -> {
            LocalBucketBuilder builder = Bucket.builder().withNanosecondPrecision();
            for (Bandwidth limit : configuration.getBandwidths()) {
                builder.addLimit(limit);
            }
            return builder.build();
        };
    }
}
