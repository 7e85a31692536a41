package pe.ruccache.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.InMemoryStore;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.RucRules;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.upstream.ProviderAnswer;

/**
 * The lookup service on a store shared with other processes, whose claims a scripted single-flight plays: who asks
 * the providers, what a process that waited answers, and that a claim is always released.
 */
class LookupSingleFlightTest {

    private static final String CONTINENTAL = "20100038146";
    private static final String SUNAT = "20131312955";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final LookupServiceTest.ScriptedProvider provider = new LookupServiceTest.ScriptedProvider("migo");
    private final Counters counters = new Counters();
    private final ScriptedFlights flights = new ScriptedFlights();

    private LookupService service(LookupOptions options) {
        return new LookupService(store, RucRules.defaults(), () -> provider, options, clock, counters, flights);
    }

    private CacheEntry answer(String ruc, String provider, String name, Instant fetchedAt) {
        return new CacheEntry(ruc, provider, Status.VALID, null, null, LookupServiceTest.record(ruc, name), fetchedAt,
                fetchedAt.plus(Duration.ofHours(1)));
    }

    @Test
    void miss_noOtherProcessAsking_claimsAsksStoresAndReleases() {
        provider.answers.add(new ProviderAnswer.Found("migo", LookupServiceTest.record(CONTINENTAL, "CONTINENTAL")));

        Outcome o = service(LookupOptions.defaults()).lookup(CONTINENTAL);

        assertEquals("migo", o.source());
        assertEquals(List.of(CONTINENTAL), flights.claimed);
        assertEquals(List.of(CONTINENTAL), flights.releasedByUs);
        assertEquals(1, store.find(CONTINENTAL).size());
    }

    @Test
    void miss_anotherProcessAsking_waitsAndServesItsAnswerFromTheCache() {
        flights.heldElsewhere.add(CONTINENTAL);
        flights.onWait = ruc -> {
            // The other process stores its answer and releases its claim.
            store.put(answer(ruc, "decolecta", "CONTINENTAL FROM ELSEWHERE", clock.instant()));
            flights.releaseElsewhere(ruc);
        };

        Outcome o = service(LookupOptions.defaults()).lookup(CONTINENTAL);

        assertEquals(Status.VALID, o.status());
        assertEquals(Outcome.SOURCE_CACHE, o.source());
        assertEquals("decolecta", o.provider());
        assertEquals("CONTINENTAL FROM ELSEWHERE", o.record().razonSocial());
        assertEquals(List.of(), provider.calls);
        assertEquals(1, counters.get(Counters.CACHE_HITS));
        assertEquals(0, counters.get(Counters.CACHE_MISSES));
        assertEquals(List.of(), flights.releasedByUs);
    }

    @Test
    void miss_otherProcessGotNoAnswer_thisOneAsksInItsTurn() {
        flights.heldElsewhere.add(CONTINENTAL);
        // Its providers failed: errors are not stored, so it releases with nothing in the store.
        flights.onWait = flights::releaseElsewhere;
        provider.answers.add(new ProviderAnswer.Found("migo", LookupServiceTest.record(CONTINENTAL, "CONTINENTAL")));

        Outcome o = service(LookupOptions.defaults()).lookup(CONTINENTAL);

        assertEquals("migo", o.source());
        assertEquals(List.of(CONTINENTAL), provider.calls);
        assertEquals(List.of(CONTINENTAL, CONTINENTAL), flights.claimed);
        assertEquals(List.of(CONTINENTAL), flights.releasedByUs);
    }

    @Test
    void miss_answerStoredBetweenReadAndClaim_usedWithoutAsking() {
        flights.onClaim = ruc -> store.put(answer(ruc, "migo", "JUST STORED", clock.instant()));

        Outcome o = service(LookupOptions.defaults()).lookup(CONTINENTAL);

        assertEquals(Outcome.SOURCE_CACHE, o.source());
        assertEquals("JUST STORED", o.record().razonSocial());
        assertEquals(List.of(), provider.calls);
        // The claim won for nothing is given back at once.
        assertEquals(List.of(CONTINENTAL), flights.releasedByUs);
    }

    @Test
    void refresh_anotherProcessAsking_itsNewerAnswerCountsAsRefreshed() {
        store.put(answer(CONTINENTAL, "migo", "OLD NAME", clock.instant().minus(Duration.ofMinutes(10))));
        flights.heldElsewhere.add(CONTINENTAL);
        flights.onWait = ruc -> {
            store.put(answer(ruc, "migo", "NEW NAME", clock.instant()));
            flights.releaseElsewhere(ruc);
        };

        Outcome o = service(new LookupOptions(true, null, false, Duration.ofHours(1), Duration.ofHours(24)))
                .lookup(CONTINENTAL);

        // --refresh refuses the stored answer, but not one fetched after this lookup began.
        assertEquals("NEW NAME", o.record().razonSocial());
        assertEquals(List.of(), provider.calls);
    }

