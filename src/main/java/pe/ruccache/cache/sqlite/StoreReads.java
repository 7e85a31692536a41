package pe.ruccache.cache.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.NewestFirst;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.Status;

/**
 * The store's reads other than the batched one: one RUC, listings by selection, the summary and the counters.
 * Each runs on a connection the caller holds locked.
 */
final class StoreReads {

    /** Leaves out the health check's sentinel entry. */
    static final String NOT_SENTINEL = " AND provider <> '" + Schema.HEALTH_PROVIDER + "'";
    static final String SELECT_ENTRIES = "SELECT " + Schema.ENTRY_COLUMNS + " FROM entries";

    private static final String NEWEST_FIRST = " ORDER BY fetched_at DESC, ruc, provider";
    private static final String FIND = SELECT_ENTRIES + " WHERE ruc = ?" + NOT_SENTINEL;
    private static final String COUNTERS = "SELECT name, value FROM counters ORDER BY name";
    // One scan, grouped by everything the summary breaks down by; the groups are few, the rows are not loaded.
    private static final String SUMMARY = "SELECT status, reason, estado, condicion, provider, "
            + "expires_at > ? AS fresh, count(*) FROM entries WHERE provider <> '" + Schema.HEALTH_PROVIDER + "' "
            + "GROUP BY status, reason, estado, condicion, provider, fresh";

    private StoreReads() {
    }

    /** Returns the entries of {@code ruc}, one per provider. */
    static List<CacheEntry> find(SqliteConnection connection, String ruc) throws SQLException {
        PreparedStatement find = connection.statement(FIND);
        find.setString(1, ruc);
        return readAll(find);
    }

    /** Returns the newest {@code limit} entries {@code selection} selects. */
    static List<CacheEntry> list(SqliteConnection connection, Selection selection, int limit) throws SQLException {
        Set<String> rucs = selection.rucs();
        if (rucs == null) {
            SelectionSql sql = SelectionSql.of(selection, 0);
            PreparedStatement list = connection.statement(SELECT_ENTRIES + sql.where() + NEWEST_FIRST + " LIMIT ?");
            list.setInt(sql.bind(list, List.of()), limit);
            return readAll(list);
        }
        List<List<String>> batches = InList.batches(rucs);
        return inOneSnapshot(connection, batches.size() > 1, () -> {
            // Each batch yields its newest; the newest overall are among them.
            List<CacheEntry> merged = new ArrayList<>();
            for (List<String> batch : batches) {
                SelectionSql sql = SelectionSql.of(selection, InList.slots(batch.size()));
                PreparedStatement list = connection.statement(
                        SELECT_ENTRIES + sql.where() + NEWEST_FIRST + " LIMIT ?");
                list.setInt(sql.bind(list, batch), limit);
                merged.addAll(readAll(list));
            }
            merged.sort(new NewestFirst());
            return List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
        });
    }

    /** Returns the counts of entries by status, reason, estado, condición and provider, as of {@code now}. */
    static StoreSummary summarize(SqliteConnection connection, Instant now) throws SQLException {
        PreparedStatement summary = connection.statement(SUMMARY);
        summary.setLong(1, EntryRows.millis(now));
        long valid = 0;
        long invalid = 0;
        long expired = 0;
        Map<String, Long> invalidByReason = new HashMap<>();
        Map<String, Long> validByEstado = new HashMap<>();
        Map<String, Long> validByCondicion = new HashMap<>();
        Map<String, Long> byProvider = new HashMap<>();
        try (ResultSet rows = summary.executeQuery()) {
            while (rows.next()) {
                Status status = Status.valueOf(rows.getString(1));
                boolean fresh = rows.getBoolean(6);
                long count = rows.getLong(7);
                byProvider.merge(rows.getString(5), count, Long::sum);
                if (!fresh) {
                    expired += count;
                } else if (status == Status.VALID) {
                    valid += count;
                    validByEstado.merge(StoreSummary.label(rows.getString(3)), count, Long::sum);
                    validByCondicion.merge(StoreSummary.label(rows.getString(4)), count, Long::sum);
                } else {
                    invalid += count;
                    invalidByReason.merge(rows.getString(2), count, Long::sum);
                }
            }
        }
        return new StoreSummary(valid, invalid, expired, invalidByReason, validByEstado, validByCondicion,
                byProvider);
    }

    /** Returns the counters by name, in name order. */
    static Map<String, Long> counters(SqliteConnection connection) throws SQLException {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (ResultSet rows = connection.statement(COUNTERS).executeQuery()) {
            while (rows.next()) {
                counters.put(rows.getString(1), rows.getLong(2));
            }
        }
        return Collections.unmodifiableMap(counters);
    }

    /** Runs several reads in one transaction when {@code needed}, so they see one state of the file. */
    static <T> T inOneSnapshot(SqliteConnection connection, boolean needed, SqliteConnection.Work<T> work)
            throws SQLException {
        return needed ? connection.transaction("BEGIN", work) : work.run();
    }

    /** Returns every entry {@code query} yields, read column by column. */
    static List<CacheEntry> readAll(PreparedStatement query) throws SQLException {
        List<CacheEntry> entries = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                entries.add(EntryRows.read(rows));
            }
        }
        return entries;
    }
}
