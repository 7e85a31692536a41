package pe.ruccache.lookup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import pe.ruccache.cache.Store;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.RucException;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;

/**
 * Tells whether the tool can work: the store opens, takes a write and passes its integrity check; the providers are
 * configured; and, on request, each provider answers one real call, all of them at once within one overall timeout.
 */
public final class HealthService {

    /** SUNAT's own RUC, asked of each provider by the upstream check: it always exists. */
    public static final Ruc PROBE_RUC = new Ruc("20131312955");

    private final Supplier<Store> store;
    private final List<HealthCheck> configurationChecks;
    private final Supplier<List<Provider>> probes;
    private final String noNetwork;
    private final BooleanSupplier localAnswers;

    /**
     * Creates the service.
     *
     * @param store opens the store; a failure to open is reported as a failed check
     * @param configurationChecks what the settings found (tokens, config file permissions)
     * @param probes the configured network providers to call when the upstream check is asked for
     * @param noNetwork why the chain has no network provider to call (none configured, the padrón alone), or null
     *     when it has one
     * @param localAnswers tells whether a provider of the chain answers without the network (the padrón, with a
     *     snapshot), so that the chain still answers whatever the network providers do
     */
    public HealthService(Supplier<Store> store, List<HealthCheck> configurationChecks,
            Supplier<List<Provider>> probes, String noNetwork, BooleanSupplier localAnswers) {
        this.store = store;
        this.configurationChecks = List.copyOf(configurationChecks);
        this.probes = probes;
        this.noNetwork = noNetwork;
        this.localAnswers = localAnswers;
    }

    /**
     * Runs every check; with {@code checkUpstream}, also one real call per configured network provider, all at once,
     * reporting as timed out those that have not answered within {@code upstreamTimeout}.
     */
    public List<HealthCheck> run(boolean checkUpstream, Duration upstreamTimeout) {
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
            List<HealthCheck> probed = probeAll(providers, upstreamTimeout);
            // The chain still answers while one provider does: the others' failures are warnings, not critical.
            boolean oneAnswers = probed.stream().anyMatch(c -> c.level() == HealthCheck.Level.OK)
                    || (!providers.isEmpty() && localAnswers.getAsBoolean());
            for (HealthCheck c : probed) {
                checks.add(oneAnswers && c.level() == HealthCheck.Level.CRITICAL
                        ? c.as(HealthCheck.Level.WARNING, c.detail() + "; the chain falls back to another provider")
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

    /**
     * Calls every provider at once, each on a thread of its own, and waits for them until {@code timeout} has passed
     * since the first was started; one still waiting then is interrupted and reported as timed out.
     */
    private static List<HealthCheck> probeAll(List<Provider> providers, Duration timeout) {
        if (providers.isEmpty()) {
            return List.of();
        }
        ExecutorService threads = Executors.newFixedThreadPool(providers.size(), task -> {
            Thread t = new Thread(task, "health-upstream");
            // A provider that never answers must not keep the process alive once the verdict is out.
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<HealthCheck>> calls = new ArrayList<>();
            for (Provider p : providers) {
                calls.add(threads.submit(() -> probe(p)));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            List<HealthCheck> probed = new ArrayList<>();
            for (int i = 0; i < providers.size(); i++) {
                probed.add(await(calls.get(i), providers.get(i), deadline, timeout));
            }
            return probed;
        } finally {
            threads.shutdownNow();
        }
    }

    private static HealthCheck await(Future<HealthCheck> call, Provider provider, long deadline, Duration timeout) {
        String name = "upstream." + provider.name();
        try {
            return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | CancellationException e) {
            call.cancel(true);
            return HealthCheck.critical(name, "timeout: no answer within " + DurationText.format(timeout)
                    + " (--timeout)");
        } catch (ExecutionException e) {
            return HealthCheck.critical(name, "the check failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return HealthCheck.critical(name, "interrupted before it answered");
        }
    }

    private static HealthCheck probe(Provider provider) {
        String name = "upstream." + provider.name();
        long start = System.nanoTime();
        ProviderAnswer answer = provider.fetch(PROBE_RUC);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        String took = millis + " ms";
        String label = "upstream_" + provider.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (answer instanceof ProviderAnswer.Found found) {
            return HealthCheck.ok(name, "answered " + PROBE_RUC + " (" + found.record().razonSocial() + ") in "
                    + took).measured(label, millis, "ms");
        }
        if (answer instanceof ProviderAnswer.NotFound) {
            return HealthCheck.warning(name, "answered in " + took + " but says " + PROBE_RUC
                    + " (SUNAT) does not exist").measured(label, millis, "ms");
        }
        ProviderAnswer.Failed failed = (ProviderAnswer.Failed) answer;
        String detail = failed.reason().name().toLowerCase(Locale.ROOT) + ": " + failed.detail() + " (" + took + ")";
        return (failed.reason() == Reason.RATE_LIMITED ? HealthCheck.warning(name, detail)
                : HealthCheck.critical(name, detail)).measured(label, millis, "ms");
    }
}
