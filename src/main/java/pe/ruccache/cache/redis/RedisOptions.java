package pe.ruccache.cache.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Redis store uses a server, beyond the URI: the key prefix, how long Redis keeps an answer after it
 * expires, the network timeout, and the password when it does not come in the URI.
 *
 * @param prefix the first part of every key, so that several teams can share one Redis ({@code ruc-cache})
 * @param grace how long after an answer expires Redis still keeps it, so that it can be served stale when every
 *     provider fails; zero lets Redis delete answers as soon as they expire
 * @param timeout the longest wait to connect and for each reply
 * @param password the password from {@code RUC_CACHE_REDIS_PASSWORD}, used when the URI carries none; may be null
 */
public record RedisOptions(String prefix, Duration grace, Duration timeout, String password) {

    /** The key prefix when none is configured. */
    public static final String DEFAULT_PREFIX = "ruc-cache";
    /**
     * How long Redis keeps an expired answer when nothing else is configured: long enough to ride out a provider
     * outage over a long weekend, short enough that a cache of answers nobody asks for again stops costing memory.
     */
    public static final Duration DEFAULT_GRACE = Duration.ofDays(7);
    /** The network timeout when nothing else is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    // Letters, digits and . _ - : only: no glob characters, so the prefix goes into SCAN patterns as is.
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(:[A-Za-z0-9._-]+)*");

    /** Checks the prefix, the grace period and the timeout. */
    public RedisOptions {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(timeout, "timeout");
        String problem = prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative");
        }
        if (timeout.isZero() || timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the Redis timeout must be longer than zero and shorter than 24 days");
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
    }

    /** Returns the defaults: prefix {@code ruc-cache}, 7 days of grace, 5 s timeout, no password. */
    public static RedisOptions defaults() {
        return new RedisOptions(DEFAULT_PREFIX, DEFAULT_GRACE, DEFAULT_TIMEOUT, null);
    }

    /** Returns these options with another prefix. */
    public RedisOptions withPrefix(String newPrefix) {
        return new RedisOptions(newPrefix, grace, timeout, password);
    }

    /** Returns these options with another grace period. */
    public RedisOptions withGrace(Duration newGrace) {
        return new RedisOptions(prefix, newGrace, timeout, password);
    }

    /** Returns these options with another timeout. */
    public RedisOptions withTimeout(Duration newTimeout) {
        return new RedisOptions(prefix, grace, newTimeout, password);
    }

    /** Returns these options with another fallback password. */
    public RedisOptions withPassword(String newPassword) {
        return new RedisOptions(prefix, grace, timeout, newPassword);
    }

    /** Returns what is wrong with {@code prefix} as a key prefix, or null when it is usable. */
    public static String prefixProblem(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            return "'" + prefix + "' is not a Redis key prefix; use letters, digits and . _ - "
                    + "in parts separated by single colons, e.g. ruc-cache or team-a:ruc-cache";
        }
        return null;
    }

    /** Hides the password, so that the options can be logged or shown in a failed assertion. */
    @Override
    public String toString() {
        return "RedisOptions[prefix=" + prefix + ", grace=" + grace + ", timeout=" + timeout + ", password="
                + (password == null ? "none" : "***") + "]";
    }
}
