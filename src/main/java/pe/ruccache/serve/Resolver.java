package pe.ruccache.serve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.LocalCheck;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Ruc;
import pe.ruccache.lookup.LookupService;
import pe.ruccache.lookup.Query;
import pe.ruccache.lookup.RecentAnswers;

/**
 * Answers the RUCs of one request through the lookup pipeline, shared by every request the server handles: a RUC
 * that another request is resolving right now is not resolved again (one store read, one provider call, however
 * many requests ask), and a definitive answer is kept in memory for a short while in front of the store, never past
 * its own expiry. The misses of one request go to the pipeline together, as a bulk window does: one store read for
 * all, provider calls at once on the shared executor, within the providers' rate limits.
 */
final class Resolver {

    /** How one request treats the cache: {@code ?refresh} and {@code ?max_age=}. */
    record Freshness(boolean refresh, Duration maxAge) {
        static final Freshness DEFAULT = new Freshness(false, null);

        String key(Ruc ruc) {
            return refresh || maxAge != null ? ruc.value() + "|" + refresh + "|" + maxAge : ruc.value();
        }
    }

    private final Function<Freshness, LookupService> services;
    private final LookupService defaults;
    private final Executor upstream;
    private final Clock clock;
    private final RecentAnswers memory;
    private final Map<String, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();

    /**
     * Creates the resolver.
     *
     * @param services returns a lookup service for a request's freshness (the default one is asked once, here)
     * @param upstream where provider calls run
     * @param clock the time source
     * @param memoryTtl the longest an answer stays in memory; zero keeps none
     */
    Resolver(Function<Freshness, LookupService> services, Executor upstream, Clock clock, Duration memoryTtl) {
        this.services = services;
        this.defaults = services.apply(Freshness.DEFAULT);
        this.upstream = upstream;
        this.clock = clock;
        this.memory = new RecentAnswers(memoryTtl, 100_000, clock);
    }

    /** Returns the default lookup service, whose options say what the server was started with. */
    LookupService defaults() {
        return defaults;
    }

    /**
     * Returns the answers to {@code inputs}, in order, once all are known. A value that is not a RUC is answered at
     * once by the local checks; repeats within the request and RUCs other requests are resolving share one answer.
     * The future fails only with a store or configuration error.
     */
    CompletableFuture<List<Outcome>> resolve(List<String> inputs, Freshness freshness) {
        LookupService service = freshness.equals(Freshness.DEFAULT) ? defaults : services.apply(freshness);
        List<CompletableFuture<Outcome>> answers = new ArrayList<>(inputs.size());
        Map<String, Owned> mine = null;
        List<CacheEntry> registry = null;
        Instant now = clock.instant();
        for (String input : inputs) {
            LocalCheck check = service.check(input);
            if (check instanceof LocalCheck.Invalid invalid) {
                CacheEntry entry = service.registryEntry(invalid);
                if (entry != null) {
                    if (registry == null) {
                        registry = new ArrayList<>();
                    }
                    registry.add(entry);
                }
                answers.add(CompletableFuture.completedFuture(Outcome.local(input, invalid)));
                continue;
            }
            Ruc ruc = ((LocalCheck.Valid) check).ruc();
            Outcome remembered = freshness.refresh() ? null : memory.get(ruc.value());
            if (remembered != null && (freshness.maxAge() == null
                    || !remembered.fetchedAt().isBefore(now.minus(freshness.maxAge())))) {
                service.countRepeat(remembered);
                answers.add(CompletableFuture.completedFuture(remembered.forInput(input)));
                continue;
            }
            String key = freshness.key(ruc);
            CompletableFuture<Outcome> own = new CompletableFuture<>();
            CompletableFuture<Outcome> other = inFlight.putIfAbsent(key, own);
            if (other != null) {
                // Another request, or an earlier repeat in this one, is resolving it: its answer is this one's too.
                answers.add(other.thenApply(o -> {
                    service.countRepeat(o);
                    return o.forInput(input);
                }));
                continue;
            }
            if (mine == null) {
                mine = new LinkedHashMap<>();
            }
            mine.put(ruc.value(), new Owned(ruc, key, own));
            answers.add(own.thenApply(o -> o.forInput(input)));
        }
        if (mine != null) {
            // First, and it never throws: a RUC claimed here must be settled, or later requests would wait for it.
            resolveOwned(service, mine);
        }
        if (registry != null) {
            service.storeAll(registry);
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Outcome> out = new ArrayList<>(answers.size());
            for (CompletableFuture<Outcome> a : answers) {
                out.add(a.join());
            }
            return out;
        });
    }

    /** Resolves the RUCs this request claimed, as one batch; every claim is settled, also on a failure. */
    private void resolveOwned(LookupService service, Map<String, Owned> mine) {
        List<Owned> batch = new ArrayList<>(mine.values());
        for (Owned o : batch) {
            o.future.whenComplete((answer, failure) -> {
                inFlight.remove(o.key, o.future);
                if (answer != null) {
                    memory.offer(answer);
                }
            });
        }
        try {
            Map<String, List<CacheEntry>> stored = service.storedEntries(mine.keySet());
            service.resolveAll(batch, stored, upstream);
        } catch (RuntimeException | Error e) {
            for (Owned o : batch) {
                o.future.completeExceptionally(e);
            }
        }
    }

    /** A RUC this request resolves for every request that asks for it meanwhile. */
    private static final class Owned implements Query {
        private final Ruc ruc;
        private final String key;
        private final CompletableFuture<Outcome> future;

        Owned(Ruc ruc, String key, CompletableFuture<Outcome> future) {
            this.ruc = ruc;
            this.key = key;
            this.future = future;
        }

        @Override
        public Ruc ruc() {
            return ruc;
        }

        @Override
        public void answered(Outcome outcome) {
            future.complete(outcome);
        }

        @Override
        public void pending(CompletableFuture<Outcome> answer) {
            answer.whenComplete((o, e) -> {
                if (e != null) {
                    future.completeExceptionally(e);
                } else {
                    future.complete(o);
                }
            });
        }
    }
}
