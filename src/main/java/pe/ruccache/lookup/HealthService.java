package pe.ruccache.lookup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import pe.ruccache.cache.Store;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.RucException;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;

/**
 * Tells whether the tool can work: the store opens, takes a write and passes its integrity check; the providers are
 * configured; and, on request, each provider answers one real call.
 */
public final class HealthService {

    /** SUNAT's own RUC, asked of each provider by the upstream check: it always exists. */
    public static final Ruc PROBE_RUC = new Ruc("20131312955");

    private final Supplier<Store> store;
    private final List<HealthCheck> configurationChecks;
    private final Supplier<List<Provider>> probes;
    private final String noNetwork;

    /**
     * Creates the service.
     *
     * @param store opens the store; a failure to open is reported as a failed check
     * @param configurationChecks what the settings found (tokens, config file permissions)
     * @param probes the configured providers to call when the upstream check is asked for
     * @param noNetwork why the chain has no network provider to call (none configured, the padrón alone), or null
     *     when it has one
     */
    public HealthService(Supplier<Store> store, List<HealthCheck> configurationChecks,
            Supplier<List<Provider>> probes, String noNetwork) {
        this.store = store;
        this.configurationChecks = List.copyOf(configurationChecks);
        this.probes = probes;
        this.noNetwork = noNetwork;
    }

    /** Runs every check; with {@code checkUpstream}, also one real call per configured provider. */
    public List<HealthCheck> run(boolean checkUpstream) {
        List<HealthCheck> checks = new ArrayList<>();
        try {
            checks.addAll(store.get().checkHealth());
        } catch (RucException e) {
            checks.add(HealthCheck.critical("store.connection", e.getMessage()));
        }
        checks.addAll(configurationChecks);
        if (checkUpstream) {
            List<Provider> providers;
            try {
                providers = probes.get();
            } catch (RucException e) {
                checks.add(HealthCheck.critical("upstream", e.getMessage()));
                return checks;
            }
            if (providers.isEmpty() && noNetwork != null) {
                checks.add(HealthCheck.ok("upstream", noNetwork + "; nothing to call"));
            } else if (providers.isEmpty()) {
                checks.add(HealthCheck.warning("upstream", "no network provider has a token; nothing to call"));
            }
            List<HealthCheck> probed = new ArrayList<>();
            for (Provider p : providers) {
                probed.add(probe(p));
            }
            // The chain still answers while one provider does: the others' failures are warnings, not critical.
            boolean oneAnswers = probed.stream().anyMatch(c -> c.level() == HealthCheck.Level.OK);
            for (HealthCheck c : probed) {
                checks.add(oneAnswers && c.level() == HealthCheck.Level.CRITICAL
                        ? HealthCheck.warning(c.name(), c.detail() + "; the chain falls back to another provider")
                        : c);
            }
        }
        return checks;
    }

    /** Returns the worst level among {@code checks}: the overall verdict. */
    public static HealthCheck.Level overall(List<HealthCheck> checks) {
        HealthCheck.Level level = HealthCheck.Level.OK;
        for (HealthCheck c : checks) {
            level = level.worst(c.level());
        }
        return level;
    }

    private static HealthCheck probe(Provider provider) {
        String name = "upstream." + provider.name();
        long start = System.nanoTime();
        ProviderAnswer answer = provider.fetch(PROBE_RUC);
        String took = Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
        if (answer instanceof ProviderAnswer.Found found) {
            return HealthCheck.ok(name, "answered " + PROBE_RUC + " (" + found.record().razonSocial() + ") in "
                    + took);
        }
        if (answer instanceof ProviderAnswer.NotFound) {
            return HealthCheck.warning(name, "answered in " + took + " but says " + PROBE_RUC
                    + " (SUNAT) does not exist");
        }
        ProviderAnswer.Failed failed = (ProviderAnswer.Failed) answer;
        String detail = failed.reason().name().toLowerCase(Locale.ROOT) + ": " + failed.detail() + " (" + took + ")";
        return failed.reason() == Reason.RATE_LIMITED ? HealthCheck.warning(name, detail)
                : HealthCheck.critical(name, detail);
    }
}
