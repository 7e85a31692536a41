package pe.ruccache.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.cache.Store;
import pe.ruccache.core.Futures;
import pe.ruccache.core.LocalCheck;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.RucRules;
import pe.ruccache.core.Status;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;
import pe.ruccache.upstream.ProviderCatalog;

/**
 * Answers "is this a RUC, and whose?" as cheaply as possible: the local checks first (no network for a value that
 * cannot be a RUC), then this run's memory, then the store, and only then the providers. Valid answers are stored
 * for the valid TTL, NOT_FOUND ones for the invalid TTL in the invalid registry; failures are never stored, nor are
 * answers from the padrón's local snapshot; when the providers fail an expired answer is served, marked stale,
 * instead of an ERROR. Offline, only providers that need no network (the padrón) are asked. Safe for use by
 * several threads; concurrent lookups of one RUC make one upstream call, and so do concurrent lookups in several
 * processes when their store shares a {@link SingleFlight}: one process claims the RUC and asks, the others wait
 * for its answer and read it from the store.
 */
public final class LookupService {

    /** How many answers this run keeps in memory in front of the store. */
    private static final int MEMORY_ENTRIES = 10_000;

    private final Store store;
    private final RucRules rules;
    private final ProviderSource providerSource;
    private final LookupOptions options;
    private final Clock clock;
    private final Counters counters;
    private final SingleFlight flights;

    private volatile Cache<String, CompletableFuture<Outcome>> memory;
    private volatile Provider provider;
    private volatile boolean providerResolved;

    /**
     * Creates the service.
     *
     * @param store where answers persist
     * @param rules the local checks
     * @param providerSource builds the provider chain on first need
     * @param options TTLs, refresh, max age, offline
     * @param clock the time source (tests inject a fixed or stepping clock)
     * @param counters where this run's counts go
     */
    public LookupService(Store store, RucRules rules, ProviderSource providerSource, LookupOptions options,
            Clock clock, Counters counters) {
        this(store, rules, providerSource, options, clock, counters, SingleFlight.none());
    }

    /**
     * Creates the service over a store that other processes share.
     *
     * @param store where answers persist
     * @param rules the local checks
     * @param providerSource builds the provider chain on first need
     * @param options TTLs, refresh, max age, offline
     * @param clock the time source (tests inject a fixed or stepping clock)
     * @param counters where this run's counts go
     * @param flights decides which process asks the providers about a RUC none has an answer for
     */
    public LookupService(Store store, RucRules rules, ProviderSource providerSource, LookupOptions options,
            Clock clock, Counters counters, SingleFlight flights) {
        this.store = Objects.requireNonNull(store, "store");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.providerSource = Objects.requireNonNull(providerSource, "providerSource");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.flights = Objects.requireNonNull(flights, "flights");
    }

    /** Returns the options this service runs with. */
    public LookupOptions options() {
        return options;
    }

    /** Returns the answers for {@code inputs}, in order; each distinct RUC is resolved once. */
    public List<Outcome> lookupAll(List<String> inputs) {
        List<Outcome> out = new ArrayList<>(inputs.size());
        lookupEach(inputs, out::add);
        return out;
    }

    /**
     * Answers {@code inputs} in order, handing each answer to {@code sink} as soon as it is known, so that a caller
     * can print it before the next one is asked; each distinct RUC is resolved once.
     */
    public void lookupEach(List<String> inputs, Consumer<Outcome> sink) {
        lookupEach(inputs, sink, StopRequest.never());
    }

    /**
     * Answers {@code inputs} as {@link #lookupEach(List, Consumer)} does until {@code stop} is requested: then the
     * answer being fetched is waited for (and stored), nothing new is asked, and it returns.
     */
    public void lookupEach(List<String> inputs, Consumer<Outcome> sink, StopRequest stop) {
        stop.onRequest(why -> stopAsking());
        // One RUC has nothing to share with other lookups: skip building the in-memory cache.
        boolean share = inputs.size() > 1;
        for (String input : inputs) {
            if (stop.isRequested()) {
                return;
            }
            Outcome answer = answer(input, share);
            if (stop.isRequested() && answer.status() == Status.ERROR) {
                // Not asked because of the stop: nothing to report for it.
                return;
            }
            sink.accept(answer);
        }
    }

