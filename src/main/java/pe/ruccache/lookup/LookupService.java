package pe.ruccache.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

/**
 * Answers "is this a RUC, and whose?" as cheaply as possible: the local checks first (no network for a value that
 * cannot be a RUC), then this run's memory, then the store, and only then the providers. Valid answers are stored
 * for the valid TTL, NOT_FOUND ones for the invalid TTL in the invalid registry; failures are never stored, nor are
 * answers from the padrón's local snapshot; when the providers fail an expired answer is served, marked stale,
 * instead of an ERROR. Offline, only providers that need no network (the padrón) are asked. Safe for use by
 * several threads; concurrent lookups of one RUC make one upstream call, and so do concurrent lookups in several
 * processes when their store shares a {@link SingleFlight}: one process claims the RUC and asks, the others wait
 * for its answer and read it from the store.
 *
 * <p>The one read-through pipeline of the tool: {@link #lookup} and {@code bulk} both go through
 * {@link #resolveAll}, whose stages after the local check are written once, in {@link ReadThrough}
 * (ARCHITECTURE.md, "One lookup, stage by stage").
 */
public final class LookupService {

    /** How many answers this run keeps in memory in front of the store. */
    private static final int MEMORY_ENTRIES = 10_000;

    private final Store store;
    private final RucRules rules;
    private final LookupOptions options;
    private final Clock clock;
    private final Counters counters;
    private final ReadThrough readThrough;

    private volatile Cache<String, CompletableFuture<Outcome>> memory;

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
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.readThrough = new ReadThrough(store, Objects.requireNonNull(providerSource, "providerSource"), options,
                clock, counters, Objects.requireNonNull(flights, "flights"));
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
            return answer.stale() && readThrough.provider() != null;
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
            readThrough.countHit();
        } else {
            readThrough.countMiss();
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

    /**
     * Resolves a locally valid RUC through the same pipeline as a bulk window ({@link #resolveAll}), a batch of one,
     * on this thread: the provider call, or the wait for another process, happens here.
     */
    private Outcome resolve(Ruc ruc) {
        One one = new One(ruc);
        CallerRuns here = new CallerRuns();
        readThrough.resolve(List.of(one), Map.of(ruc.value(), store.find(ruc.value())), here);
        if (one.answer != null) {
            return one.answer;
        }
        try {
            return here.await(one.pending);
        } catch (InterruptedException e) {
            // Only a wait for another process blocks with no task of this thread's own to run.
            Thread.currentThread().interrupt();
            return Outcome.error(null, ruc.value(), Reason.TIMEOUT,
                    "interrupted while another process was asking the providers about it");
        }
    }

    /**
     * The batch entry point of the read-through pipeline, which {@code lookup} and {@code bulk} both drive: answers
     * each query of {@code batch} (distinct, locally valid RUCs; {@code stored} holds the entries the store has for
     * them, read with {@link #storedEntries}) in the order of docs/DESIGN.md: the store's manual mark or fresh
     * answer; else, on a store that other processes share, a claim (one round trip for the batch); then the
     * providers, a local snapshot in one batch query and network providers one call each on {@code executor}; a
     * definitive answer stored, an expired one served stale when the providers fail, an ERROR never stored. Every
     * query gets its answer, or the future of it, before this returns; hits and misses are counted here.
     *
     * @throws pe.ruccache.core.StoreException when the store cannot be read or written, or the claims taken
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public void resolveAll(List<? extends Query> batch, Map<String, List<CacheEntry>> stored, Executor executor) {
        readThrough.resolve(batch, stored, executor);
    }

    /** A query of one RUC: its answer, or the future of it. */
    private static final class One implements Query {
        private final Ruc ruc;
        private Outcome answer;
        private CompletableFuture<Outcome> pending;

        One(Ruc ruc) {
            this.ruc = ruc;
        }

        @Override
        public Ruc ruc() {
            return ruc;
        }

        @Override
        public void answered(Outcome outcome) {
            answer = outcome;
        }

        @Override
        public void pending(CompletableFuture<Outcome> future) {
            pending = future;
        }
    }

    /**
     * Returns whether every miss is answered at once, with no network provider to wait for: the providers answer
     * from local data (the padrón, or {@code --offline} with the padrón configured), or none may be asked (none
     * configured, or {@code --offline} without the padrón). Then {@link #resolveAll} leaves nothing pending, and a
     * caller may run it right after the store read, on the reader's thread.
     *
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     */
    public boolean answersAtOnce() {
        return !readThrough.asksNetwork();
    }

    /**
     * Builds the provider chain now rather than at the first miss, so that a run that will need it fails before it
     * writes or counts anything.
     *
     * @throws pe.ruccache.core.ConfigException when a provider is configured and cannot be used
     */
    public void requireProviders() {
        readThrough.provider();
    }

    /** Returns whether the provider chain has been built (so a configuration error can no longer come up). */
    public boolean providersResolved() {
        return readThrough.providerResolved();
    }

    /**
     * Makes the providers send no new request, retries included, while those already sent finish and their answers
     * are stored: what a run stopped by Ctrl-C does, so that it buys nothing more and loses nothing it bought.
     */
    public void stopAsking() {
        readThrough.stopSending();
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
