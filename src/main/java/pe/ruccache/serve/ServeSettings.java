package pe.ruccache.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one {@code serve} process runs, beyond the settings it shares with the command line (store, providers, TTLs).
 *
 * @param listen where to listen
 * @param clients the clients file (bearer tokens, by hash), or null to let any local process in without one
 * @param maxBatch the most RUCs one batch request may ask about
 * @param maxBodyBytes the largest request body accepted
 * @param idleTimeout how long a connection may send nothing before it is closed (slow clients hold no thread)
 * @param clientRate requests per second each client may make when its line in the clients file sets none; 0 for
 *     no limit
 * @param concurrency the most provider calls in flight at once, across all requests
 * @param memoryTtl the longest an answer is kept in this process's memory in front of the store
 * @param stopGrace how long a stop waits for the requests in flight
 * @param offline never call a network provider
 */
public record ServeSettings(ListenAddress listen, Path clients, int maxBatch, int maxBodyBytes, Duration idleTimeout,
        double clientRate, int concurrency, Duration memoryTtl, Duration stopGrace, boolean offline) {

    /** The default batch limit. */
    public static final int DEFAULT_MAX_BATCH = 1000;
    /** The default body limit: a batch of 1,000 RUCs, pretty-printed, fits three times over. */
    public static final int DEFAULT_MAX_BODY = 64 * 1024;

    /** Checks the limits. */
    public ServeSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(memoryTtl, "memoryTtl");
        Objects.requireNonNull(stopGrace, "stopGrace");
        if (maxBatch < 1 || maxBodyBytes < 16 || concurrency < 1 || clientRate < 0) {
            throw new IllegalArgumentException("bad serve limits");
        }
    }
}
