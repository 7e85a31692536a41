package pe.ruccache.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.InMemoryStore;
import pe.ruccache.cache.Selection;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.RucRules;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;

class LookupServiceTest {

    private static final String CONTINENTAL = "20100038146";
    private static final String SUNAT = "20131312955";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final ScriptedProvider provider = new ScriptedProvider("migo");
    private final Counters counters = new Counters();

    private LookupService service(LookupOptions options) {
        return new LookupService(store, RucRules.defaults(), () -> provider, options, clock, counters);
    }

    private LookupService service() {
        return service(LookupOptions.defaults());
    }

    static TaxpayerRecord record(String ruc, String name) {
        return new TaxpayerRecord(ruc, name, "ACTIVO", "HABIDO", "150131", "AV. JAVIER PRADO ESTE 1234", "LIMA",
                "LIMA", "SAN ISIDRO", null);
    }

    @Test
    void lookup_locallyInvalid_answeredWithoutProvider() {
        Outcome o = service().lookup("20100038147");
        assertEquals(Status.INVALID, o.status());
        assertEquals(Reason.BAD_CHECK_DIGIT, o.reason());
        assertEquals(Outcome.SOURCE_LOCAL, o.source());
        assertEquals(0, provider.calls.size());
        assertEquals(1, counters.get(Counters.SAVED_BY_LOCAL_CHECK));
        // An 11-digit value is kept in the invalid registry under the 'local' source.
        CacheEntry entry = store.find("20100038147").get(0);
        assertEquals(CacheEntry.LOCAL_PROVIDER, entry.provider());
        assertEquals(clock.instant().plus(Duration.ofHours(24)), entry.expiresAt());
    }

    @Test
    void lookup_notRucShaped_notStored() {
        Outcome o = service().lookup("2.01000381E+10");
        assertEquals(Reason.SPREADSHEET_MANGLED, o.reason());
        assertEquals(0, store.list(Selection.all(), 10).size());
    }