    @Test
    void refresh_otherProcessLeftOnlyTheOldAnswer_thisOneAsks() {
        store.put(answer(CONTINENTAL, "migo", "OLD NAME", clock.instant().minus(Duration.ofMinutes(10))));
        flights.heldElsewhere.add(CONTINENTAL);
        flights.onWait = flights::releaseElsewhere;
        provider.answers.add(new ProviderAnswer.Found("migo", LookupServiceTest.record(CONTINENTAL, "NEW NAME")));

        Outcome o = service(new LookupOptions(true, null, false, Duration.ofHours(1), Duration.ofHours(24)))
                .lookup(CONTINENTAL);

        assertEquals("migo", o.source());
        assertEquals("NEW NAME", o.record().razonSocial());
    }

    @Test
    void providerBlowsUp_claimReleasedAnyway() {
        provider.onFetch = () -> {
            throw new StoreException("the store went away");
        };

        assertThrows(StoreException.class, () -> service(LookupOptions.defaults()).lookup(CONTINENTAL));

        assertEquals(List.of(CONTINENTAL), flights.releasedByUs);
    }

    @Test
    void offlineOrNoProvider_noClaimTaken() {
        new LookupService(store, RucRules.defaults(), () -> null, LookupOptions.defaults(), clock, counters, flights)
                .lookup(CONTINENTAL);
        service(new LookupOptions(false, null, true, Duration.ofHours(1), Duration.ofHours(24))).lookup(SUNAT);

        // Nothing would be paid for, so there is nothing to share.
        assertEquals(List.of(), flights.claimed);
    }

    @Test
    void resolveAll_waitsForAnotherProcessWithoutAThread_andContinuesOnTheExecutor() throws Exception {
        flights.heldElsewhere.add(CONTINENTAL);
        LookupService service = service(LookupOptions.defaults());
        List<Runnable> queued = new ArrayList<>();
        Collected query = new Collected(new Ruc(CONTINENTAL));

        service.resolveAll(List.of(query), Map.of(), queued::add);
        assertNull(query.answer, "another process holds the claim: no answer yet");
        store.put(answer(CONTINENTAL, "migo", "CONTINENTAL", clock.instant()));
        flights.releaseElsewhere(CONTINENTAL);

        // The release only queued the rest of the work on the executor.
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertEquals(Outcome.SOURCE_CACHE, query.pending.get(1, TimeUnit.SECONDS).source());
    }

    @Test
    void resolveAll_answersCachedRucsAtOnce_andAsksOnlyTheMisses() throws Exception {
        store.put(answer(CONTINENTAL, "migo", "CONTINENTAL", clock.instant()));
        provider.answers.add(new ProviderAnswer.Found("migo", LookupServiceTest.record(SUNAT, "SUNAT")));
        LookupService service = service(LookupOptions.defaults());
        List<Runnable> queued = new ArrayList<>();
        Collected cached = new Collected(new Ruc(CONTINENTAL));
        Collected missed = new Collected(new Ruc(SUNAT));

        service.resolveAll(List.of(cached, missed), store.findAll(List.of(CONTINENTAL, SUNAT)), queued::add);

        assertEquals(Outcome.SOURCE_CACHE, cached.answer.source());
        assertNull(cached.pending);
        assertNull(missed.answer);
        // Claimed in one round trip with no other process holding it; the call waits for the executor.
        assertEquals(List.of(SUNAT), flights.claimed);
        assertEquals(1, queued.size());
        queued.get(0).run();
        assertEquals("migo", missed.pending.get(1, TimeUnit.SECONDS).source());
        assertEquals(List.of(SUNAT), flights.releasedByUs);
        assertEquals(1, counters.get(Counters.CACHE_HITS));
        assertEquals(1, counters.get(Counters.CACHE_MISSES));
    }

    /** A query that keeps what the pipeline gave it. */
    static final class Collected implements Query {
        final Ruc ruc;
        Outcome answer;
        CompletableFuture<Outcome> pending;

        Collected(Ruc ruc) {
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

    /** Plays the other processes: the RUCs they hold, and what they do when this one claims or starts waiting. */
    static final class ScriptedFlights implements SingleFlight {
        final Set<String> heldElsewhere = new LinkedHashSet<>();
        final List<String> claimed = new ArrayList<>();
        final List<String> releasedByUs = new ArrayList<>();
        final Map<String, CompletableFuture<Void>> waits = new LinkedHashMap<>();
        Consumer<String> onClaim = ruc -> { };
        Consumer<String> onWait = ruc -> { };

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public synchronized Set<String> claim(Collection<String> rucs) {
            Set<String> won = new LinkedHashSet<>();
            for (String ruc : rucs) {
                claimed.add(ruc);
                if (!heldElsewhere.contains(ruc)) {
                    won.add(ruc);
                    onClaim.accept(ruc);
                }
            }
            return won;
        }

        @Override
        public synchronized void release(String ruc) {
            releasedByUs.add(ruc);
        }

        @Override
        public Map<String, CompletableFuture<Void>> released(Collection<String> rucs) {
            Map<String, CompletableFuture<Void>> out = new LinkedHashMap<>();
            for (String ruc : rucs) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                synchronized (this) {
                    waits.put(ruc, f);
                }
                out.put(ruc, f);
            }
            rucs.forEach(onWait);
            return out;
        }

        /** The other process releases its claim on {@code ruc}. */
        void releaseElsewhere(String ruc) {
            CompletableFuture<Void> f;
            synchronized (this) {
                heldElsewhere.remove(ruc);
                f = waits.remove(ruc);
            }
            if (f != null) {
                f.complete(null);
            }
        }
    }
}
