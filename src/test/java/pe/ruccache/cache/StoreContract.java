package pe.ruccache.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * The behaviour every {@link Store} must have. Each implementation's test extends this class and supplies a fresh,
 * empty store per test.
 */
public abstract class StoreContract {

    /** An instant with milliseconds, so that a store dropping them is caught. */
    protected static final Instant NOW = Instant.parse("2025-03-14T15:09:26.535Z");
    protected static final Duration VALID_TTL = Duration.ofHours(1);
    protected static final Duration INVALID_TTL = Duration.ofHours(24);

    protected Store store;

    /** Returns a fresh, empty store; called once per test, closed after it. */
    protected abstract Store newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ---- put and find -------------------------------------------------------------------------------------------

    @Test
    void find_afterPutOfValidEntry_returnsEveryField() {
        String ruc = "20100038146";
        TaxpayerRecord record = new TaxpayerRecord(ruc,
                "COMPAÑÍA PERUANA DE ÑANDÚES S.A.C. – “Peñarol” 日本 😀",
                "ACTIVO", "HABIDO", "150131", "AV. JOSÉ GÁLVEZ BARRENECHEA 592 INT. 3 (ALT. CDRA 5)",
                "LIMA", "LIMA", "SAN ISIDRO", Instant.parse("2025-03-13T05:00:00.250Z"));
        CacheEntry entry = new CacheEntry(ruc, "migo", Status.VALID, null, "fuente: padrón ñ", record, NOW,
                NOW.plus(VALID_TTL));

        store.put(entry);

        assertEquals(List.of(entry), store.find(ruc));
    }

    @Test
    void find_afterPutOfRecordWithOnlyName_returnsNullFields() {
        String ruc = ruc(1);
        TaxpayerRecord record = new TaxpayerRecord(ruc, "PÉREZ QUISPE, MARÍA", null, null, null, null, null, null,
                null, null);
        CacheEntry entry = new CacheEntry(ruc, "decolecta", Status.VALID, null, null, record, NOW,
                NOW.plus(VALID_TTL));

        store.put(entry);

        CacheEntry found = store.find(ruc).get(0);
        assertEquals(entry, found);
        assertEquals(null, found.record().estado());
        assertEquals(null, found.record().dataAsOf());
        assertEquals(null, found.detail());
    }

    @Test
    void find_afterPutOfInvalidEntry_returnsReasonAndDetail() {
        CacheEntry manual = new CacheEntry(ruc(2), CacheEntry.MANUAL_PROVIDER, Status.INVALID, Reason.MANUAL,
                "proveedor dado de baja por Ñuñoa; ver acta nº 12", null, NOW, NOW.plus(INVALID_TTL));
        CacheEntry notFound = new CacheEntry(ruc(3), "migo", Status.INVALID, Reason.NOT_FOUND, null, null, NOW,
                NOW.plus(INVALID_TTL));

        store.putAll(List.of(manual, notFound));

        assertEquals(List.of(manual), store.find(ruc(2)));
        assertEquals(List.of(notFound), store.find(ruc(3)));
    }

    @Test
    void find_instantsWithNanoseconds_keptToTheMillisecond() {
        Instant precise = Instant.parse("2025-03-14T15:09:26.535987654Z");
        String ruc = ruc(4);
        TaxpayerRecord record = new TaxpayerRecord(ruc, "X", "ACTIVO", "HABIDO", null, null, null, null, null,
                precise);
        store.put(new CacheEntry(ruc, "migo", Status.VALID, null, null, record, precise,
                precise.plusSeconds(3600)));

        CacheEntry found = store.find(ruc).get(0);

        Instant millis = Instant.parse("2025-03-14T15:09:26.535Z");
        assertEquals(millis, found.fetchedAt());
        assertEquals(millis.plusSeconds(3600), found.expiresAt());
        assertEquals(millis, found.record().dataAsOf());
    }

    @Test
    void find_unknownRuc_returnsEmptyList() {
        store.put(valid(ruc(5), "migo", NOW));

        assertEquals(List.of(), store.find(ruc(6)));
    }

