package pe.ruccache.lookup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.cache.Store;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;
import pe.ruccache.upstream.ProviderCatalog;

/**
 * The stages of a lookup after the local check, written once for {@code lookup} and {@code bulk} alike
 * (docs/DESIGN.md, "Lookup"): the store's fresh answer or manual mark; for a miss, a claim on a store that other
 * processes share; the providers (a local snapshot a batch at a time, network providers one call per RUC on the
 * batch's executor); storing a definitive answer; serving an expired answer, marked stale, when the providers fail;
 * and the hit and miss counts. {@link #resolve} is the entry point; the callers feed it a batch of distinct RUCs
 * and their stored entries, and keep their own run memory in front of it.
 */
final class ReadThrough {

    private final Store store;
    private final ProviderSource providerSource;
    private final LookupOptions options;
    private final Clock clock;
    private final Counters counters;
    private final SingleFlight flights;

    private volatile Provider provider;
    private volatile boolean providerResolved;

    ReadThrough(Store store, ProviderSource providerSource, LookupOptions options, Clock clock, Counters counters,
            SingleFlight flights) {
        this.store = store;
        this.providerSource = providerSource;
        this.options = options;
        this.clock = clock;
        this.counters = counters;
        this.flights = flights;
    }

    /**
     * Answers each query of {@code batch} (distinct RUCs) from {@code stored}, their entries read from the store, or
     * from the providers; see {@link LookupService#resolveAll}.
     */
    void resolve(List<? extends Query> batch, Map<String, List<CacheEntry>> stored, Executor executor) {
        List<Query> missed = null;
        Map<Ruc, List<CacheEntry>> misses = null;
        for (Query query : batch) {
            List<CacheEntry> entries = stored.getOrDefault(query.ruc().value(), List.of());
            Outcome cached = fromStore(query.ruc(), entries);
            if (cached != null) {
                query.answered(cached);
                continue;
            }
            if (missed == null) {
                missed = new ArrayList<>();
                misses = new LinkedHashMap<>();
            }
            missed.add(query);
            misses.put(query.ruc(), entries);
        }
        if (missed == null) {
            return;
        }
        if (!asksNetwork()) {
            // Nothing to pay for (a local snapshot, or no provider may be asked): answered here and now, in batches.
            Map<Ruc, Outcome> answers = fromProvidersAll(misses);
            for (Query query : missed) {
                query.answered(answers.get(query.ruc()));
            }
            return;
        }
        // Claimed in one round trip on a shared store: another process may be asking about some already.
        Map<Ruc, Turn> turns = claimMisses(misses);
        for (Query query : missed) {
            Turn turn = turns.get(query.ruc());
            if (turn instanceof Turn.Answered answered) {
                query.answered(answered.outcome());
            } else if (turn instanceof Turn.Fetch fetch) {
                query.pending(CompletableFuture.supplyAsync(() -> fetchClaimed(fetch), executor));
            } else {
                query.pending(awaitAnswer((Turn.Wait) turn, executor));
            }
        }
    }

    /** Counts a lookup of a well-formed RUC answered fresh from the cache. */
    void countHit() {
        counters.increment(Counters.LOOKUPS);
        counters.increment(Counters.CACHE_HITS);
    }

    /** Counts a lookup of a well-formed RUC that no fresh cached answer served. */
    void countMiss() {
        counters.increment(Counters.LOOKUPS);
        counters.increment(Counters.CACHE_MISSES);
    }

    /**
     * Returns the answer that {@code entries} (the stored entries of {@code ruc}) give without asking a provider,
     * counted as a cache hit: a user's manual mark, else the newest fresh answer. Returns null, counting nothing,
     * when a provider must be asked.
     */
    private Outcome fromStore(Ruc ruc, List<CacheEntry> entries) {
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
        return LookupService.fromEntry(answer, false);
    }

    /**
     * Claims the RUCs the store could not answer ({@code misses}: each with its stored entries), all in one round
     * trip, and returns what each claim decided. Without a shared single-flight, or when the providers answer from
     * local data (no paid call to save), every turn is a {@link Turn.Fetch} and nothing is sent to the store.
     * After a claim is won the store is read again, so an answer another process stored since the first read is
     * used rather than paid for twice.
     */
    private Map<Ruc, Turn> claimMisses(Map<Ruc, List<CacheEntry>> misses) {
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
     */
    private Outcome fetchClaimed(Turn.Fetch fetch) {
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
    private CompletableFuture<Outcome> awaitAnswer(Turn.Wait wait, Executor executor) {
        return wait.released().thenComposeAsync(released -> {
            Turn next = afterRelease(wait);
            if (next instanceof Turn.Wait again) {
                return awaitAnswer(again, executor);
            }
            return CompletableFuture.completedFuture(next instanceof Turn.Fetch fetch ? fetchClaimed(fetch)
                    : ((Turn.Answered) next).outcome());
        }, executor);
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
        return LookupService.fromEntry(newest, false);
    }

    /**
     * Returns whether a miss would cost a paid call: a chain with a network provider. Without one (no provider,
     * offline, or the padrón alone) there is nothing for several processes to share, nor a call to wait for.
     */
    boolean asksNetwork() {
        return provider() != null && !answersLocally();
    }

    /** Returns whether every provider asked answers from local data (the padrón); false when none is configured. */
    boolean answersLocally() {
        Provider chain = provider();
        return chain != null && chain.answersLocally();
    }

    /**
     * Asks the providers about {@code ruc}, which the store could not answer ({@code entries} are its stored
     * entries, possibly expired), counted as a cache miss. A definitive answer is stored before this returns, so a
     * run killed right after keeps it; when the providers fail (or none may be asked) the newest expired entry is
     * served stale, else the ERROR is returned, never stored.
     */
    private Outcome fromProviders(Ruc ruc, List<CacheEntry> entries) {
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
     * Answers {@code misses} as {@link #fromProviders} would one by one, but asking a local snapshot in one batch:
     * the way a bulk run over the padrón stays as fast as the snapshot's own queries.
     */
    private Map<Ruc, Outcome> fromProvidersAll(Map<Ruc, List<CacheEntry>> misses) {
        Map<Ruc, Outcome> out = new HashMap<>(misses.size() * 4 / 3 + 1);
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
        return LookupService.fromEntry(fallback, true);
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
        return LookupService.fromAnswer(entry);
    }

    /** Returns whether the provider chain has been built (so a configuration error can no longer come up). */
    boolean providerResolved() {
        return providerResolved;
    }

    /** Makes the providers send no new request, retries included; see {@link LookupService#stopAsking}. */
    void stopSending() {
        providerSource.stopSending();
    }

    /** Returns the provider chain, built on first need; null when none is configured or may be asked. */
    Provider provider() {
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
}
