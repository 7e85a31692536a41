package pe.ruccache.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How this run treats cached answers and how long new ones are kept. */
final class CacheOptions {

    @Option(names = "--refresh", description = "Ignore cached answers and ask the providers again.")
    boolean refresh;

    @Option(names = "--max-age", paramLabel = "DURATION",
            description = "Treat answers older than this as expired for this run (e.g. 15m, 1h, 7d).")
    Duration maxAge;

    @Option(names = "--ttl-valid", paramLabel = "DURATION",
            description = "Keep new VALID answers this long (default 1h; env RUC_CACHE_TTL_VALID).")
    Duration ttlValid;

    @Option(names = "--ttl-invalid", paramLabel = "DURATION",
            description = "Keep new INVALID answers this long (default 24h; env RUC_CACHE_TTL_INVALID).")
    Duration ttlInvalid;
}