    @Test
    void put_sameRucAndProvider_replacesEntry() {
        store.put(valid(ruc(7), "migo", NOW));
        CacheEntry newer = invalid(ruc(7), "migo", Reason.NOT_FOUND, NOW.plusSeconds(60));

        store.put(newer);

        assertEquals(List.of(newer), store.find(ruc(7)));
        assertEquals(1, store.summarize(NOW).total());
    }

    @Test
    void put_differentProviders_keptApart() {
        CacheEntry migo = valid(ruc(8), "migo", NOW);
        CacheEntry decolecta = invalid(ruc(8), "decolecta", Reason.NOT_FOUND, NOW.plusSeconds(1));

        store.put(migo);
        store.put(decolecta);

        assertEquals(Set.of(migo, decolecta), Set.copyOf(store.find(ruc(8))));
    }

    @Test
    void find_expiredEntry_stillReturned() {
        // Stale answers are served when every provider fails, so expiry must not hide or delete them.
        CacheEntry old = valid(ruc(9), "migo", NOW.minus(Duration.ofDays(30)));

        store.put(old);

        assertTrue(old.isExpired(NOW));
        assertEquals(List.of(old), store.find(ruc(9)));
    }

    @Test
    void putAll_sameKeyTwice_keepsTheLast() {
        CacheEntry first = valid(ruc(10), "migo", NOW);
        CacheEntry second = invalid(ruc(10), "migo", Reason.NOT_FOUND, NOW);

        store.putAll(List.of(first, second));

        assertEquals(List.of(second), store.find(ruc(10)));
    }

    @Test
    void putAll_emptyCollection_storesNothing() {
        store.putAll(List.of());

        assertEquals(0, store.summarize(NOW).total());
    }

    @Test
    void putAll_thousandsOfEntries_allFindable() {
        List<CacheEntry> entries = IntStream.range(0, 2_500)
                .mapToObj(i -> i % 3 == 0 ? invalid(ruc(i), "migo", Reason.NOT_FOUND, NOW.plusMillis(i))
                        : valid(ruc(i), "migo", NOW.plusMillis(i)))
                .toList();

        store.putAll(entries);

        Map<String, List<CacheEntry>> found = store.findAll(entries.stream().map(CacheEntry::ruc).toList());
        assertEquals(2_500, found.size());
        for (CacheEntry entry : entries) {
            assertEquals(List.of(entry), found.get(entry.ruc()), entry.ruc());
        }
    }

    @Test
    void cacheEntry_errorStatus_cannotBeCreated() {
        // ERROR answers must never reach a store; the entry type itself refuses them.
        assertThrows(IllegalArgumentException.class, () -> new CacheEntry(ruc(11), "migo", Status.ERROR,
                Reason.TIMEOUT, null, null, NOW, NOW.plusSeconds(60)));
    }

    // ---- findAll ------------------------------------------------------------------------------------------------

    @Test
    void findAll_manyKeysAcrossBatches_returnsPresentOnesOnly() {
        List<String> present = IntStream.range(0, 2_000).mapToObj(StoreContract::ruc).toList();
        store.putAll(present.stream().map(r -> valid(r, "migo", NOW)).toList());
        List<String> absent = IntStream.range(10_000, 10_700).mapToObj(StoreContract::ruc).toList();
        List<String> asked = new ArrayList<>(present);
        asked.addAll(absent);
        asked.addAll(present.subList(0, 100)); // duplicates are answered once

        Map<String, List<CacheEntry>> found = store.findAll(asked);

        assertEquals(Set.copyOf(present), found.keySet());
        for (String ruc : present) {
            assertEquals(List.of(valid(ruc, "migo", NOW)), found.get(ruc), ruc);
        }
    }

