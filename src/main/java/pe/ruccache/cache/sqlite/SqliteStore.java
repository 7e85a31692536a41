package pe.ruccache.cache.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.NewestFirst;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreArguments;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;

/**
 * The store in one SQLite file (WAL mode), shared safely by several processes: every write is a
 * {@code BEGIN IMMEDIATE} transaction that waits up to the lock timeout for other writers. One connection is used,
 * guarded by a lock, so one instance is safe for several threads.
 *
 * <p>Opening a file that is current costs one connection and one header read: the schema is created only in an
 * empty file, and a file that is damaged, another application's or from a newer version is refused and left
 * byte-for-byte as it was.
 */
public final class SqliteStore implements Store {

    private static final String NOT_SENTINEL = " AND provider <> '" + Schema.HEALTH_PROVIDER + "'";
    /** The text of the batched read for each IN-list size (index: log2 of the size); the same string each time. */
    private static final String[] FIND_SQL = new String[Integer.numberOfTrailingZeros(InList.MAX_KEYS) + 1];
    private static final String SELECT_ENTRIES = "SELECT " + Schema.ENTRY_COLUMNS + " FROM entries";
    private static final String NEWEST_FIRST = " ORDER BY fetched_at DESC, ruc, provider";

    private static final String FIND = SELECT_ENTRIES + " WHERE ruc = ?" + NOT_SENTINEL;
    private static final String FIND_KEY = SELECT_ENTRIES + " WHERE ruc = ? AND provider = ?";
    private static final String UPSERT = "INSERT OR REPLACE INTO entries (" + Schema.ENTRY_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_KEY = "DELETE FROM entries WHERE ruc = ? AND provider = ?";
    private static final String ADD_TO_COUNTER = "INSERT INTO counters (name, value) VALUES (?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value";
    private static final String COUNTERS = "SELECT name, value FROM counters ORDER BY name";
    // One scan, grouped by everything the summary breaks down by; the groups are few, the rows are not loaded.
    private static final String SUMMARY = "SELECT status, reason, estado, condicion, provider, "
            + "expires_at > ? AS fresh, count(*) FROM entries WHERE provider <> '" + Schema.HEALTH_PROVIDER + "' "
            + "GROUP BY status, reason, estado, condicion, provider, fresh";

    /** The most of the file read through a memory map: covers a cache of several million entries. */
    private static final long MMAP_BYTES = 1L << 30;

    private final Path file;
    private final Duration lockTimeout;
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private SecondReader secondReader;
    private volatile boolean closed;
    /** The lock timeout a write already ran into: later writes of this instance fail at once instead of waiting. */
    private SQLException lockedOut;

    private SqliteStore(Path file, Duration lockTimeout, Connection connection) {
        this.file = file;
        this.lockTimeout = lockTimeout;
        this.connection = connection;
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
        Connection connection;
        try {
            connection = connect(path, lockTimeout);
        } catch (SQLException e) {
            throw SqliteFailure.connecting(e, path, lockTimeout);
        }
        try {
            Schema.ensureCurrent(connection, path, lockTimeout);
            return new SqliteStore(path, lockTimeout, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw SqliteFailure.translate(e, path, lockTimeout);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static Connection connect(Path path, Duration lockTimeout) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // The file exists by now, created private; SQLite must never create one with the default mode.
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, lockTimeout.toMillis()));
        // In WAL mode NORMAL loses no committed transaction when a process dies, only on power loss.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // Reads through a memory map instead of one read() call per page: batched lookups of many RUCs (bulk) spend
        // most of their time fetching pages. Address space only; the file stays the single source of truth.
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(MMAP_BYTES));
        return config.createConnection("jdbc:sqlite:" + path);
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public List<CacheEntry> find(String ruc) {
        Objects.requireNonNull(ruc, "ruc");
        return reading(() -> {
            PreparedStatement find = statement(FIND);
            find.setString(1, ruc);
            return readAll(find);
        });
    }

    @Override
    public Map<String, List<CacheEntry>> findAll(Collection<String> rucs) {
        Set<String> distinct = StoreArguments.distinctRucs(rucs);
        if (distinct.isEmpty()) {
            return new HashMap<>();
        }
        List<List<String>> batches = InList.batches(distinct);
        // A second caller (bulk reads two halves of a window at once) gets the second connection rather than wait.
        if (!lock.isHeldByCurrentThread() && lock.tryLock()) {
            try {
                return reading(() -> inOneSnapshot(batches.size() > 1, () -> readBatches(batches, this::statement)));
            } finally {
                lock.unlock();
            }
        }
        return secondReader().read(batches);
    }

    /** Returns the statement reading the entries of {@code slots} RUCs (a power of two), built once per size. */
    private static String findSql(int slots) {
        int i = Integer.numberOfTrailingZeros(slots);
        String sql = FIND_SQL[i];
        if (sql == null) {
            // A benign race: two threads may both build the same text.
            sql = "SELECT " + EntryRows.PACKED + " FROM entries WHERE ruc IN (" + InList.placeholders(slots) + ")"
                    + NOT_SENTINEL;
            FIND_SQL[i] = sql;
        }
        return sql;
    }