    @Test
    void lookup_miss_callsProviderAndStoresValidForValidTtl() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "CONTINENTAL S.A.C.")));
        Outcome o = service().lookup(CONTINENTAL);
        assertEquals(Status.VALID, o.status());
        assertEquals("migo", o.source());
        assertEquals("CONTINENTAL S.A.C.", o.record().razonSocial());
        assertEquals(List.of(CONTINENTAL), provider.calls);
        CacheEntry stored = store.find(CONTINENTAL).get(0);
        assertEquals(clock.instant().plus(Duration.ofHours(1)), stored.expiresAt());
        assertEquals(1, counters.get(Counters.CACHE_MISSES));
    }

    @Test
    void lookup_secondRun_servedFromCacheWithoutUpstream() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "CONTINENTAL S.A.C.")));
        service().lookup(CONTINENTAL);
        clock.advance(Duration.ofMinutes(59));
        Outcome again = service().lookup(" 20-10003814-6 ");
        assertEquals(Status.VALID, again.status());
        assertEquals(Outcome.SOURCE_CACHE, again.source());
        assertEquals("migo", again.provider());
        assertEquals(" 20-10003814-6 ", again.input());
        assertEquals(1, provider.calls.size());
        assertEquals(1, counters.get(Counters.CACHE_HITS));
    }

    @Test
    void lookup_notFound_storedInvalidForInvalidTtl_andNotAskedAgain() {
        provider.answers.add(new ProviderAnswer.NotFound("migo", "No se encontró el RUC"));
        Outcome o = service().lookup(SUNAT);
        assertEquals(Status.INVALID, o.status());
        assertEquals(Reason.NOT_FOUND, o.reason());
        CacheEntry stored = store.find(SUNAT).get(0);
        assertEquals(clock.instant().plus(Duration.ofHours(24)), stored.expiresAt());
        clock.advance(Duration.ofHours(23));
        assertEquals(Reason.NOT_FOUND, service().lookup(SUNAT).reason());
        assertEquals(1, provider.calls.size());
    }

    @Test
    void lookup_transientError_neverCached_andRerunAsksAgain() {
        provider.answers.add(new ProviderAnswer.Failed("migo", Reason.UNAVAILABLE, "migo: HTTP 503", null));
        Outcome o = service().lookup(CONTINENTAL);
        assertEquals(Status.ERROR, o.status());
        assertEquals(Reason.UNAVAILABLE, o.reason());
        assertTrue(store.find(CONTINENTAL).isEmpty());
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "CONTINENTAL S.A.C.")));
        assertEquals(Status.VALID, service().lookup(CONTINENTAL).status());
        assertEquals(2, provider.calls.size());
    }

    @Test
    void lookup_expiredAndProviderDown_servesStaleMarked() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "CONTINENTAL S.A.C.")));
        service().lookup(CONTINENTAL);
        clock.advance(Duration.ofHours(5));
        provider.answers.add(new ProviderAnswer.Failed("migo", Reason.TIMEOUT, "migo: timed out", null));
        Outcome o = service().lookup(CONTINENTAL);
        assertEquals(Status.VALID, o.status());
        assertTrue(o.stale());
        assertEquals(Outcome.SOURCE_CACHE, o.source());
        assertEquals(1, counters.get(Counters.STALE_SERVED));
        assertEquals(2, provider.calls.size());
    }

    @Test
    void lookup_expiredAndProviderAnswers_replacesEntry() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "OLD NAME")));
        service().lookup(CONTINENTAL);
        clock.advance(Duration.ofHours(2));
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "NEW NAME")));
        Outcome o = service().lookup(CONTINENTAL);
        assertEquals("NEW NAME", o.record().razonSocial());
        assertFalse(o.stale());
        assertEquals(1, store.find(CONTINENTAL).size());
        assertEquals("NEW NAME", store.find(CONTINENTAL).get(0).record().razonSocial());
    }

    @Test
    void lookup_refresh_ignoresFreshEntry() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "A")));
        service().lookup(CONTINENTAL);
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "B")));
        LookupOptions refresh = new LookupOptions(true, null, false, Duration.ofHours(1), Duration.ofHours(24));
        assertEquals("B", service(refresh).lookup(CONTINENTAL).record().razonSocial());
        assertEquals(2, provider.calls.size());
    }

    @Test
    void lookup_maxAge_treatsOlderAnswersAsExpired() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "A")));
        service().lookup(CONTINENTAL);
        clock.advance(Duration.ofMinutes(20));
        LookupOptions young = new LookupOptions(false, Duration.ofMinutes(30), false, Duration.ofHours(1),
                Duration.ofHours(24));
        assertEquals(Outcome.SOURCE_CACHE, service(young).lookup(CONTINENTAL).source());
        LookupOptions younger = new LookupOptions(false, Duration.ofMinutes(10), false, Duration.ofHours(1),
                Duration.ofHours(24));
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "B")));
        assertEquals("migo", service(younger).lookup(CONTINENTAL).source());
        assertEquals(2, provider.calls.size());
    }

    @Test
    void lookup_offlineMiss_errorWithoutProvider() {
        LookupOptions offline = new LookupOptions(false, null, true, Duration.ofHours(1), Duration.ofHours(24));
        Outcome o = service(offline).lookup(CONTINENTAL);
        assertEquals(Reason.OFFLINE_MISS, o.reason());
        assertEquals(0, provider.calls.size());
    }

    @Test
    void lookup_offlineWithExpiredEntry_servesStale() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "A")));
        service().lookup(CONTINENTAL);
        clock.advance(Duration.ofDays(3));
        LookupOptions offline = new LookupOptions(false, null, true, Duration.ofHours(1), Duration.ofHours(24));
        Outcome o = service(offline).lookup(CONTINENTAL);
        assertTrue(o.stale());
        assertEquals(Status.VALID, o.status());
        assertEquals(1, provider.calls.size());
    }

    @Test
    void lookup_manualMark_neverSentUpstream_evenWithRefresh() {
        new InvalidRegistry(store, clock, RucRules.defaults())
                .mark(CONTINENTAL, "cliente dado de baja", Duration.ofDays(30));
        LookupOptions refresh = new LookupOptions(true, null, false, Duration.ofHours(1), Duration.ofHours(24));
        Outcome o = service(refresh).lookup(CONTINENTAL);
        assertEquals(Reason.MANUAL, o.reason());
        assertEquals("cliente dado de baja", o.detail());
        assertEquals(0, provider.calls.size());
    }

    @Test
    void lookup_duplicatesInOneRun_oneUpstreamCall() {
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "A")));
        List<Outcome> out = service().lookupAll(List.of(CONTINENTAL, "20.100.038.146", CONTINENTAL));
        assertEquals(3, out.size());
        assertEquals("20.100.038.146", out.get(1).input());
        assertEquals(Status.VALID, out.get(2).status());
        assertEquals(1, provider.calls.size());
    }

    @Test
    void lookup_concurrentSameRuc_secondWaitsForFirstCall() throws Exception {
        LookupService service = service();
        AtomicReference<Outcome> second = new AtomicReference<>();
        AtomicReference<Thread> other = new AtomicReference<>();
        provider.onFetch = () -> {
            // While the first call is in flight, a second thread asks for the same RUC; it must wait, not call.
            Thread t = new Thread(() -> second.set(service.lookup(CONTINENTAL)));
            other.set(t);
            t.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (t.getState() != Thread.State.WAITING && t.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        };
        provider.answers.add(new ProviderAnswer.Found("migo", record(CONTINENTAL, "A")));
        Outcome first = service.lookup(CONTINENTAL);
        other.get().join(10_000);
        assertEquals(Status.VALID, first.status());
        assertNotNull(second.get());
        assertEquals(Status.VALID, second.get().status());
        assertEquals(1, provider.calls.size());
    }

    @Test
    void lookup_cachedAnswer_needsNoProvider() {
        store.put(new CacheEntry(CONTINENTAL, "migo", Status.VALID, null, null, record(CONTINENTAL, "A"),
                clock.instant(), clock.instant().plus(Duration.ofHours(1))));
        LookupService service = new LookupService(store, RucRules.defaults(), () -> {
            throw new ConfigException("no token");
        }, LookupOptions.defaults(), clock, counters);
        assertEquals(Status.VALID, service.lookup(CONTINENTAL).status());
        assertThrows(ConfigException.class, () -> service.lookup(SUNAT));
    }

    @Test
    void lookup_offlineWithLocalSnapshotProvider_asksIt_andDoesNotCacheItsAnswers() {
        ScriptedProvider padron = new ScriptedProvider("padron");
        padron.answers.add(new ProviderAnswer.Found("padron", record(CONTINENTAL, "CONTINENTAL S.A.C.")));
        padron.answers.add(new ProviderAnswer.NotFound("padron", "padron: not in SUNAT's padrón"));
        LookupOptions offline = new LookupOptions(false, null, true, Duration.ofHours(1), Duration.ofHours(24));
        LookupService service = new LookupService(store, RucRules.defaults(), new ProviderSource() {
            @Override
            public Provider get() {
                throw new AssertionError("offline must not build the network chain");
            }

            @Override
            public Provider offline() {
                return padron;
            }
        }, offline, clock, counters);

        Outcome found = service.lookup(CONTINENTAL);
        Outcome absent = service.lookup(SUNAT);

        assertEquals(Status.VALID, found.status());
        assertEquals("padron", found.source());
        assertNull(found.expiresAt(), "not cached, so no expiry");
        assertEquals(Reason.NOT_FOUND, absent.reason());
        // The snapshot is already local: copying it into the store would only keep a staler version.
        assertEquals(0, store.list(Selection.all(), 10).size());
    }

    @Test
    void lookup_noProviderConfigured_errorNoProvider() {
        LookupService service = new LookupService(store, RucRules.defaults(), () -> null, LookupOptions.defaults(),
                clock, counters);
        Outcome o = service.lookup(CONTINENTAL);
        assertEquals(Reason.NO_PROVIDER, o.reason());
        assertNull(o.record());
    }

    /** A provider that answers from a script and records what it was asked. */
    static final class ScriptedProvider implements Provider {
        final String name;
        final Deque<ProviderAnswer> answers = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        Runnable onFetch = () -> { };

        ScriptedProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized ProviderAnswer fetch(Ruc ruc) {
            calls.add(ruc.value());
            Runnable hook = onFetch;
            onFetch = () -> { };
            hook.run();
            ProviderAnswer a = answers.poll();
            if (a == null) {
                throw new AssertionError("unexpected call for " + ruc);
            }
            return a;
        }
    }
}