    @Test
    void findAll_batchSizesAroundBoundaries_returnEveryPresentKey() {
        List<String> present = IntStream.range(0, 1_100).mapToObj(StoreContract::ruc).toList();
        store.putAll(present.stream().map(r -> valid(r, "migo", NOW)).toList());

        // Sizes just below, at and above likely batch sizes.
        for (int size : new int[] {1, 2, 3, 255, 256, 257, 499, 500, 501, 511, 512, 513, 1_000, 1_024, 1_025}) {
            List<String> asked = present.subList(0, Math.min(size, present.size()));
            assertEquals(Set.copyOf(asked), store.findAll(asked).keySet(), "size " + size);
        }
    }

    @Test
    void findAll_rucWithSeveralProviders_returnsEachOfThem() {
        CacheEntry migo = valid(ruc(1), "migo", NOW);
        CacheEntry apisnet = valid(ruc(1), "apisnet", NOW.plusSeconds(1));
        CacheEntry manual = invalid(ruc(1), CacheEntry.MANUAL_PROVIDER, Reason.MANUAL, NOW.plusSeconds(2));
        store.putAll(List.of(migo, apisnet, manual, valid(ruc(2), "migo", NOW)));

        Map<String, List<CacheEntry>> found = store.findAll(List.of(ruc(1), ruc(3)));

        assertEquals(Set.of(ruc(1)), found.keySet());
        assertEquals(Set.of(migo, apisnet, manual), Set.copyOf(found.get(ruc(1))));
    }

    @Test
    void findAll_valuesHoldingControlCharacters_readBackExactly() {
        // Batched reads may pack a row into one text value; values holding its separators must still come back.
        CacheEntry odd = new CacheEntry(ruc(7), "migo", Status.VALID, null, null, new TaxpayerRecord(ruc(7),
                "ACME\u001FSAC\u001E", "\u001E", "HABIDO", null, "-\u001F-", null, null, null, NOW), NOW,
                NOW.plusSeconds(60));
        CacheEntry plain = valid(ruc(8), "decolecta", NOW);
        CacheEntry notFound = new CacheEntry(ruc(7), "decolecta", Status.INVALID, Reason.NOT_FOUND, "\u001E",
                null, NOW, NOW.plusSeconds(60));
        store.putAll(List.of(odd, plain, notFound));

        Map<String, List<CacheEntry>> found = store.findAll(List.of(ruc(7), ruc(8)));

        assertEquals(Set.of(odd, notFound), Set.copyOf(found.get(ruc(7))));
        assertEquals(List.of(plain), found.get(ruc(8)));
    }

    @Test
    void findAll_valuesHoldingTheRowSeparator_readBackExactly_noRowMadeUpFromThem() {
        // A batch may come back as one value, rows joined by U+001D: a value holding one, even shaped like a whole
        // packed row of another RUC, must come back as it was and answer for no other RUC.
        String madeUp = "\u001D" + ruc(12) + "\u001Fmigo\u001FVALID\u001F\u001E\u001F\u001E\u001FFALSO SAC"
                + "\u001FACTIVO\u001FHABIDO\u001F\u001E".repeat(5) + "\u001F0\u001F0\u001F9999999999999";
        CacheEntry odd = new CacheEntry(ruc(11), "migo", Status.VALID, null, null, new TaxpayerRecord(ruc(11),
                "ACME" + madeUp, "ACTIVO", "HABIDO", null, "AV. X" + madeUp, null, null, "LIMA\u001D", NOW), NOW,
                NOW.plusSeconds(60));
        CacheEntry plain = valid(ruc(13), "decolecta", NOW);
        store.putAll(List.of(odd, plain));

        Map<String, List<CacheEntry>> found = store.findAll(List.of(ruc(11), ruc(12), ruc(13)));

        assertEquals(Map.of(ruc(11), List.of(odd), ruc(13), List.of(plain)), found);
    }

