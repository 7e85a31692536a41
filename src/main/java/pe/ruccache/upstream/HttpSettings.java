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
 */
public record HttpSettings(
        Duration connectTimeout,
        Duration callTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxRetryWait,
        boolean logHttp) {

    /** The defaults for interactive use: 5 s to connect, 15 s per call, 2 retries from 250 ms, wait up to 10 s. */
    public static HttpSettings defaults() {
        return new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 2, Duration.ofMillis(250),
                Duration.ofSeconds(10), false);
    }
}
