package pe.ruccache.upstream;

import java.time.Duration;

/**
 * How providers are called over HTTP.
 *
 * @param connectTimeout TCP and TLS connect timeout
 * @param callTimeout the whole of one HTTP call, body included
 * @param maxRetries retries after the first attempt, for transient failures only (5xx, timeout, reset, 429)
 * @param initialBackoff the first retry's delay; it doubles each time, with jitter
 * @param maxRetryWait the longest {@code Retry-After} honoured; a longer one ends the attempts as RATE_LIMITED
 * @param logHttp whether to log one line per request on stderr (Authorization redacted)
 * @param requestsPerSecond the most requests per second sent to each provider, retries included; 0 for no limit
 */
public record HttpSettings(
        Duration connectTimeout,
        Duration callTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxRetryWait,
        boolean logHttp,
        double requestsPerSecond) {

    /**
     * The highest request rate that can be asked for: a million a second, one request per microsecond, is past any
     * provider's limit; a higher number is a typo (no limit is asked for by setting none).
     */
    public static final double MAX_REQUESTS_PER_SECOND = 1_000_000;

    /** Checks that the rate is a finite number of 0 or more. */
    public HttpSettings {
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second must be 0 (no limit) or more: "
                    + requestsPerSecond);
        }
    }

    /** Creates settings without a request-rate limit. */
    public HttpSettings(Duration connectTimeout, Duration callTimeout, int maxRetries, Duration initialBackoff,
            Duration maxRetryWait, boolean logHttp) {
        this(connectTimeout, callTimeout, maxRetries, initialBackoff, maxRetryWait, logHttp, 0);
    }

    /** The defaults for interactive use: 5 s to connect, 15 s per call, 2 retries from 250 ms, wait up to 10 s. */
    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 2, Duration.ofMillis(250),
                Duration.ofSeconds(10), false);
    }

    /** Returns these settings with at most {@code perSecond} requests per second per provider (0: no limit). */
    public HttpSettings withRequestsPerSecond(double perSecond) {
        return new HttpSettings(connectTimeout, callTimeout, maxRetries, initialBackoff, maxRetryWait, logHttp,
                perSecond);
    }
}