    @Test
    void findAll_aValueThatIsTheNullMarkAlone_readBackExactly() {
        // A packed row writes NULL as U+001E; a value that is U+001E and nothing else must not come back as null.
        CacheEntry notFound = new CacheEntry(ruc(9), "decolecta", Status.INVALID, Reason.NOT_FOUND, "\u001E",
                null, NOW, NOW.plusSeconds(60));
        CacheEntry named = new CacheEntry(ruc(10), "migo", Status.VALID, null, null, new TaxpayerRecord(ruc(10),
                "\u001E", "ACTIVO", "HABIDO", null, null, null, null, null, null), NOW, NOW.plusSeconds(60));
        store.putAll(List.of(notFound, named));

        Map<String, List<CacheEntry>> found = store.findAll(List.of(ruc(9), ruc(10)));

        assertEquals(List.of(notFound), found.get(ruc(9)));
        assertEquals(List.of(named), found.get(ruc(10)));
    }

    @Test
    void findAll_emptyCollection_returnsEmptyMap() {
        store.put(valid(ruc(1), "migo", NOW));

        assertEquals(Map.of(), store.findAll(List.of()));
    }

    @Test
    void findAll_expiredEntries_stillReturned() {
        CacheEntry old = valid(ruc(1), "migo", NOW.minus(Duration.ofDays(2)));
        store.put(old);

        assertEquals(Map.of(ruc(1), List.of(old)), store.findAll(List.of(ruc(1))));
    }

    // ---- list ---------------------------------------------------------------------------------------------------

    @Test
    void list_all_returnsNewestFetchedFirst() {
        CacheEntry oldest = valid(ruc(1), "migo", NOW.minusSeconds(300));
        CacheEntry middle = invalid(ruc(2), "migo", Reason.NOT_FOUND, NOW.minusSeconds(200));
        CacheEntry newest = valid(ruc(3), "decolecta", NOW.minusSeconds(100));
        store.putAll(List.of(middle, oldest, newest));

        assertEquals(List.of(newest, middle, oldest), store.list(Selection.all(), 10));
    }

    @Test
    void list_limit_returnsOnlyTheNewest() {
        List<CacheEntry> entries = IntStream.range(0, 20).mapToObj(i -> valid(ruc(i), "migo", NOW.plusSeconds(i)))
                .toList();
        store.putAll(entries);

        List<CacheEntry> listed = store.list(Selection.all(), 5);

        assertEquals(List.of(entries.get(19), entries.get(18), entries.get(17), entries.get(16), entries.get(15)),
                listed);
    }

    @Test
    void list_limitZero_returnsNothing() {
        store.put(valid(ruc(1), "migo", NOW));

        assertEquals(List.of(), store.list(Selection.all(), 0));
    }

