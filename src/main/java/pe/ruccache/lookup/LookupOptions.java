package pe.ruccache.lookup;

import java.time.Duration;
import java.util.Objects;

/**
 * How one run treats the cache.
 *
 * @param refresh ignore cached answers (a manual mark still applies) and ask the providers
 * @param maxAge treat answers fetched longer ago than this as expired for this run; null for no limit
 * @param offline never call a network provider: only the padrón's local snapshot may answer a miss, else it is
 *     ERROR OFFLINE_MISS
 * @param ttlValid how long a VALID answer stays fresh
 * @param ttlInvalid how long an INVALID answer stays in the invalid registry
 */
public record LookupOptions(boolean refresh, Duration maxAge, boolean offline, Duration ttlValid, Duration ttlInvalid) {

    /** The original service's TTLs: valid answers 1 hour, invalid ones 24 hours. */
    public static final Duration DEFAULT_TTL_VALID = Duration.ofHours(1);
    /** The default time an invalid answer stays in the registry. */
    public static final Duration DEFAULT_TTL_INVALID = Duration.ofHours(24);

    /** Checks that TTLs are present and positive. */
    public LookupOptions {
        Objects.requireNonNull(ttlValid, "ttlValid");
        Objects.requireNonNull(ttlInvalid, "ttlInvalid");
        if (ttlValid.isNegative() || ttlValid.isZero() || ttlInvalid.isNegative() || ttlInvalid.isZero()) {
            throw new IllegalArgumentException("TTLs must be positive");
        }
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("max age must not be negative");
        }
    }

    /** Returns the options with the default TTLs and nothing else set. */
    public static LookupOptions defaults() {
        return new LookupOptions(false, null, false, DEFAULT_TTL_VALID, DEFAULT_TTL_INVALID);
    }
}
