package pe.ruccache.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import pe.ruccache.cache.redis.RedisOptions;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.RucRules;
import pe.ruccache.padron.PadronSettings;
import pe.ruccache.upstream.HttpSettings;
import pe.ruccache.upstream.ProviderSettings;

/**
 * Every setting of one run, resolved once (flag > environment > config file > default) and immutable after.
 *
 * @param home the folder for the default store ({@code RUC_CACHE_HOME})
 * @param store the store URI or file path
 * @param configFile the config file consulted (it may not exist)
 * @param providers the provider chain, in order
 * @param providerSettings URL and token of each network provider in the chain
 * @param ttlValid how long VALID answers stay fresh
 * @param ttlInvalid how long INVALID answers stay in the registry
 * @param rules the local checks (accepted prefixes)
 * @param lockTimeout how long to wait for a store locked by another process
 * @param http timeouts and retries for providers
 * @param warnings what the resolution noticed but tolerated (loose file permissions), for {@code health}
 * @param padron where the padrón snapshot is, where updates come from, when it is old
 * @param redis prefix, grace period, timeout and password for a {@code redis://} store
 * @param serve where {@code serve} listens, its clients file and its access log
 */
public record Settings(
        Path home,
        String store,
        Path configFile,
        List<String> providers,
        Map<String, ProviderSettings> providerSettings,
        Duration ttlValid,
        Duration ttlInvalid,
        RucRules rules,
        Duration lockTimeout,
        HttpSettings http,
        List<HealthCheck> warnings,
        PadronSettings padron,
        RedisOptions redis,
        Serve serve) {

    /**
     * The settings of {@code serve} that may come from the environment or the config file.
     *
     * @param listen {@code HOST:PORT}, as given
     * @param clients the clients file, or null for none
     * @param accessLog {@code stderr}, {@code stdout} or {@code off}
     */
    public record Serve(String listen, Path clients, String accessLog) {
    }

    /** Copies the collections. */
    public Settings {
        providers = List.copyOf(providers);
        providerSettings = Map.copyOf(providerSettings);
        warnings = List.copyOf(warnings);
    }
}
