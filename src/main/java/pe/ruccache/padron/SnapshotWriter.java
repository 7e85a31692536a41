package pe.ruccache.padron;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import pe.ruccache.cache.sqlite.PrivateFile;
import pe.ruccache.cache.sqlite.SqliteConnection;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.StoreException;

/**
 * Builds a new snapshot in a scratch file, as fast as SQLite can append: no journal, no syncs, an exclusive lock and
 * a large page cache, because the file is worthless until it is complete. Durability comes at the end: the caller
 * syncs the finished file and renames it over the snapshot, so a crash, a full disk or a bad line never touches
 * the snapshot that is serving.
 */
final class SnapshotWriter implements AutoCloseable {

    /** Rows per JDBC batch: enough to amortise the driver's per-call work, small enough to stay in cache. */
    private static final int BATCH_ROWS = 1000;
    // Text arrives as UTF-8 bytes, bound as blobs and cast to text by SQLite: binding Strings would make the driver
    // encode every field again (a String and a byte array more per field, 18 million lines over).
    private static final String INSERT = "INSERT OR IGNORE INTO taxpayers (ruc, "
            + String.join(", ", SnapshotSchema.TEXT_COLUMNS) + ") VALUES (?"
            + ", CAST(? AS TEXT)".repeat(SnapshotSchema.TEXT_COLUMNS.size()) + ")";

    private static final String INSERT_MALFORMED =
            "INSERT OR IGNORE INTO malformed (ruc, line, kind) VALUES (?, ?, ?)";
    /** The page cache, in KiB: the tree's right edge and its parents stay cached while rows are appended in order. */
    private static final int CACHE_KIB = 65536;

    private final Path file;
    private final SqliteConnection connection;
    private final PreparedStatement insert;
    private final PreparedStatement insertMalformed;
    private int pending;
    private long duplicates;
    private boolean committed;

    private SnapshotWriter(Path file, SqliteConnection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insert = connection.statement(INSERT);
        this.insertMalformed = connection.statement(INSERT_MALFORMED);
    }

    /**
     * Creates the scratch file {@code file} (absolute; replacing a leftover of an earlier, failed import) private to
     * the user, with the schema; {@code maxPages} above zero caps its size, so tests can fill a "disk".
     */
    static SnapshotWriter create(Path file, long maxPages) {
        PrivateFile.createFolder(file.getParent(), SnapshotSchema.ROLE);
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-journal"));
        } catch (IOException e) {
            throw new StoreException("cannot replace the leftover " + file + " of an earlier import: "
                    + IoMessages.reason(e) + "; delete it and retry", e);
        }
        PrivateFile.createFile(file, SnapshotSchema.ROLE);
        SqliteConnection connection;
        try {
            connection = SqliteConnection.to(file, SnapshotSchema.ROLE).scratch(CACHE_KIB).open();
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        try {
            if (maxPages > 0) {
                connection.run("PRAGMA max_page_count = " + maxPages);
            }
            connection.jdbc().setAutoCommit(false);
            SnapshotSchema.create(connection.jdbc());
            return new SnapshotWriter(file, connection);
        } catch (SQLException e) {
            connection.close();
            deleteQuietly(file);
            throw connection.failure(e);
        }
    }

    /**
     * Adds a taxpayer, {@code fields[1..14]} being its text columns in UTF-8 (null when empty); repeated RUCs are
     * counted, not added.
     */
    void add(long ruc, byte[][] fields) throws SQLException {
        insert.setLong(1, ruc);
        for (int i = 1; i < fields.length; i++) {
            insert.setBytes(i + 1, fields[i]);
        }
        insert.addBatch();
        if (++pending == BATCH_ROWS) {
            flush();
        }
    }

    /** Remembers that the line of {@code ruc} was malformed, so that the RUC is not answered NOT_FOUND. */
    void addMalformed(long ruc, long line, Malformation kind) throws SQLException {
        insertMalformed.setLong(1, ruc);
        insertMalformed.setLong(2, line);
        insertMalformed.setString(3, kind.name());
        insertMalformed.executeUpdate();
    }

    /** Returns how many added rows repeated a RUC already added (so far). */
    long duplicates() throws SQLException {
        flush();
        return duplicates;
    }

    private void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        int[] counts = insert.executeBatch();
        for (int count : counts) {
            if (count == 0) {
                duplicates++;
            }
        }
        pending = 0;
    }

    /**
     * Writes the snapshot's facts, commits, closes the connection and syncs the file to disk, so that a rename makes
     * a complete snapshot visible; after this the file is the caller's.
     */
    void commit(Map<String, String> info) throws SQLException {
        flush();
        // Malformed lines whose RUC also has a good line are not malformed RUCs.
        connection.run("DELETE FROM malformed WHERE ruc IN (SELECT ruc FROM taxpayers)");
        try (PreparedStatement put = connection.jdbc().prepareStatement("INSERT OR REPLACE INTO info VALUES (?, ?)")) {
            for (Map.Entry<String, String> fact : info.entrySet()) {
                put.setString(1, fact.getKey());
                put.setString(2, fact.getValue());
                put.addBatch();
            }
            put.executeBatch();
        }
        connection.jdbc().commit();
        connection.close();
        committed = true;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StoreException("cannot sync the new padrón snapshot " + file + " to disk: "
                    + IoMessages.reason(e) + "; check the disk", e);
        }
    }

    /** Returns the scratch file. */
    Path file() {
        return file;
    }

    /** Closes the connection; unless committed, deletes the scratch file, which is incomplete. */
    @Override
    public void close() {
        connection.close();
        if (!committed) {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover scratch file is replaced by the next import.
        }
    }
}
