package pe.ruccache.cache.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import pe.ruccache.cache.CacheEntry;

/**
 * The store's batched read of many RUCs ({@code findAll}): {@code IN} lists of power-of-two sizes, each statement
 * text built once and prepared once per connection, each batch read as one text value (its rows packed, then
 * joined), or row by row when a value holds a separator character. A second caller
 * while the store's connection is busy (bulk reads two halves of a window at once) gets a second, read-only
 * connection of its own, opened on first need and closed with the store; WAL readers do not block each other.
 */
final class BatchedReads {

    /** The text of the batched read for each IN-list size (index: log2 of the size); the same string each time. */
    private static final String[] FIND_SQL = new String[Integer.numberOfTrailingZeros(InList.MAX_KEYS) + 1];
    /** The same for the grouped read. */
    private static final String[] FIND_GROUPED_SQL = new String[FIND_SQL.length];

    private final SqliteConnection main;
    private final SpareConnection second;

    /** Reads through {@code main}, and through what {@code openSecond} opens when {@code main} is busy. */
    BatchedReads(SqliteConnection main, Supplier<SqliteConnection> openSecond) {
        this.main = main;
        this.second = new SpareConnection(main, openSecond);
    }

    /** Returns the entries of {@code distinct} (not empty) by RUC; RUCs with no entries are absent. */
    Map<String, List<CacheEntry>> findAll(Set<String> distinct) {
        List<List<String>> batches = InList.batches(distinct);
        // While the first connection is busy (the other half of a bulk window, or a write), the second reads at the
        // same time: WAL mode lets readers overlap each other and the writer.
        return main.lockedIfFree(
                () -> StoreReads.inOneSnapshot(main, batches.size() > 1, () -> readBatches(batches, main)),
                () -> second.read(reader -> reader.transaction("BEGIN", () -> readBatches(batches, reader))));
    }

    /** Closes the second connection, if one was opened, after the read in progress on it. */
    void close() {
        second.close();
    }

    /** Returns the statement reading the entries of {@code slots} RUCs (a power of two), built once per size. */
    private static String findSql(int slots) {
        int i = Integer.numberOfTrailingZeros(slots);
        String sql = FIND_SQL[i];
        if (sql == null) {
            // A benign race: two threads may both build the same text.
            sql = "SELECT " + EntryRows.PACKED + " FROM entries WHERE ruc IN (" + InList.placeholders(slots) + ")"
                    + StoreReads.NOT_SENTINEL;
            FIND_SQL[i] = sql;
        }
        return sql;
    }

    /** Returns the statement reading the entries of {@code slots} RUCs as one {@link GroupedRows} value. */
    private static String findGroupedSql(int slots) {
        int i = Integer.numberOfTrailingZeros(slots);
        String sql = FIND_GROUPED_SQL[i];
        if (sql == null) {
            sql = GroupedRows.select(EntryRows.PACKED) + " FROM entries WHERE ruc IN ("
                    + InList.placeholders(slots) + ")" + StoreReads.NOT_SENTINEL;
            FIND_GROUPED_SQL[i] = sql;
        }
        return sql;
    }

    /** Reads the entries of every batch's RUCs with the statements of {@code connection}. */
    private static Map<String, List<CacheEntry>> readBatches(List<List<String>> batches, SqliteConnection connection)
            throws SQLException {
        int keys = 0;
        for (List<String> batch : batches) {
            keys += batch.size();
        }
        Map<String, List<CacheEntry>> found = new HashMap<>(keys * 4 / 3 + 1);
        Set<String> unpackable = null;
        for (List<String> batch : batches) {
            int slots = InList.slots(batch.size());
            PreparedStatement grouped = connection.statement(findGroupedSql(slots));
            InList.bind(grouped, 1, batch, slots);
            List<CacheEntry> entries = GroupedRows.read(grouped, EntryRows::unpack);
            if (entries != null) {
                for (CacheEntry entry : entries) {
                    found.computeIfAbsent(entry.ruc(), r -> new ArrayList<>(2)).add(entry);
                }
                continue;
            }
            // A value holds a separator: this batch is read a row at a time.
            PreparedStatement find = connection.statement(findSql(slots));
            InList.bind(find, 1, batch, slots);
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    String packed = rows.getString(1);
                    CacheEntry entry = EntryRows.unpack(packed);
                    if (entry == null) {
                        // A value holds a separator character: read this RUC column by column below.
                        if (unpackable == null) {
                            unpackable = new LinkedHashSet<>();
                        }
                        unpackable.add(packed.substring(0, Math.max(0, packed.indexOf(EntryRows.FIELD))));
                        continue;
                    }
                    found.computeIfAbsent(entry.ruc(), r -> new ArrayList<>(2)).add(entry);
                }
            }
        }
        if (unpackable != null) {
            for (String ruc : unpackable) {
                List<CacheEntry> entries = StoreReads.find(connection, ruc);
                if (!entries.isEmpty()) {
                    found.put(ruc, entries);
                }
            }
        }
        return found;
    }
}