    /**
     * Returns the answer for one value as the user typed it.
     *
     * @throws pe.ruccache.core.StoreException when the store cannot be read or written
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public Outcome lookup(String input) {
        return answer(input, true);
    }

    /** Answers one value; {@code shareWithRun} keeps the answer in memory for later and concurrent lookups. */
    private Outcome answer(String input, boolean shareWithRun) {
        LocalCheck check = check(input);
        if (check instanceof LocalCheck.Invalid invalid) {
            CacheEntry entry = registryEntry(invalid);
            if (entry != null) {
                store.put(entry);
            }
            return Outcome.local(input, invalid);
        }
        Ruc ruc = ((LocalCheck.Valid) check).ruc();
        return (shareWithRun ? memoized(ruc) : resolve(ruc)).forInput(input);
    }

    /**
     * Checks {@code input} locally, counting it, when it cannot be a RUC, as a lookup and a call saved. The first
     * step of every lookup; {@link #lookup} and bulk runs share it. A well-formed RUC is counted as a lookup where it
     * is counted as a cache hit or a miss, so that a run stopped between the two counts neither, and lookups =
     * hits + misses + local checks always.
     */
    public LocalCheck check(String input) {
        LocalCheck check = rules.check(input);
        if (check instanceof LocalCheck.Invalid) {
            counters.increment(Counters.LOOKUPS);
            counters.increment(Counters.SAVED_BY_LOCAL_CHECK);
        }
        return check;
    }

    /** Counts a lookup of a well-formed RUC answered fresh from the cache. */
    private void countHit() {
        counters.increment(Counters.LOOKUPS);
        counters.increment(Counters.CACHE_HITS);
    }

    /** Counts a lookup of a well-formed RUC that no fresh cached answer served. */
    private void countMiss() {
        counters.increment(Counters.LOOKUPS);
        counters.increment(Counters.CACHE_MISSES);
    }

    /**
     * Returns the entry that records a locally invalid value in the invalid registry (source {@code local}), or null
     * when the value does not have the shape of a RUC and so cannot be a registry key. The caller stores it, alone
     * or in a batch.
     */
    public CacheEntry registryEntry(LocalCheck.Invalid invalid) {
        if (!invalid.isKeyable()) {
            return null;
        }
        Instant now = clock.instant();
        return new CacheEntry(invalid.normalized(), CacheEntry.LOCAL_PROVIDER, Status.INVALID, invalid.reason(),
                invalid.detail(), null, now, now.plus(options.ttlInvalid()));
    }

    /** Returns the stored entries of each of {@code rucs} that has any, read in batches. */
    public Map<String, List<CacheEntry>> storedEntries(Collection<String> rucs) {
        return store.findAll(rucs);
    }

    /** Stores {@code entries} in one transaction where the store has them. */
    public void storeAll(Collection<CacheEntry> entries) {
        if (!entries.isEmpty()) {
            store.putAll(entries);
        }
    }

    /**
     * Returns whether {@code answer}, given for a RUC the store could not answer, cost asking a provider: not an
     * ERROR decided without one (no provider, {@code --offline}, a wait interrupted), not an answer another process
     * stored, and not an expired answer served because no provider may be asked.
     */
    public boolean askedAProvider(Outcome answer) {
        if (Outcome.SOURCE_LOCAL.equals(answer.source())) {
            return false;
        }
        if (Outcome.SOURCE_CACHE.equals(answer.source())) {
            // With a chain, a stale answer is served only after its providers failed.
            return answer.stale() && provider() != null;
        }
        return true;
    }

    /**
     * Counts an answer given again to a RUC this run already resolved: a cache hit, unless it was an ERROR (which
     * was never an answer to reuse, so a miss), as {@link #lookup} counts repeats. Every lookup of a well-formed RUC
     * is a hit or a miss, so that lookups = hits + misses + local checks.
     */
    public void countRepeat(Outcome earlier) {
        if (earlier.status() != Status.ERROR) {
            countHit();
        } else {
            countMiss();
        }
    }

