package pe.ruccache.cache;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * A store in memory for tests of the code above the store: thread-safe, and faithful to the contract down to
 * keeping instants to the millisecond, as the persistent stores do.
 */
public final class InMemoryStore implements Store {

    private static final Comparator<CacheEntry> NEWEST_FIRST = new NewestFirst();

    /** RUC to provider to entry. */
    private final Map<String, Map<String, CacheEntry>> entries = new HashMap<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private boolean closed;

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public synchronized List<CacheEntry> find(String ruc) {
        Objects.requireNonNull(ruc, "ruc");
        checkOpen();
        Map<String, CacheEntry> byProvider = entries.get(ruc);
        return byProvider == null ? new ArrayList<>() : new ArrayList<>(byProvider.values());
    }

    @Override
    public synchronized Map<String, List<CacheEntry>> findAll(Collection<String> rucs) {
        checkOpen();
        Map<String, List<CacheEntry>> found = new HashMap<>();
        for (String ruc : rucs) {
            Map<String, CacheEntry> byProvider = entries.get(Objects.requireNonNull(ruc, "ruc"));
            if (byProvider != null && !byProvider.isEmpty()) {
                found.put(ruc, new ArrayList<>(byProvider.values()));
            }
        }
        return found;
    }

    @Override
    public synchronized void put(CacheEntry entry) {
        checkOpen();
        CacheEntry stored = toStoredPrecision(Objects.requireNonNull(entry, "entry"));
        entries.computeIfAbsent(stored.ruc(), r -> new LinkedHashMap<>()).put(stored.provider(), stored);
    }

    @Override
    public synchronized void putAll(Collection<CacheEntry> batch) {
        List.copyOf(batch).forEach(this::put);
    }

    @Override
    public synchronized List<CacheEntry> list(Selection selection, int limit) {
        if (StoreArguments.listsNothing(selection, limit)) {
            return List.of();
        }
        checkOpen();
        return selected(selection).stream().sorted(NEWEST_FIRST).limit(limit).toList();
    }

    @Override
    public synchronized long remove(Selection selection) {
        Objects.requireNonNull(selection, "selection");
        checkOpen();
        long removed = 0;
        for (Map<String, CacheEntry> byProvider : entries.values()) {
            int before = byProvider.size();
            byProvider.values().removeIf(selection::matches);
            removed += before - byProvider.size();
        }
        entries.values().removeIf(Map::isEmpty);
        return removed;
    }

    @Override
    public synchronized StoreSummary summarize(Instant now) {
        Objects.requireNonNull(now, "now");
        checkOpen();
        long valid = 0;
        long invalid = 0;
        long expired = 0;
        Map<String, Long> invalidByReason = new HashMap<>();
        Map<String, Long> validByEstado = new HashMap<>();
        Map<String, Long> validByCondicion = new HashMap<>();
        Map<String, Long> byProvider = new HashMap<>();
        for (CacheEntry entry : selected(Selection.all())) {
            byProvider.merge(entry.provider(), 1L, Long::sum);
            if (entry.isExpired(now)) {
                expired++;
            } else if (entry.status() == Status.VALID) {
                valid++;
                validByEstado.merge(StoreSummary.label(entry.record().estado()), 1L, Long::sum);
                validByCondicion.merge(StoreSummary.label(entry.record().condicion()), 1L, Long::sum);
            } else {
                invalid++;
                invalidByReason.merge(entry.reason().name(), 1L, Long::sum);
            }
        }
        return new StoreSummary(valid, invalid, expired, invalidByReason, validByEstado, validByCondicion,
                byProvider);
    }

    @Override
    public synchronized void addToCounters(Map<String, Long> deltas) {
        checkOpen();
        StoreArguments.counterDeltas(deltas).forEach((name, delta) -> counters.merge(name, delta, Long::sum));
    }

    @Override
    public synchronized Map<String, Long> counters() {
        checkOpen();
        return Map.copyOf(counters);
    }

    @Override
    public OptionalLong sizeBytes() {
        return OptionalLong.empty();
    }

    @Override
    public synchronized List<HealthCheck> checkHealth() {
        if (closed) {
            return List.of(HealthCheck.critical("store.connection", "the in-memory store is closed"));
        }
        return List.of(
                HealthCheck.ok("store.connection", "in memory"),
                HealthCheck.ok("store.roundtrip", "in memory"),
                HealthCheck.ok("store.integrity", "in memory"));
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private List<CacheEntry> selected(Selection selection) {
        List<CacheEntry> selected = new ArrayList<>();
        for (Map<String, CacheEntry> byProvider : entries.values()) {
            for (CacheEntry entry : byProvider.values()) {
                if (selection.matches(entry)) {
                    selected.add(entry);
                }
            }
        }
        return selected;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the in-memory store is closed");
        }
    }


    /** Returns the entry as a persistent store would give it back: instants to the millisecond. */
    private static CacheEntry toStoredPrecision(CacheEntry entry) {
        TaxpayerRecord r = entry.record();
        TaxpayerRecord record = r == null ? null : new TaxpayerRecord(entry.ruc(), r.razonSocial(), r.estado(),
                r.condicion(), r.ubigeo(), r.direccion(), r.departamento(), r.provincia(), r.distrito(),
                millis(r.dataAsOf()));
        return new CacheEntry(entry.ruc(), entry.provider(), entry.status(), entry.reason(), entry.detail(), record,
                millis(entry.fetchedAt()), millis(entry.expiresAt()));
    }

    private static Instant millis(Instant instant) {
        if (instant == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(instant.toEpochMilli());
        } catch (ArithmeticException e) {
            return Instant.ofEpochMilli(instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE);
        }
    }
}