    /** Reads the entries of every batch's RUCs with the statements {@code statements} prepares. */
    private static Map<String, List<CacheEntry>> readBatches(List<List<String>> batches, Prepared statements)
            throws SQLException {
        int keys = 0;
        for (List<String> batch : batches) {
            keys += batch.size();
        }
        Map<String, List<CacheEntry>> found = new HashMap<>(keys * 4 / 3 + 1);
        Set<String> unpackable = null;
        for (List<String> batch : batches) {
            int slots = InList.slots(batch.size());
            PreparedStatement find = statements.get(findSql(slots));
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
                PreparedStatement find = statements.get(FIND);
                find.setString(1, ruc);
                List<CacheEntry> entries = readAll(find);
                if (!entries.isEmpty()) {
                    found.put(ruc, entries);
                }
            }
        }
        return found;
    }

    private SecondReader secondReader() {
        lock.lock();
        try {
            checkOpen();
            if (secondReader == null) {
                secondReader = new SecondReader();
            }
            return secondReader;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A read-only connection of its own, so that two batched reads run at once (WAL readers do not block each
     * other); opened on first need, closed with the store.
     */
    private final class SecondReader {
        private final ReentrantLock readLock = new ReentrantLock();
        private final Map<String, PreparedStatement> prepared = new HashMap<>();
        private Connection readConnection;

        Map<String, List<CacheEntry>> read(List<List<String>> batches) {
            readLock.lock();
            try {
                checkOpen();
                if (readConnection == null) {
                    readConnection = connect(file, lockTimeout);
                }
                statementOn("BEGIN").execute();
                try {
                    Map<String, List<CacheEntry>> found = readBatches(batches, this::statementOn);
                    statementOn("COMMIT").execute();
                    return found;
                } catch (SQLException | RuntimeException e) {
                    try {
                        statementOn("ROLLBACK").execute();
                    } catch (SQLException ignored) {
                        // The failure being reported is the one that matters.
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw SqliteFailure.translate(e, file, lockTimeout);
            } finally {
                readLock.unlock();
            }
        }

        private PreparedStatement statementOn(String sql) throws SQLException {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = readConnection.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            return statement;
        }

        void close() {
            readLock.lock();
            try {
                for (PreparedStatement statement : prepared.values()) {
                    try {
                        statement.close();
                    } catch (SQLException ignored) {
                        // Closing the connection below releases it anyway.
                    }
                }
                prepared.clear();
                if (readConnection != null) {
                    closeQuietly(readConnection);
                }
            } finally {
                readLock.unlock();
            }
        }
    }

    /** Prepares (or reuses) the statement for some SQL on one connection. */
    @FunctionalInterface
    private interface Prepared {
        PreparedStatement get(String sql) throws SQLException;
    }

    @Override
    public void put(CacheEntry entry) {
        checkStorable(entry);
        writing(() -> {
            upsert(entry);
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
        writing(() -> {
            for (CacheEntry entry : copy) {
                upsert(entry);
            }
            return null;
        });
    }

    @Override
    public List<CacheEntry> list(Selection selection, int limit) {
        if (StoreArguments.listsNothing(selection, limit)) {
            return List.of();
        }
        Set<String> rucs = selection.rucs();
        if (rucs == null) {
            return reading(() -> {
                SelectionSql sql = SelectionSql.of(selection, 0);
                PreparedStatement list = statement(SELECT_ENTRIES + sql.where() + NEWEST_FIRST + " LIMIT ?");
                list.setInt(sql.bind(list, List.of()), limit);
                return readAll(list);
            });
        }
        List<List<String>> batches = InList.batches(rucs);
        return reading(() -> inOneSnapshot(batches.size() > 1, () -> {
            // Each batch yields its newest; the newest overall are among them.
            List<CacheEntry> merged = new ArrayList<>();
            for (List<String> batch : batches) {
                SelectionSql sql = SelectionSql.of(selection, InList.slots(batch.size()));
                PreparedStatement list = statement(SELECT_ENTRIES + sql.where() + NEWEST_FIRST + " LIMIT ?");
                list.setInt(sql.bind(list, batch), limit);
                merged.addAll(readAll(list));
            }
            merged.sort(new NewestFirst());
            return List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
        }));
    }

    @Override
    public long remove(Selection selection) {
        if (StoreArguments.selectsNoRuc(selection)) {
            return 0;
        }
        Set<String> rucs = selection.rucs();
        List<List<String>> batches = rucs == null ? List.of(List.of()) : InList.batches(rucs);
        return writing(() -> {
            long removed = 0;
            for (List<String> batch : batches) {
                SelectionSql sql = SelectionSql.of(selection, rucs == null ? 0 : InList.slots(batch.size()));
                PreparedStatement delete = statement("DELETE FROM entries" + sql.where());
                sql.bind(delete, batch);
                removed += delete.executeUpdate();
            }
            return removed;
        });
    }

    @Override
    public StoreSummary summarize(Instant now) {
        Objects.requireNonNull(now, "now");
        return reading(() -> {
            PreparedStatement summary = statement(SUMMARY);
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
        });
    }

    @Override
    public void addToCounters(Map<String, Long> deltas) {
        Map<String, Long> copy = StoreArguments.counterDeltas(deltas);
        if (copy.isEmpty()) {
            return;
        }
        writing(() -> {
            PreparedStatement add = statement(ADD_TO_COUNTER);
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
        return reading(() -> {
            Map<String, Long> counters = new LinkedHashMap<>();
            try (ResultSet rows = statement(COUNTERS).executeQuery()) {
                while (rows.next()) {
                    counters.put(rows.getString(1), rows.getLong(2));
                }
            }
            return Collections.unmodifiableMap(counters);
        });
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
        return List.of(checkConnection(), checkRoundtrip(), checkIntegrity());
    }

    private HealthCheck checkConnection() {
        String name = "store.connection";
        try {
            String version = reading(() -> {
                try (ResultSet rows = statement("SELECT sqlite_version()").executeQuery()) {
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
            writing(() -> {
                upsert(sentinel);
                return null;
            });
            try {
                readBack = reading(() -> {
                    PreparedStatement find = statement(FIND_KEY);
                    find.setString(1, ruc);
                    find.setString(2, Schema.HEALTH_PROVIDER);
                    List<CacheEntry> found = readAll(find);
                    return found.isEmpty() ? null : found.get(0);
                });
            } finally {
                writing(() -> {
                    PreparedStatement delete = statement(DELETE_KEY);
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
            return HealthCheck.ok(name, "wrote, read back and deleted a test entry in " + millis + " ms");
        } catch (RuntimeException e) {
            return HealthCheck.critical(name, detail(e));
        }
    }

    private HealthCheck checkIntegrity() {
        String name = "store.integrity";
        try {
            return reading(() -> {
                Schema.Header header = Schema.Header.read(connection);
                if (!header.isCurrent()) {
                    return HealthCheck.critical(name, String.format(Locale.ROOT,
                            "the cache file %s has schema version %d; this ruc-cache reads version %d",
                            file, header.userVersion(), Schema.VERSION));
                }
                List<String> problems = new ArrayList<>();
                try (ResultSet rows = statement("PRAGMA quick_check").executeQuery()) {
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

    /** Closes the connection, which also checkpoints the WAL when no other process has the file open. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // Closing the connection below releases it anyway.
                }
            }
            statements.clear();
            if (secondReader != null) {
                secondReader.close();
            }
            closeQuietly(connection);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forbids the file to grow beyond its current number of pages, for this connection only, so that tests can
     * provoke SQLITE_FULL without filling a disk.
     */
    void capAtCurrentSize() {
        reading(() -> {
            try (Statement pragma = connection.createStatement()) {
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

    private void upsert(CacheEntry entry) throws SQLException {
        PreparedStatement upsert = statement(UPSERT);
        EntryRows.bind(upsert, entry);
        upsert.executeUpdate();
    }

    private static void checkStorable(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.provider().equals(Schema.HEALTH_PROVIDER)) {
            throw new IllegalArgumentException("reserved provider name: " + entry.provider());
        }
    }

    private static List<CacheEntry> readAll(PreparedStatement query) throws SQLException {
        List<CacheEntry> entries = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                entries.add(EntryRows.read(rows));
            }
        }
        return entries;
    }


    /** Runs {@code work} holding the lock; SQLite failures become StoreExceptions. */
    private <T> T reading(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            return work.run();
        } catch (SQLException e) {
            throw SqliteFailure.translate(e, file, lockTimeout);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in a {@code BEGIN IMMEDIATE} transaction: the write lock is taken up front, waiting for
     * other processes' writes, so the transaction never has to upgrade a read lock and fail.
     */
    private <T> T writing(Work<T> work) {
        return reading(() -> {
            if (lockedOut != null) {
                // One full wait per process is enough: the command is failing already, and its last counter flush
                // must not make the user wait a second time.
                throw lockedOut;
            }
            try {
                statement("BEGIN IMMEDIATE").execute();
            } catch (SQLException e) {
                if (SqliteFailure.isLocked(e)) {
                    lockedOut = e;
                }
                throw e;
            }
            try {
                T result = work.run();
                statement("COMMIT").execute();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        });
    }

    /** Runs several reads in one transaction when {@code needed}, so they see one state of the file. */
    private <T> T inOneSnapshot(boolean needed, Work<T> work) throws SQLException {
        if (!needed) {
            return work.run();
        }
        statement("BEGIN").execute();
        try {
            T result = work.run();
            statement("COMMIT").execute();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private void rollbackQuietly() {
        try {
            statement("ROLLBACK").execute();
        } catch (SQLException ignored) {
            // No transaction was open: the failure being reported is the one that matters.
        }
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the store " + file + " is closed");
        }
    }

    private static String detail(RuntimeException e) {
        return e instanceof StoreException || e instanceof IllegalStateException ? e.getMessage()
                : oneLine(String.valueOf(e));
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing useful to do: the file stays consistent, SQLite recovers it on the next open.
        }
    }

    /** A piece of work against the connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }
}
