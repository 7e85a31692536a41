package pe.ruccache.cache.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreArguments;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.HealthCheck;

/**
 * The store in one SQLite file (WAL mode), shared safely by several processes: every write is a
 * {@code BEGIN IMMEDIATE} transaction that waits up to the lock timeout for other writers. One connection is used,
 * guarded by a lock, so one instance is safe for several threads; batched reads may use a second one
 * ({@link BatchedReads}).
 *
 * <p>Opening a file that is current costs one connection and one header read: the schema is created only in an
 * empty file, and a file that is damaged, another application's or from a newer version is refused and left
 * byte-for-byte as it was ({@link Schema}).
 */
public final class SqliteStore implements Store {

    private static final String UPSERT = "INSERT OR REPLACE INTO entries (" + Schema.ENTRY_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String ADD_TO_COUNTER = "INSERT INTO counters (name, value) VALUES (?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value";

    /** The most of the file read through a memory map: covers a cache of several million entries. */
    private static final long MMAP_BYTES = 1L << 30;

    private final Path file;
    private final SqliteConnection connection;
    private final BatchedReads batchedReads;
    private final SqliteHealth health;
    /** The lock timeout a write already ran into: later writes of this instance fail at once instead of waiting. */
    private SQLException lockedOut;

    private SqliteStore(Path file, Duration lockTimeout, SqliteConnection connection) {
        this.file = file;
        this.connection = connection;
        this.batchedReads = new BatchedReads(connection, () -> connect(file, lockTimeout));
        this.health = new SqliteHealth(this, file);
    }

    /**
     * Opens the store in {@code file}, creating the file (0600) and its folder (0700) when missing and the schema
     * when the file is empty; waits up to {@code lockTimeout} for other processes. Throws StoreException with a
     * one-line message naming the file when it cannot be used.
     */
    public static SqliteStore open(Path file, Duration lockTimeout) {
        return open(file, lockTimeout, true);
    }

    /**
     * Opens the store in the existing {@code file}, as {@link #open} does, but creates no file or folder: throws
     * MissingStoreException when there is no file there. For the commands that only read the store, so that a
     * mistyped path leaves nothing behind.
     */
    public static SqliteStore openExisting(Path file, Duration lockTimeout) {
        return open(file, lockTimeout, false);
    }

