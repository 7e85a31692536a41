package pe.ruccache.app;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pe.ruccache.bulk.BulkService;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.RucException;
import pe.ruccache.lookup.Counters;
import pe.ruccache.lookup.HealthService;
import pe.ruccache.lookup.InvalidRegistry;
import pe.ruccache.lookup.LookupOptions;
import pe.ruccache.lookup.LookupService;
import pe.ruccache.lookup.ProviderSource;
import pe.ruccache.lookup.Statistics;
import pe.ruccache.padron.PadronProvider;
import pe.ruccache.padron.PadronService;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;
import pe.ruccache.upstream.ProviderCatalog;
import pe.ruccache.upstream.ProviderChain;
import pe.ruccache.upstream.ProviderSettings;
import pe.ruccache.upstream.RateBuckets;
import pe.ruccache.upstream.UpstreamClient;

/**
 * Opens what a command needs, when it first needs it, and closes it all at the end: the store, the HTTP client, the
 * padrón snapshot, the services over them. Closing adds this run's counters to the store.
 */
public final class Services implements AutoCloseable {

    /** Opens a store; the seam tests use to open theirs. */
    @FunctionalInterface
    public interface StoreOpener {
        /**
         * Opens the store that {@code settings} name; without {@code create}, throws MissingStoreException where
         * there is none instead of creating it.
         */
        Store open(Settings settings, boolean create);
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
    private PadronProvider padron;
    private boolean padronOpened;
    private boolean stopping;
    private boolean existingStoreOnly;

    /**
     * Creates the services of one run.
     *
     * @param settings the resolved settings
     * @param clock the time source
     * @param err where warnings go (stderr)
     * @param userHome the user's home folder, to expand {@code ~} in store paths
     */
    public Services(Settings settings, Clock clock, PrintWriter err, Path userHome) {
        this(settings, clock, err, (s, create) -> StoreFactory.open(s.store(), s.lockTimeout(), s.redis(), clock,
                userHome, create));
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
            store = opener.open(settings, !existingStoreOnly);
        }
        return store;
    }

    /**
     * Makes this run open only a store that exists, for the commands that only read it: where there is none, {@link
     * #store()} throws MissingStoreException and creates no file or folder. Returns these services.
     */
    public synchronized Services existingStoreOnly() {
        existingStoreOnly = true;
        return this;
    }

    /**
     * Returns a lookup service with {@code options}, over the store and the configured providers; on a Redis store,
     * misses are coordinated with the other processes using it (one of them asks the providers about a RUC).
     */
    public LookupService lookupService(LookupOptions options) {
        Store s = store();
        SingleFlight flights = s.singleFlight();
        return new LookupService(s, settings.rules(), new ProviderSource() {
            @Override
            public Provider get() {
                return providerChain();
            }

            @Override
            public Provider offline() {
                return offlineChain();
            }

            @Override
            public void stopSending() {
                Services.this.stopSending();
            }
        }, options, clock, counters, flights);
    }

    /** Returns the padrón's import, update and status service. */
    public PadronService padronService() {
        return new PadronService(settings.padron(), clock, () -> upstream().downloader());
    }

    /** Returns a bulk service over a lookup service with {@code options}, sharing this run's counters. */
    public BulkService bulkService(LookupOptions options) {
        return new BulkService(lookupService(options), counters);
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
        // Counted as the invalid registry lists them: without the verdicts the rules in force overturned.
        StoreSummary summary = s.summarize(clock.instant()).without(invalidRegistry().superseded());
        return new Statistics(clock.instant(), summary, s.counters(), settings.ttlValid(),
                settings.ttlInvalid(), s.location(), s.sizeBytes());
    }

    /** Returns the health service over the store and the configured providers. */
    public HealthService healthService() {
        List<String> chain = settings.providers();
        String noNetwork = chain.isEmpty() ? "no provider configured (the cache alone answers)"
                : chain.stream().allMatch(ProviderCatalog::isLocalSnapshot)
                        ? "no network provider in the chain (the padrón answers locally)" : null;
        return new HealthService(this::store, configurationChecks(), this::providersToProbe, noNetwork,
                () -> chain.contains(ProviderCatalog.PADRON) && padron() != null);
    }

