package pe.ruccache.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pe.ruccache.cache.Store;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.RucException;
import pe.ruccache.lookup.Counters;
import pe.ruccache.lookup.HealthService;
import pe.ruccache.lookup.InvalidRegistry;
import pe.ruccache.lookup.LookupOptions;
import pe.ruccache.lookup.LookupService;
import pe.ruccache.lookup.Statistics;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;
import pe.ruccache.upstream.ProviderCatalog;
import pe.ruccache.upstream.ProviderSettings;
import pe.ruccache.upstream.UpstreamClient;

/**
 * Opens what a command needs, when it first needs it, and closes it all at the end: the store, the HTTP client, the
 * services over them. Closing adds this run's counters to the store.
 */
public final class Services implements AutoCloseable {

    /** Opens a store; the seam tests use to open theirs. */
    @FunctionalInterface
    public interface StoreOpener {
        /** Opens the store that {@code settings} name. */
        Store open(Settings settings);
    }

    private final Settings settings;
    private final Clock clock;
    private final PrintWriter err;
    private final StoreOpener opener;
    private final Counters counters = new Counters();

    private Store store;
    private UpstreamClient upstream;
    private Provider chain;
    private boolean warnedAboutTokens;

    /**
     * Creates the services of one run.
     *
     * @param settings the resolved settings
     * @param clock the time source
     * @param err where warnings go (stderr)
     * @param userHome the user's home folder, to expand {@code ~} in store paths
     */
    public Services(Settings settings, Clock clock, PrintWriter err, Path userHome) {
        this(settings, clock, err, s -> StoreFactory.open(s.store(), s.lockTimeout(), s.redis(), clock, userHome));
    }

    /** Creates the services with a custom store opener. */
    public Services(Settings settings, Clock clock, PrintWriter err, StoreOpener opener) {
        this.settings = settings;
        this.clock = clock;
        this.err = err;
        this.opener = opener;
    }

    /** Returns the settings. */
    public Settings settings() {
        return settings;
    }

    /** Returns the clock. */
    public Clock clock() {
        return clock;
    }

    /** Returns this run's counters. */
    public Counters counters() {
        return counters;
    }

    /**
     * Returns the store, opening it on first use.
     *
     * @throws pe.ruccache.core.StoreException when it cannot be opened
     */
    public synchronized Store store() {
        if (store == null) {
            store = opener.open(settings);
        }
        return store;
    }

    /** Returns a lookup service with {@code options}, over the store and the configured providers. */
    public LookupService lookupService(LookupOptions options) {
        return new LookupService(store(), settings.rules(), this::providerChain, options, clock, counters);
    }

    /** Returns the lookup options that the settings' TTLs give, with the per-run switches. */
    public LookupOptions lookupOptions(boolean refresh, java.time.Duration maxAge, boolean offline) {
        return new LookupOptions(refresh, maxAge, offline, settings.ttlValid(), settings.ttlInvalid());
    }

    /** Returns the invalid registry over the store. */
    public InvalidRegistry invalidRegistry() {
        return new InvalidRegistry(store(), clock, settings.rules());
    }

    /** Returns the figures {@code stats} reports, this run's counters included. */
    public Statistics statistics() {
        Store s = store();
        counters.flushTo(s);
        return new Statistics(clock.instant(), s.summarize(clock.instant()), s.counters(), settings.ttlValid(),
                settings.ttlInvalid(), s.location(), s.sizeBytes());
    }

    /** Returns the health service over the store and the configured providers. */
    public HealthService healthService() {
        return new HealthService(this::store, configurationChecks(), this::providersToProbe);
    }

    /**
     * Returns the chain of configured providers that have a token, built once per run (their circuit breakers live
     * in it); null when none is configured. Providers without a token are skipped with a warning.
     *
     * @throws ConfigException when no configured provider has a token
     */
    synchronized Provider providerChain() {
        if (chain == null && !settings.providers().isEmpty()) {
            List<ProviderSettings> usable = usableProviders();
            if (usable.isEmpty()) {
                throw new ConfigException(ProviderCatalog.missingTokenMessage(settings.providers().get(0)));
            }
            chain = upstream().chain(usable);
        }
        return chain;
    }

    /** Returns each configured provider as its own chain of one, for the upstream health check. */
    private synchronized List<Provider> providersToProbe() {
        List<Provider> probes = new ArrayList<>();
        for (ProviderSettings ps : usableProviders()) {
            probes.add(upstream().provider(ps));
        }
        return probes;
    }

    /** Returns the settings of the configured providers that have a token, warning once about the others. */
    private List<ProviderSettings> usableProviders() {
        List<ProviderSettings> usable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : settings.providers()) {
            ProviderSettings ps = settings.providerSettings().get(name);
            if (ps == null || ps.token() == null) {
                skipped.add(name);
            } else {
                usable.add(ps);
            }
        }
        if (!usable.isEmpty() && !warnedAboutTokens) {
            warnedAboutTokens = true;
            for (String name : skipped) {
                err.println("ruc-cache: warning: " + ProviderCatalog.missingTokenMessage(name) + "; skipping it");
            }
        }
        return usable;
    }

    private synchronized UpstreamClient upstream() {
        if (upstream == null) {
            upstream = UpstreamClient.builder(settings.http())
                    .httpLog(line -> err.println("ruc-cache: " + line))
                    .onAttempt(this::countCall)
                    .clock(clock)
                    .build();
        }
        return upstream;
    }

    /**
     * Counts one paid request and saves the counters at once: a run interrupted by Ctrl-C keeps the record of the
     * calls it paid for (its answers are already stored).
     */
    private void countCall(ProviderAnswer answer) {
        counters.upstreamCall(answer);
        Store s;
        synchronized (this) {
            s = store;
        }
        if (s != null) {
            try {
                counters.flushTo(s);
            } catch (RucException e) {
                // The counts stay in memory and the final flush tries again; the lookup itself reports store errors.
            }
        }
    }

    private List<HealthCheck> configurationChecks() {
        List<HealthCheck> checks = new ArrayList<>(settings.warnings());
        if (settings.providers().isEmpty()) {
            checks.add(HealthCheck.warning("providers", "no provider configured; only cached answers are served"));
        }
        for (String name : settings.providers()) {
            ProviderSettings ps = settings.providerSettings().get(name);
            if (ps == null) {
                continue;
            }
            if (ps.token() == null) {
                checks.add(HealthCheck.warning("provider." + name, ProviderCatalog.missingTokenMessage(name)));
            } else {
                checks.add(HealthCheck.ok("provider." + name, "token from " + ps.token().origin() + "; "
                        + ps.baseUrl()));
            }
        }
        return checks;
    }

    /** Returns this run's counters, for summaries. */
    public Map<String, Long> runCounters() {
        return new TreeMap<>(counters.snapshot());
    }

    /** Adds this run's counters to the store, then closes the HTTP client and the store. */
    @Override
    public synchronized void close() {
        try {
            if (store != null) {
                counters.flushTo(store);
            }
        } finally {
            try {
                if (upstream != null) {
                    upstream.close();
                }
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        }
    }
}