    private static SqliteStore open(Path file, Duration lockTimeout, boolean create) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (lockTimeout.isNegative()) {
            throw new IllegalArgumentException("negative lock timeout: " + lockTimeout);
        }
        Path path = file.toAbsolutePath().normalize();
        PrivateFile.prepare(path, create);
        SqliteConnection connection = connect(path, lockTimeout);
        try {
            Schema.ensureCurrent(connection.jdbc(), path, lockTimeout);
            return new SqliteStore(path, lockTimeout, connection);
        } catch (SQLException e) {
            connection.close();
            throw connection.failure(e);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static SqliteConnection connect(Path path, Duration lockTimeout) {
        return SqliteConnection.to(path, SqliteFileRole.CACHE)
                .busyTimeout(lockTimeout)
                .syncAtCheckpoints()
                // Batched lookups of many RUCs (bulk) spend most of their time fetching pages.
                .mmap(MMAP_BYTES)
                .open();
    }

    /** Returns the store's first connection: tests hold its lock to see what waits for it. */
    SqliteConnection connection() {
        return connection;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public List<CacheEntry> find(String ruc) {
        Objects.requireNonNull(ruc, "ruc");
        return reading(connection -> StoreReads.find(connection, ruc));
    }

    @Override
    public Map<String, List<CacheEntry>> findAll(Collection<String> rucs) {
        Set<String> distinct = StoreArguments.distinctRucs(rucs);
        if (distinct.isEmpty()) {
            return new HashMap<>();
        }
        return batchedReads.findAll(distinct);
    }

    @Override
    public void put(CacheEntry entry) {
        checkStorable(entry);
        writing(connection -> {
            upsert(connection, entry);
            return null;
        });
    }

    @Override
    public void putAll(Collection<CacheEntry> entries) {
        List<CacheEntry> copy = List.copyOf(entries);
        if (copy.isEmpty()) {
            return;
        }
        copy.forEach(SqliteStore::checkStorable);
        writing(connection -> {
            for (CacheEntry entry : copy) {
                upsert(connection, entry);
            }
            return null;
        });
    }

    @Override
    public List<CacheEntry> list(Selection selection, int limit) {
        if (StoreArguments.listsNothing(selection, limit)) {
            return List.of();
        }
        return reading(connection -> StoreReads.list(connection, selection, limit));
    }

    @Override
    public long remove(Selection selection) {
        if (StoreArguments.selectsNoRuc(selection)) {
            return 0;
        }
        Set<String> rucs = selection.rucs();
        List<List<String>> batches = rucs == null ? List.of(List.of()) : InList.batches(rucs);
        return writing(connection -> {
            long removed = 0;
            for (List<String> batch : batches) {
                SelectionSql sql = SelectionSql.of(selection, rucs == null ? 0 : InList.slots(batch.size()));
                PreparedStatement delete = connection.statement("DELETE FROM entries" + sql.where());
                sql.bind(delete, batch);
                removed += delete.executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public StoreSummary summarize(Instant now) {
        Objects.requireNonNull(now, "now");
        return reading(connection -> StoreReads.summarize(connection, now));
    }

    @Override
    public void addToCounters(Map<String, Long> deltas) {
        Map<String, Long> copy = StoreArguments.counterDeltas(deltas);
        if (copy.isEmpty()) {
            return;
        }
        writing(connection -> {
            PreparedStatement add = connection.statement(ADD_TO_COUNTER);
            for (Map.Entry<String, Long> delta : copy.entrySet()) {
                add.setString(1, delta.getKey());
                add.setLong(2, delta.getValue());
                add.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> counters() {
        return reading(StoreReads::counters);
    }

    /** Returns the size of the file with its {@code -wal} and {@code -shm} companions. */
    @Override
    public OptionalLong sizeBytes() {
        long total = 0;
        for (String suffix : List.of("", "-wal", "-shm")) {
            try {
                total += Files.size(Path.of(file + suffix));
            } catch (NoSuchFileException e) {
                // The companions exist only while a connection is open; absent counts as empty.
            } catch (IOException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(total);
    }

    /**
     * Returns {@code store.connection} (SQLite answers, and its version), {@code store.roundtrip} (a sentinel entry
     * is written, read back and deleted) and {@code store.integrity} (schema version and {@code PRAGMA quick_check}).
     */
    @Override
    public List<HealthCheck> checkHealth() {
        return health.check();
    }

    /** Closes the connections, which also checkpoints the WAL when no other process has the file open. */
    @Override
    public void close() {
        connection.close();
        // After the main connection: a batched read that had not started on the second one sees the store closed.
        batchedReads.close();
    }

    /**
     * Forbids the file to grow beyond its current number of pages, for this connection only, so that tests can
     * provoke SQLITE_FULL without filling a disk.
     */
    void capAtCurrentSize() {
        reading(connection -> {
            try (Statement pragma = connection.jdbc().createStatement()) {
                long pages;
                try (ResultSet rows = pragma.executeQuery("PRAGMA page_count")) {
                    rows.next();
                    pages = rows.getLong(1);
                }
                pragma.execute("PRAGMA max_page_count = " + pages);
                return null;
            }
        });
    }

    /** Writes {@code entry}, replacing the entry of the same RUC and provider. */
    static void upsert(SqliteConnection connection, CacheEntry entry) throws SQLException {
        PreparedStatement upsert = connection.statement(UPSERT);
        EntryRows.bind(upsert, entry);
        upsert.executeUpdate();
    }

    private static void checkStorable(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.provider().equals(Schema.HEALTH_PROVIDER)) {
            throw new IllegalArgumentException("reserved provider name: " + entry.provider());
        }
    }

    /** Runs {@code work} holding the connection's lock; SQLite failures become StoreExceptions. */
    <T> T reading(StoreWork<T> work) {
        return connection.locked(() -> work.run(connection));
    }

    /**
     * Runs {@code work} in a {@code BEGIN IMMEDIATE} transaction: the write lock is taken up front, waiting for
     * other processes' writes, so the transaction never has to upgrade a read lock and fail.
     */
    <T> T writing(StoreWork<T> work) {
        return connection.locked(() -> {
            if (lockedOut != null) {
                // One full wait per process is enough: the command is failing already, and its last counter flush
                // must not make the user wait a second time.
                throw lockedOut;
            }
            try {
                connection.statement("BEGIN IMMEDIATE").execute();
            } catch (SQLException e) {
                if (SqliteFailure.isLocked(e)) {
                    lockedOut = e;
                }
                throw e;
            }
            return connection.commitOrRollBack(() -> work.run(connection));
        });
    }

    /** A piece of work against the store's connection, which the caller holds locked. */
    @FunctionalInterface
    interface StoreWork<T> {
        T run(SqliteConnection connection) throws SQLException;
    }
}