    /**
     * Returns the chain of configured providers that have a token, built once per run (their circuit breakers live
     * in it); null when none is configured. Providers without a token are skipped with a warning.
     *
     * @throws ConfigException when no configured provider has a token
     */
    synchronized Provider providerChain() {
        if (chain == null && !settings.providers().isEmpty()) {
            PadronProvider local = settings.providers().contains(ProviderCatalog.PADRON) ? padron() : null;
            List<ProviderSettings> usable = usableProviders();
            if (usable.isEmpty() && local == null) {
                String first = settings.providers().get(0);
                throw new ConfigException(ProviderCatalog.isLocalSnapshot(first) ? noPadronMessage()
                        : ProviderCatalog.missingTokenMessage(first) + padronHint());
            }
            if (local == null && settings.providers().contains(ProviderCatalog.PADRON)) {
                err.println("ruc-cache: warning: " + noPadronMessage() + "; skipping it");
            }
            // The chain keeps the configured order, with the padrón where it was listed.
            List<Provider> providers = new ArrayList<>();
            for (String name : settings.providers()) {
                if (ProviderCatalog.isLocalSnapshot(name)) {
                    if (local != null) {
                        providers.add(local);
                    }
                } else {
                    for (ProviderSettings ps : usable) {
                        if (ps.name().equals(name)) {
                            providers.add(upstream().provider(ps));
                        }
                    }
                }
            }
            chain = providers.size() == 1 ? providers.get(0) : new ProviderChain(providers);
        }
        return chain;
    }

    /**
     * Returns the configured providers that need no network, for {@code --offline}: the padrón when it is in the
     * chain, else null (an offline miss is then OFFLINE_MISS).
     *
     * @throws ConfigException when the padrón is in the chain but has no snapshot
     */
    synchronized Provider offlineChain() {
        if (!settings.providers().contains(ProviderCatalog.PADRON)) {
            return null;
        }
        PadronProvider local = padron();
        if (local == null) {
            throw new ConfigException(noPadronMessage());
        }
        return local;
    }

    /** Returns the padrón provider over the snapshot, opened once per run; null when there is no snapshot. */
    private synchronized PadronProvider padron() {
        if (!padronOpened) {
            padron = padronService().openProvider();
            padronOpened = true;
            if (padron != null) {
                java.time.Duration age = padron.info().age(clock.instant());
                java.time.Duration limit = settings.padron().maxAge();
                if (age.compareTo(limit) > 0) {
                    String asOf = padron.info().dataAsOf().toString();
                    padron.beforeFirstAnswer(() -> err.println("ruc-cache: warning: answering from a padrón snapshot "
                            + PadronService.ageText(age) + " old (data as of " + asOf + "), older than its maximum age "
                            + DurationText.format(limit) + "; run 'ruc-cache padron update'"));
                }
            }
        }
        return padron;
    }

    /** Where a token is missing but a padrón snapshot was imported: how to answer from it instead. */
    private String padronHint() {
        java.nio.file.Path snapshot = settings.padron().snapshot();
        return java.nio.file.Files.isRegularFile(snapshot) ? "; or answer from the padrón snapshot at " + snapshot
                + " with --provider padron (or providers=padron in the config file)" : "";
    }

        private String noPadronMessage() {
        return "no padrón snapshot at " + settings.padron().snapshot() + " for provider padron; run 'ruc-cache "
                + "padron update' (or 'padron import FILE') first";
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
            if (ProviderCatalog.isLocalSnapshot(name)) {
                continue;
            }
            if (ps == null || ps.token() == null) {
                skipped.add(name);
            } else {
                usable.add(ps);
            }
        }
        // Warn only when something will answer; with nothing usable the caller's error says it all.
        if ((!usable.isEmpty() || padron != null) && !warnedAboutTokens) {
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
                    .rateBuckets(this::rateBucket)
                    .build();
            if (stopping) {
                upstream.stopSending();
            }
        }
        return upstream;
    }

    /** Makes the providers send no new request from now on (a run is stopping); those already sent finish. */
    public synchronized void stopSending() {
        stopping = true;
        if (upstream != null) {
            upstream.stopSending();
        }
    }

    /**
     * Forgets this run's counters: a run that failed on its configuration before doing any work leaves no trace in
     * {@code stats}.
     */
    public void forgetCounters() {
        counters.clear();
    }

    /**
     * Returns the request-rate bucket of {@code provider}: on a Redis store the one every process using it shares,
     * else one of this process's own. Asked only when a provider with a rate limit is built, so a command that calls
     * no provider (or has no limit) never touches it.
     */
    private Bucket rateBucket(String provider, BucketConfiguration configuration) {
        Bucket shared = store().sharedRateBucket(provider, configuration);
        return shared != null ? shared : RateBuckets.local().bucket(provider, configuration);
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
        boolean padronInChain = settings.providers().contains(ProviderCatalog.PADRON);
        checks.addAll(padronService().health(padronInChain,
                padronInChain && settings.providers().size() == 1));
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
                if (padron != null) {
                    padron.close();
                }
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        }
    }
}
