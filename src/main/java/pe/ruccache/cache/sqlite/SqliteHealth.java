package pe.ruccache.cache.sqlite;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;

/**
 * The store's health checks: {@code store.connection} (SQLite answers, and its version), {@code store.roundtrip} (a
 * sentinel entry is written, read back and deleted) and {@code store.integrity} (schema version and
 * {@code PRAGMA quick_check}).
 */
final class SqliteHealth {

    private static final String FIND_KEY = StoreReads.SELECT_ENTRIES + " WHERE ruc = ? AND provider = ?";
    private static final String DELETE_KEY = "DELETE FROM entries WHERE ruc = ? AND provider = ?";

    private final SqliteStore store;
    private final Path file;

    SqliteHealth(SqliteStore store, Path file) {
        this.store = store;
        this.file = file;
    }

    /** Returns the three checks, in order. */
    List<HealthCheck> check() {
        return List.of(checkConnection(), checkRoundtrip(), checkIntegrity());
    }

    private HealthCheck checkConnection() {
        String name = "store.connection";
        try {
            String version = store.reading(connection -> {
                try (ResultSet rows = connection.statement("SELECT sqlite_version()").executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            });
            return HealthCheck.ok(name, "SQLite " + version + " at " + file);
        } catch (RuntimeException e) {
            return HealthCheck.critical(name, detail(e));
        }
    }

    private HealthCheck checkRoundtrip() {
        String name = "store.roundtrip";
        long started = System.nanoTime();
        // A random key per check, so that two processes checking at once do not read each other's sentinel.
        String ruc = String.format(Locale.ROOT, "00%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        CacheEntry sentinel = new CacheEntry(ruc, Schema.HEALTH_PROVIDER, Status.VALID, null, null,
                new TaxpayerRecord(ruc, "PRUEBA DE SALUD ÑANDÚ", "ACTIVO", "HABIDO", null, null, null, null,
                        null, now),
                now, now.plusSeconds(60));
        try {
            CacheEntry readBack;
            store.writing(connection -> {
                SqliteStore.upsert(connection, sentinel);
                return null;
            });
            try {
                readBack = store.reading(connection -> {
                    PreparedStatement find = connection.statement(FIND_KEY);
                    find.setString(1, ruc);
                    find.setString(2, Schema.HEALTH_PROVIDER);
                    List<CacheEntry> found = StoreReads.readAll(find);
                    return found.isEmpty() ? null : found.get(0);
                });
            } finally {
                store.writing(connection -> {
                    PreparedStatement delete = connection.statement(DELETE_KEY);
                    delete.setString(1, ruc);
                    delete.setString(2, Schema.HEALTH_PROVIDER);
                    return delete.executeUpdate();
                });
            }
            if (!sentinel.equals(readBack)) {
                return HealthCheck.critical(name, "wrote a test entry to " + file + " but read back "
                        + (readBack == null ? "nothing" : "a different entry"));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            return HealthCheck.ok(name, "wrote, read back and deleted a test entry in " + millis + " ms")
                    .measured("store_roundtrip", millis, "ms");
        } catch (RuntimeException e) {
            return HealthCheck.critical(name, detail(e));
        }
    }

    private HealthCheck checkIntegrity() {
        String name = "store.integrity";
        try {
            return store.reading(connection -> {
                Schema.Header header = Schema.Header.read(connection.jdbc());
                if (!header.isCurrent()) {
                    return HealthCheck.critical(name, String.format(Locale.ROOT,
                            "the cache file %s has schema version %d; this ruc-cache reads version %d",
                            file, header.userVersion(), Schema.VERSION));
                }
                List<String> problems = new ArrayList<>();
                try (ResultSet rows = connection.statement("PRAGMA quick_check").executeQuery()) {
                    while (rows.next()) {
                        problems.add(rows.getString(1));
                    }
                }
                if (problems.equals(List.of("ok"))) {
                    return HealthCheck.ok(name, "schema version " + Schema.VERSION + ", quick_check ok");
                }
                return HealthCheck.critical(name, String.format(Locale.ROOT,
                        "the cache file %s is damaged: quick_check found %d problem(s), first: %s; "
                                + "move it aside to start a new cache",
                        file, problems.size(), problems.isEmpty() ? "none listed" : oneLine(problems.get(0))));
            });
        } catch (RuntimeException e) {
            return HealthCheck.critical(name, detail(e));
        }
    }

    private static String detail(RuntimeException e) {
        return e instanceof StoreException || e instanceof IllegalStateException ? e.getMessage()
                : oneLine(String.valueOf(e));
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
