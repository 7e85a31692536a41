package pe.ruccache.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the command line said about settings; null means "not given", so the environment, the config file or the
 * default decides.
 *
 * @param store {@code --store}
 * @param config {@code --config}
 * @param providers {@code --provider}
 * @param ttlValid {@code --ttl-valid}
 * @param ttlInvalid {@code --ttl-invalid}
 * @param logHttp {@code -v}: log one line per HTTP request on stderr
 * @param rate {@code --rate}: requests per second per provider
 */
public record Overrides(String store, Path config, List<String> providers, Duration ttlValid, Duration ttlInvalid,
        boolean logHttp, Double rate) {

    /** Creates overrides that leave the request rate to the environment and the config file. */
    public Overrides(String store, Path config, List<String> providers, Duration ttlValid, Duration ttlInvalid,
            boolean logHttp) {
        this(store, config, providers, ttlValid, ttlInvalid, logHttp, null);
    }

    /** Returns overrides that override nothing. */
    public static Overrides none() {
        return new Overrides(null, null, null, null, null, false);
    }
}