    /** Adds the counts of this run so far to the store's persistent counters. */
    public void flushCounters() {
        counters.flushTo(store);
    }

    /** Returns this run's answer for {@code ruc}, resolving it once even when asked from several threads. */
    private Outcome memoized(Ruc ruc) {
        Cache<String, CompletableFuture<Outcome>> cache = memory();
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> existing = cache.asMap().putIfAbsent(ruc.value(), mine);
        if (existing != null) {
            try {
                Outcome earlier = existing.join();
                countRepeat(earlier);
                return earlier;
            } catch (CompletionException e) {
                Futures.unwrap(e);
                throw e;
            }
        }
        try {
            Outcome resolved = resolve(ruc);
            mine.complete(resolved);
            return resolved;
        } catch (RuntimeException | Error e) {
            // Forget the failure first, so that a later lookup tries again; then wake whoever waits on it.
            cache.asMap().remove(ruc.value(), mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private Cache<String, CompletableFuture<Outcome>> memory() {
        Cache<String, CompletableFuture<Outcome>> m = memory;
        if (m == null) {
            synchronized (this) {
                m = memory;
                if (m == null) {
                    // Built on first use, not at start-up: a single cached lookup should not pay for it.
                    // Futures as values: a lookup in flight is visible to other threads, which wait for it
                    // instead of calling the provider again.
                    m = Caffeine.newBuilder().maximumSize(MEMORY_ENTRIES).build();
                    memory = m;
                }
            }
        }
        return m;
    }

    /** Resolves a locally valid RUC from the store or, on a miss, from the providers. */
    private Outcome resolve(Ruc ruc) {
        List<CacheEntry> entries = store.find(ruc.value());
        Outcome cached = fromStore(ruc, entries);
        if (cached != null) {
            return cached;
        }
        Turn turn = claimMisses(Map.of(ruc, entries)).get(ruc);
        while (turn instanceof Turn.Wait wait) {
            if (!awaitRelease(wait)) {
                return Outcome.error(null, ruc.value(), Reason.TIMEOUT,
                        "interrupted while another process was asking the providers about it");
            }
            turn = afterRelease(wait);
        }
        return turn instanceof Turn.Fetch fetch ? fetchClaimed(fetch) : ((Turn.Answered) turn).outcome();
    }

    /**
     * Claims the RUCs the store could not answer ({@code misses}: each with its stored entries), all in one round
     * trip, and returns what each claim decided. Without a shared single-flight, or when the providers answer from
     * local data (no paid call to save), every turn is a {@link Turn.Fetch} and nothing is sent to the store.
     * After a claim is won the store is read again, so an answer another process stored since the first read is
     * used rather than paid for twice.
     *
     * @throws pe.ruccache.core.StoreException when the claims cannot be taken or the store read
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public Map<Ruc, Turn> claimMisses(Map<Ruc, List<CacheEntry>> misses) {
        Map<Ruc, Turn> turns = new LinkedHashMap<>(misses.size() * 4 / 3 + 1);
        if (misses.isEmpty() || !flights.shared() || !asksNetwork()) {
            misses.forEach((ruc, entries) -> turns.put(ruc, new Turn.Fetch(ruc, entries)));
            return turns;
        }
        List<String> values = new ArrayList<>(misses.size());
        misses.keySet().forEach(ruc -> values.add(ruc.value()));
        Set<String> won = flights.claim(values);
        List<String> lost = new ArrayList<>(values.size() - won.size());
        for (String value : values) {
            if (!won.contains(value)) {
                lost.add(value);
            }
        }
        Map<String, List<CacheEntry>> reread = won.isEmpty() ? Map.of() : store.findAll(won);
        Map<String, CompletableFuture<Void>> released = lost.isEmpty() ? Map.of() : flights.released(lost);
        misses.forEach((ruc, entries) -> {
            CacheEntry seen = newestProviderEntry(entries);
            if (!won.contains(ruc.value())) {
                turns.put(ruc, new Turn.Wait(ruc, seen, released.get(ruc.value())));
                return;
            }
            List<CacheEntry> now = reread.getOrDefault(ruc.value(), List.of());
            Outcome meanwhile = answeredMeanwhile(ruc, now, seen);
            if (meanwhile != null) {
                flights.release(ruc.value());
                turns.put(ruc, new Turn.Answered(ruc, meanwhile));
            } else {
                turns.put(ruc, new Turn.Fetch(ruc, now));
            }
        });
        return turns;
    }

    /**
     * Asks the providers about a RUC this process claimed (see {@link #fromProviders}), then releases the claim,
     * whatever happened, so that processes waiting for it read the answer or, when there is none, try themselves.
     *
     * @throws pe.ruccache.core.StoreException when the answer cannot be stored or the claim released
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public Outcome fetchClaimed(Turn.Fetch fetch) {
        Outcome outcome;
        try {
            outcome = fromProviders(fetch.ruc(), fetch.entries());
        } catch (RuntimeException | Error e) {
            try {
                flights.release(fetch.ruc().value());
            } catch (RuntimeException releasing) {
                e.addSuppressed(releasing);
            }
            throw e;
        }
        flights.release(fetch.ruc().value());
        return outcome;
    }

    /**
     * Returns the answer to a RUC another process was asking about, once it released its claim, without blocking a
     * thread meanwhile: the other process's answer from the store, or, when it got none (its providers failed, or
     * it died), this process's own turn, run on {@code executor}.
     */
    public CompletableFuture<Outcome> awaitAnswer(Turn.Wait wait, Executor executor) {
        return wait.released().thenComposeAsync(released -> {
            Turn next = afterRelease(wait);
            if (next instanceof Turn.Wait again) {
                return awaitAnswer(again, executor);
            }
            return CompletableFuture.completedFuture(next instanceof Turn.Fetch fetch ? fetchClaimed(fetch)
                    : ((Turn.Answered) next).outcome());
        }, executor);
    }

    /** Waits for the claim of {@code wait} to be released; false when interrupted (the flag is kept). */
    private boolean awaitRelease(Turn.Wait wait) {
        try {
            wait.released().get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new CompletionException(Futures.unwrap(e));
        }
    }

    /** Reads the store after another process released its claim, and claims the RUC again if it left no answer. */
    private Turn afterRelease(Turn.Wait wait) {
        List<CacheEntry> entries = store.find(wait.ruc().value());
        Outcome answered = answeredMeanwhile(wait.ruc(), entries, wait.seen());
        if (answered != null) {
            return new Turn.Answered(wait.ruc(), answered);
        }
        return claimMisses(Map.of(wait.ruc(), entries)).get(wait.ruc());
    }

    /**
     * Returns the answer another process stored while this one was not looking, counted as a cache hit: a fresh
     * one, or any unexpired provider answer newer than {@code seen} (it was fetched after this lookup began, so it
     * satisfies {@code --refresh} and {@code --max-age} too). Null when there is none.
     */
    private Outcome answeredMeanwhile(Ruc ruc, List<CacheEntry> entries, CacheEntry seen) {
        Outcome fresh = fromStore(ruc, entries);
        if (fresh != null) {
            return fresh;
        }
        CacheEntry newest = newestProviderEntry(entries);
        if (newest == null || newest.isExpired(clock.instant())
                || seen != null && !newest.fetchedAt().isAfter(seen.fetchedAt())) {
            return null;
        }
        countHit();
        return fromEntry(newest, false);
    }

    /**
     * Returns whether a miss would cost a paid call: a chain with a network provider. Without one (no provider,
     * offline, or the padrón alone) there is nothing for several processes to share.
     */
    private boolean asksNetwork() {
        return provider() != null && !answersLocally();
    }

    /**
     * Returns the answer that {@code entries} (the stored entries of {@code ruc}) give without asking a provider,
     * counted as a cache hit: a user's manual mark, else the newest fresh answer. Returns null, counting nothing,
     * when a provider must be asked ({@link #fromProviders}).
     */
    public Outcome fromStore(Ruc ruc, List<CacheEntry> entries) {
        Instant now = clock.instant();
        CacheEntry manual = null;
        CacheEntry fresh = null;
        for (CacheEntry e : entries) {
            if (CacheEntry.LOCAL_PROVIDER.equals(e.provider())) {
                continue;
            }
            if (CacheEntry.MANUAL_PROVIDER.equals(e.provider())) {
                if (!e.isExpired(now)) {
                    manual = e;
                }
                continue;
            }
            if (isFresh(e, now) && (fresh == null || e.fetchedAt().isAfter(fresh.fetchedAt()))) {
                fresh = e;
            }
        }
        // A RUC marked invalid by hand is never sent upstream, not even with --refresh.
        CacheEntry answer = manual != null ? manual : fresh;
        if (answer == null) {
            return null;
        }
        countHit();
        return fromEntry(answer, false);
    }

    /**
     * Asks the providers about {@code ruc}, which the store could not answer ({@code entries} are its stored
     * entries, possibly expired), counted as a cache miss. A definitive answer is stored before this returns, so a
     * run killed right after keeps it; when the providers fail (or none may be asked) the newest expired entry is
     * served stale, else the ERROR is returned, never stored.
     *
     * @throws pe.ruccache.core.StoreException when the answer cannot be stored
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public Outcome fromProviders(Ruc ruc, List<CacheEntry> entries) {
        CacheEntry fallback = newestProviderEntry(entries);
        countMiss();
        // Offline, the chain holds only the providers that need no network (the padrón), if any are configured.
        Provider chain = provider();
        if (chain == null) {
            return fallbackOr(fallback, options.offline()
                    ? Outcome.error(null, ruc.value(), Reason.OFFLINE_MISS,
                            "not in the cache and --offline forbids calling a provider")
                    : Outcome.error(null, ruc.value(), Reason.NO_PROVIDER,
                            "no provider is configured; set --provider or RUC_CACHE_PROVIDERS"));
        }
        return answerOf(ruc, chain.fetch(ruc), fallback);
    }

    /**
     * Returns whether every provider this service asks answers from local data (the padrón, or {@code --offline}
     * with the padrón configured), so that misses are best answered a batch at a time by
     * {@link #fromProvidersAll}; false when a network provider is in the chain or none is configured.
     *
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public boolean answersLocally() {
        Provider chain = provider();
        return chain != null && chain.answersLocally();
    }

    /**
     * Answers the RUCs that the store could not ({@code misses}: each with its stored entries), as
     * {@link #fromProviders} would one by one, but asking the providers in one batch: the way a bulk run over a local
     * snapshot stays as fast as the snapshot's own queries.
     *
     * @throws pe.ruccache.core.StoreException when an answer cannot be stored
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public Map<Ruc, Outcome> fromProvidersAll(Map<Ruc, List<CacheEntry>> misses) {
        Map<Ruc, Outcome> out = new java.util.HashMap<>(misses.size() * 4 / 3 + 1);
        if (misses.isEmpty()) {
            return out;
        }
        Provider chain = provider();
        if (chain == null) {
            misses.forEach((ruc, entries) -> out.put(ruc, fromProviders(ruc, entries)));
            return out;
        }
        Map<Ruc, ProviderAnswer> answers = chain.fetchAll(misses.keySet());
        misses.forEach((ruc, entries) -> {
            countMiss();
            ProviderAnswer answer = answers.get(ruc);
            if (answer == null) {
                throw new IllegalStateException(chain.name() + " gave no answer for " + ruc);
            }
            out.put(ruc, answerOf(ruc, answer, newestProviderEntry(entries)));
        });
        return out;
    }

    /** Returns the newest entry a provider gave (not a manual mark, not a local check), or null. */
    private static CacheEntry newestProviderEntry(List<CacheEntry> entries) {
        CacheEntry newest = null;
        for (CacheEntry e : entries) {
            if (!CacheEntry.LOCAL_PROVIDER.equals(e.provider()) && !CacheEntry.MANUAL_PROVIDER.equals(e.provider())
                    && (newest == null || e.fetchedAt().isAfter(newest.fetchedAt()))) {
                newest = e;
            }
        }
        return newest;
    }

    /** Turns a provider's answer into the outcome, storing a definitive one, falling back to a stale entry. */
    private Outcome answerOf(Ruc ruc, ProviderAnswer answer, CacheEntry fallback) {
        Instant fetchedAt = clock.instant();
        if (answer instanceof ProviderAnswer.Found found) {
            CacheEntry entry = new CacheEntry(ruc.value(), found.provider(), Status.VALID, null, null,
                    found.record(), fetchedAt, fetchedAt.plus(options.ttlValid()));
            return stored(entry);
        }
        if (answer instanceof ProviderAnswer.NotFound notFound) {
            CacheEntry entry = new CacheEntry(ruc.value(), notFound.provider(), Status.INVALID, Reason.NOT_FOUND,
                    notFound.detail(), null, fetchedAt, fetchedAt.plus(options.ttlInvalid()));
            return stored(entry);
        }
        ProviderAnswer.Failed failed = (ProviderAnswer.Failed) answer;
        return fallbackOr(fallback, new Outcome(null, ruc.value(), Status.ERROR, failed.reason(), failed.detail(),
                null, failed.provider(), failed.provider(), null, null, false));
    }

    private boolean isFresh(CacheEntry e, Instant now) {
        if (options.refresh() || e.isExpired(now)) {
            return false;
        }
        return options.maxAge() == null || !e.fetchedAt().plus(options.maxAge()).isBefore(now);
    }

    /** Returns the stale answer when there is one, else the error: an old answer beats none when providers fail. */
    private Outcome fallbackOr(CacheEntry fallback, Outcome error) {
        if (fallback == null) {
            return error;
        }
        counters.increment(Counters.STALE_SERVED);
        return fromEntry(fallback, true);
    }

    /**
     * Stores a provider's answer and returns it; an answer from a local snapshot (the padrón) is returned unstored,
     * with no expiry: the snapshot is already local, and a copy would outlive the next snapshot's corrections.
     */
    private Outcome stored(CacheEntry entry) {
        if (ProviderCatalog.isLocalSnapshot(entry.provider())) {
            return new Outcome(null, entry.ruc(), entry.status(), entry.reason(), entry.detail(), entry.record(),
                    entry.provider(), entry.provider(), entry.fetchedAt(), null, false);
        }
        store.put(entry);
        return fromAnswer(entry);
    }

    /**
     * Builds the provider chain now rather than at the first miss, so that a run that will need it fails before it
     * writes or counts anything.
     *
     * @throws pe.ruccache.core.ConfigException when a provider is configured and cannot be used
     */
    public void requireProviders() {
        provider();
    }

    /** Returns whether the provider chain has been built (so a configuration error can no longer come up). */
    public boolean providersResolved() {
        return providerResolved;
    }

    /**
     * Makes the providers send no new request, retries included, while those already sent finish and their answers
     * are stored: what a run stopped by Ctrl-C does, so that it buys nothing more and loses nothing it bought.
     */
    public void stopAsking() {
        providerSource.stopSending();
    }

    private Provider provider() {
        if (!providerResolved) {
            synchronized (this) {
                if (!providerResolved) {
                    provider = options.offline() ? providerSource.offline() : providerSource.get();
                    providerResolved = true;
                }
            }
        }
        return provider;
    }

    /**
     * Returns the answer a stored entry gives: from the cache ({@code source=cache}), marked stale when served past
     * its expiry because no provider could answer.
     */
    public static Outcome fromEntry(CacheEntry e, boolean stale) {
        return new Outcome(null, e.ruc(), e.status(), e.reason(), e.detail(), e.record(), Outcome.SOURCE_CACHE,
                e.provider(), e.fetchedAt(), e.expiresAt(), stale);
    }

    /** Returns the answer a provider just gave, as stored in {@code e}: its source is the provider. */
    public static Outcome fromAnswer(CacheEntry e) {
        return new Outcome(null, e.ruc(), e.status(), e.reason(), e.detail(), e.record(), e.provider(),
                e.provider(), e.fetchedAt(), e.expiresAt(), false);
    }
}