    @Test
    void list_negativeLimit_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.list(Selection.all(), -1));
    }

    @Test
    void nullRucOrCounter_isRejected_beforeAnythingChanges() {
        store.addToCounters(Map.of("lookups", 1L));
        assertThrows(NullPointerException.class, () -> store.findAll(java.util.Arrays.asList(ruc(1), null)));
        Map<String, Long> withNull = new HashMap<>();
        withNull.put("lookups", 5L);
        withNull.put("hits", null);
        assertThrows(NullPointerException.class, () -> store.addToCounters(withNull));
        assertEquals(Map.of("lookups", 1L), store.counters(), "a rejected batch adds nothing");
    }

    @Test
    void list_byStatus_returnsThatStatusOnly() {
        Fixture f = fixture();

        assertEquals(f.newestFirst(e -> e.status() == Status.INVALID),
                store.list(Selection.withStatus(Status.INVALID), 100));
        assertEquals(f.newestFirst(e -> e.status() == Status.VALID),
                store.list(Selection.withStatus(Status.VALID), 100));
    }

    @Test
    void list_byReason_returnsThatReasonOnly() {
        Fixture f = fixture();

        assertEquals(f.newestFirst(e -> e.reason() == Reason.MANUAL),
                store.list(Selection.all().andReason(Reason.MANUAL), 100));
    }

    @Test
    void list_byProvider_returnsThatProviderOnly() {
        Fixture f = fixture();

        assertEquals(f.newestFirst(e -> e.provider().equals("decolecta")),
                store.list(Selection.ofProvider("decolecta"), 100));
    }

    @Test
    void list_byRucs_returnsEveryProviderOfThoseRucs() {
        Fixture f = fixture();
        Set<String> rucs = Set.of(ruc(1), ruc(4), ruc(999));

        assertEquals(f.newestFirst(e -> rucs.contains(e.ruc())), store.list(Selection.ofRucs(rucs), 100));
    }

    @Test
    void list_emptyRucSet_returnsNothing() {
        fixture();

        assertEquals(List.of(), store.list(Selection.ofRucs(Set.of()), 100));
    }

    @Test
    void list_expired_returnsEntriesExpiredAtThatInstantIncludingTheBoundary() {
        Fixture f = fixture();

        List<CacheEntry> listed = store.list(Selection.expired(NOW), 100);

        assertEquals(f.newestFirst(e -> e.isExpired(NOW)), listed);
        // The fixture has an entry expiring exactly at NOW: expired, as CacheEntry.isExpired says.
        assertTrue(listed.stream().anyMatch(e -> e.expiresAt().equals(NOW)));
    }

    @Test
    void list_combinedCriteria_returnsEntriesMatchingAll() {
        Fixture f = fixture();
        Selection selection = Selection.expired(NOW).andStatus(Status.INVALID).andProvider("migo");

        List<CacheEntry> listed = store.list(selection, 100);

        assertFalse(listed.isEmpty());
        assertEquals(f.newestFirst(selection::matches), listed);
    }

    @Test
    void list_manyRucsAcrossBatchesWithLimit_returnsNewestOverall() {
        List<CacheEntry> entries = IntStream.range(0, 1_500)
                .mapToObj(i -> valid(ruc(i), "migo", NOW.plusSeconds((i * 7919L) % 1_500))).toList();
        store.putAll(entries);
        Set<String> asked = IntStream.range(0, 2_000).mapToObj(StoreContract::ruc).collect(Collectors.toSet());

        List<CacheEntry> listed = store.list(Selection.ofRucs(asked), 10);

        List<CacheEntry> expected = entries.stream().sorted(Comparator.comparing(CacheEntry::fetchedAt).reversed())
                .limit(10).toList();
        assertEquals(expected, listed);
        assertEquals(1_500, store.list(Selection.ofRucs(asked), 5_000).size());
    }

    // ---- remove -------------------------------------------------------------------------------------------------

    @Test
    void remove_all_removesEverythingAndReturnsCount() {
        Fixture f = fixture();

        assertEquals(f.entries.size(), store.remove(Selection.all()));

        assertEquals(0, store.summarize(NOW).total());
        assertEquals(List.of(), store.list(Selection.all(), 100));
    }

    @Test
    void remove_byStatus_keepsOtherStatus() {
        Fixture f = fixture();

        long removed = store.remove(Selection.withStatus(Status.INVALID));

        assertEquals(f.count(e -> e.status() == Status.INVALID), removed);
        assertEquals(f.newestFirst(e -> e.status() == Status.VALID), store.list(Selection.all(), 100));
    }

    @Test
    void remove_byReason_keepsOtherReasons() {
        Fixture f = fixture();

        long removed = store.remove(Selection.all().andReason(Reason.NOT_FOUND));

        assertEquals(f.count(e -> e.reason() == Reason.NOT_FOUND), removed);
        assertEquals(f.newestFirst(e -> e.reason() != Reason.NOT_FOUND), store.list(Selection.all(), 100));
    }

    @Test
    void remove_byProvider_keepsOtherProviders() {
        Fixture f = fixture();

        long removed = store.remove(Selection.ofProvider("migo"));

        assertEquals(f.count(e -> e.provider().equals("migo")), removed);
        assertEquals(f.newestFirst(e -> !e.provider().equals("migo")), store.list(Selection.all(), 100));
    }

    @Test
    void remove_byRucs_removesEveryProviderOfThoseRucsOnly() {
        Fixture f = fixture();
        Set<String> rucs = Set.of(ruc(1), ruc(2), ruc(12_345));

        long removed = store.remove(Selection.ofRucs(rucs));

        assertEquals(f.count(e -> rucs.contains(e.ruc())), removed);
        assertEquals(f.newestFirst(e -> !rucs.contains(e.ruc())), store.list(Selection.all(), 100));
    }

    @Test
    void remove_byManyRucsAcrossBatches_removesExactlyThose() {
        store.putAll(IntStream.range(0, 3_000).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList());
        Set<String> rucs = IntStream.range(0, 3_000).filter(i -> i % 2 == 0).mapToObj(StoreContract::ruc)
                .collect(Collectors.toSet());

        long removed = store.remove(Selection.ofRucs(rucs));

        assertEquals(1_500, removed);
        Map<String, List<CacheEntry>> left = store.findAll(
                IntStream.range(0, 3_000).mapToObj(StoreContract::ruc).toList());
        assertEquals(1_500, left.size());
        assertTrue(left.keySet().stream().noneMatch(rucs::contains));
    }

    @Test
    void remove_emptyRucSet_removesNothing() {
        Fixture f = fixture();

        assertEquals(0, store.remove(Selection.ofRucs(Set.of())));
        assertEquals(f.entries.size(), store.summarize(NOW).total());
    }

    @Test
    void remove_expired_keepsFreshEntries() {
        Fixture f = fixture();

        long removed = store.remove(Selection.expired(NOW));

        assertEquals(f.count(e -> e.isExpired(NOW)), removed);
        assertEquals(f.newestFirst(e -> !e.isExpired(NOW)), store.list(Selection.all(), 100));
    }

    @Test
    void remove_statusAndProvider_removesOnlyEntriesMatchingBoth() {
        Fixture f = fixture();
        Selection selection = Selection.withStatus(Status.VALID).andProvider("migo");

        long removed = store.remove(selection);

        assertEquals(f.count(selection::matches), removed);
        assertEquals(f.newestFirst(e -> !selection.matches(e)), store.list(Selection.all(), 100));
    }

    @Test
    void remove_rucsReasonAndExpiry_removesOnlyEntriesMatchingAll() {
        Fixture f = fixture();
        Selection selection = new Selection(Status.INVALID, Reason.NOT_FOUND, "migo",
                Set.of(ruc(3), ruc(4), ruc(8)), NOW);

        long removed = store.remove(selection);

        assertEquals(1, f.count(selection::matches), "the fixture has one such entry");
        assertEquals(1, removed);
        assertEquals(f.newestFirst(e -> !selection.matches(e)), store.list(Selection.all(), 100));
    }

    @Test
    void remove_nothingMatches_returnsZero() {
        Fixture f = fixture();

        assertEquals(0, store.remove(Selection.ofProvider("apisnet")));
        assertEquals(f.entries.size(), store.summarize(NOW).total());
    }

    // ---- summarize ----------------------------------------------------------------------------------------------

    @Test
    void summarize_emptyStore_countsNothing() {
        StoreSummary summary = store.summarize(NOW);

        assertEquals(new StoreSummary(0, 0, 0, Map.of(), Map.of(), Map.of(), Map.of()), summary);
    }

    @Test
    void summarize_mixedEntries_countsFreshByStatusAndExpiredApart() {
        fixture();

        StoreSummary summary = store.summarize(NOW);

        // See fixture(): what is fresh at NOW and how it breaks down.
        assertEquals(new StoreSummary(
                3, 3, 4,
                Map.of("NOT_FOUND", 1L, "MANUAL", 1L, "BAD_CHECK_DIGIT", 1L),
                Map.of("ACTIVO", 2L, "BAJA DE OFICIO", 1L),
                Map.of("HABIDO", 2L, "-", 1L),
                Map.of("migo", 6L, "decolecta", 2L, CacheEntry.MANUAL_PROVIDER, 1L, CacheEntry.LOCAL_PROVIDER, 1L)),
                summary);
    }

    @Test
    void summarize_later_countsMoreAsExpired() {
        Fixture f = fixture();
        Instant later = NOW.plus(Duration.ofDays(2));

        StoreSummary summary = store.summarize(later);

        assertEquals(0, summary.valid());
        assertEquals(f.count(e -> !e.isExpired(later)), summary.invalid());
        assertEquals(f.entries.size(), summary.total());
    }

    @Test
    void summarize_validWithoutEstadoOrCondicion_countedUnderDash() {
        String ruc = ruc(1);
        store.put(new CacheEntry(ruc, "migo", Status.VALID, null, null,
                new TaxpayerRecord(ruc, "X", "-", " ", null, null, null, null, null, null), NOW,
                NOW.plus(VALID_TTL)));

        StoreSummary summary = store.summarize(NOW);

        assertEquals(Map.of("-", 1L), summary.validByEstado());
        assertEquals(Map.of("-", 1L), summary.validByCondicion());
    }

    // ---- counters -----------------------------------------------------------------------------------------------

    @Test
    void counters_freshStore_empty() {
        assertEquals(Map.of(), store.counters());
    }

    @Test
    void addToCounters_newNames_createsThem() {
        store.addToCounters(Map.of("lookups", 3L, "upstream.migo.VALID", 1L));

        assertEquals(Map.of("lookups", 3L, "upstream.migo.VALID", 1L), store.counters());
    }

    @Test
    void addToCounters_repeatedly_accumulates() {
        store.addToCounters(Map.of("lookups", 3L, "hits", 2L));
        store.addToCounters(Map.of("lookups", 4L, "misses", 1L));
        store.addToCounters(Map.of());

        assertEquals(Map.of("lookups", 7L, "hits", 2L, "misses", 1L), store.counters());
    }

    @Test
    void addToCounters_largeValues_keptExactly() {
        store.addToCounters(Map.of("calls.saved", 4_000_000_000L));
        store.addToCounters(Map.of("calls.saved", 4_000_000_000L));

        assertEquals(Map.of("calls.saved", 8_000_000_000L), store.counters());
    }

    @Test
    void counters_afterRemoveAll_survive() {
        // Counters record history, not content: clearing the cache must not reset what stats reports as saved.
        store.put(valid(ruc(1), "migo", NOW));
        store.addToCounters(Map.of("lookups", 5L));

        store.remove(Selection.all());

        assertEquals(Map.of("lookups", 5L), store.counters());
    }

    // ---- concurrency --------------------------------------------------------------------------------------------

    @Test
    void putAndAddToCounters_fromSeveralThreads_loseNothing() throws Exception {
        int threads = 4;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    for (int i = base; i < base + perThread; i++) {
                        store.put(valid(ruc(i), "migo", NOW));
                        store.addToCounters(Map.of("lookups", 1L));
                        store.find(ruc(i));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(threads * perThread, store.findAll(
                IntStream.range(0, threads * perThread).mapToObj(StoreContract::ruc).toList()).size());
        assertEquals(Map.of("lookups", (long) threads * perThread), store.counters());
    }

    // ---- health -------------------------------------------------------------------------------------------------

    @Test
    void checkHealth_freshStore_everyCheckOk() {
        List<HealthCheck> checks = store.checkHealth();

        Map<String, HealthCheck.Level> levels = new HashMap<>();
        checks.forEach(c -> levels.put(c.name(), c.level()));
        // Every store runs these three; a store may add its own (Redis: memory, latency), all OK when fresh.
        assertTrue(levels.keySet().containsAll(Set.of("store.connection", "store.roundtrip", "store.integrity")),
                checks.toString());
        levels.forEach((name, level) -> assertEquals(HealthCheck.Level.OK, level, checks.toString()));
        checks.forEach(c -> assertFalse(c.detail().isBlank(), c.name()));
    }

    @Test
    void checkHealth_leavesNoTraceInEntriesSummaryOrCounters() {
        Fixture f = fixture();
        store.addToCounters(Map.of("lookups", 1L));

        store.checkHealth();

        assertEquals(f.newestFirst(e -> true), store.list(Selection.all(), 100));
        assertEquals(f.entries.size(), store.summarize(NOW).total());
        assertEquals(Map.of("lookups", 1L), store.counters());
    }

    @Test
    void location_isDescribed() {
        assertFalse(store.location().isBlank());
    }

    @Test
    void close_twice_doesNotThrow() {
        store.close();
        store.close();
    }

    // ---- fixtures -----------------------------------------------------------------------------------------------

    /** Returns a RUC with a right check digit, distinct for each {@code n} below 100,000,000. */
    protected static String ruc(int n) {
        String first = String.format(Locale.ROOT, "20%08d", n);
        return first + Ruc.checkDigit(first);
    }

    protected static TaxpayerRecord record(String ruc, String estado, String condicion) {
        return new TaxpayerRecord(ruc, "EMPRESA " + ruc + " S.A.C.", estado, condicion, "150101",
                "JR. DE LA UNIÓN 100", "LIMA", "LIMA", "LIMA", null);
    }

    protected static CacheEntry valid(String ruc, String provider, Instant fetchedAt) {
        return new CacheEntry(ruc, provider, Status.VALID, null, null, record(ruc, "ACTIVO", "HABIDO"), fetchedAt,
                fetchedAt.plus(VALID_TTL));
    }

    protected static CacheEntry invalid(String ruc, String provider, Reason reason, Instant fetchedAt) {
        return new CacheEntry(ruc, provider, Status.INVALID, reason, null, null, fetchedAt,
                fetchedAt.plus(INVALID_TTL));
    }

    /**
     * Stores ten entries, distinct fetch times, of which at {@link #NOW}: fresh VALID 3 (ACTIVO/HABIDO twice,
     * BAJA DE OFICIO with no condición once), fresh INVALID 3 (NOT_FOUND, MANUAL, BAD_CHECK_DIGIT), expired 4 (one
     * expiring exactly at NOW); by provider migo 6, decolecta 2, manual 1, local 1.
     */
    protected Fixture fixture() {
        String r1 = ruc(1);
        List<CacheEntry> entries = List.of(
                valid(r1, "migo", NOW.minusSeconds(60)),
                valid(ruc(2), "decolecta", NOW.minusSeconds(120)),
                new CacheEntry(ruc(3), "migo", Status.VALID, null, null, record(ruc(3), "BAJA DE OFICIO", null),
                        NOW.minusSeconds(180), NOW.plusSeconds(3420)),
                invalid(ruc(4), "migo", Reason.NOT_FOUND, NOW.minusSeconds(240)),
                invalid(r1, CacheEntry.MANUAL_PROVIDER, Reason.MANUAL, NOW.minusSeconds(300)),
                invalid("20100038147", CacheEntry.LOCAL_PROVIDER, Reason.BAD_CHECK_DIGIT, NOW.minusSeconds(360)),
                // Fetched one hour before NOW to the millisecond, so it expires exactly at NOW.
                valid(ruc(5), "migo", NOW.minus(VALID_TTL)),
                valid(ruc(6), "decolecta", NOW.minus(Duration.ofHours(3))),
                invalid(ruc(8), "migo", Reason.NOT_FOUND, NOW.minus(Duration.ofDays(2))),
                invalid(ruc(7), "migo", Reason.NOT_FOUND, NOW.minus(Duration.ofDays(3))));
        store.putAll(entries);
        return new Fixture(entries);
    }

    /** The entries a test stored, to compute what the store should answer. */
    protected record Fixture(List<CacheEntry> entries) {

        List<CacheEntry> newestFirst(Predicate<CacheEntry> filter) {
            return entries.stream().filter(filter)
                    .sorted(Comparator.comparing(CacheEntry::fetchedAt).reversed()).toList();
        }

        long count(Predicate<CacheEntry> filter) {
            return entries.stream().filter(filter).count();
        }
    }
}
