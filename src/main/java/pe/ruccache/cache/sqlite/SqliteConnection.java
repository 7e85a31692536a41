package pe.ruccache.cache.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import pe.ruccache.core.StoreException;

/**
 * One connection to one SQLite file the tool keeps (the cache, the padrón snapshot), with what every user of such a
 * connection needs once: opening it with the pragmas its role asks for, a cache of prepared statements (the same SQL
 * text is prepared once per connection), a lock for the threads that share it, transactions, closing, and SQLite's
 * failures said as one-line StoreExceptions naming the file as its {@link SqliteFileRole} does.
 */
public final class SqliteConnection implements AutoCloseable {

    private final Path file;
    private final SqliteFileRole role;
    private final Duration busyTimeout;
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    private SqliteConnection(Path file, SqliteFileRole role, Duration busyTimeout, Connection connection) {
        this.file = file;
        this.role = role;
        this.busyTimeout = busyTimeout;
        this.connection = connection;
    }

    /**
     * Starts loading the SQLite driver (its classes, its date format's locale data, the native library) on a
     * daemon thread, so that a run which opens a file a moment later, once its command line is parsed, finds it
     * loaded. Only where a second core can do it meanwhile; the driver loads itself, once, either way, and a
     * failure here is left for the real opening to report.
     */
    public static void preload() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread thread = new Thread(SqliteConnection::load, "sqlite-preload");
        thread.setDaemon(true);
        thread.start();
    }

    private static void load() {
        try {
            new SQLiteConfig();
            org.sqlite.core.NativeDB.load();
            Class.forName("org.sqlite.JDBC");
        } catch (Exception | LinkageError e) {
            // The opening that needs the driver reports it.
        }
    }

    /** Returns how to open {@code file} (absolute), named in messages as {@code role} does. */
    public static Opening to(Path file, SqliteFileRole role) {
        return new Opening(file, role);
    }

    /** Returns the file this connection reads and writes. */
    public Path file() {
        return file;
    }

    /** Returns the JDBC connection, for what the statement cache does not cover (DDL, pragmas, batches). */
    public Connection jdbc() {
        return connection;
    }

    /**
     * Returns the statement for {@code sql}, prepared on first use and reused after; callers that share the
     * connection between threads use it only inside {@link #locked}.
     */
    public PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Runs one statement that is not worth keeping prepared, such as a pragma. */
    public void run(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Runs {@code work} holding the connection's lock; throws IllegalStateException once the connection is closed
     * and turns SQLite's failures into StoreExceptions naming the file.
     */
    public <T> T locked(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            return work.run();
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} as {@link #locked} does when no other thread holds the lock right now and this thread does
     * not either; returns what {@code otherwise} returns, without waiting, when the connection is busy.
     */
    public <T> T lockedIfFree(Work<T> work, Supplier<T> otherwise) {
        if (lock.isHeldByCurrentThread() || !lock.tryLock()) {
            return otherwise.get();
        }
        try {
            checkOpen();
            return work.run();
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in a transaction begun with {@code begin} ({@code BEGIN}, {@code BEGIN IMMEDIATE}). */
    public <T> T transaction(String begin, Work<T> work) throws SQLException {
        statement(begin).execute();
        return commitOrRollBack(work);
    }

    /** Runs {@code work} in the transaction just begun: commits when it succeeds, rolls back when it fails. */
    public <T> T commitOrRollBack(Work<T> work) throws SQLException {
        try {
            T result = work.run();
            statement("COMMIT").execute();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                statement("ROLLBACK").execute();
            } catch (SQLException ignored) {
                // No transaction left to roll back: the failure being reported is the one that matters.
            }
            throw e;
        }
    }

    /** Returns the StoreException that tells a user what {@code e} means for this file and what to do. */
    public StoreException failure(SQLException e) {
        return SqliteFailure.translate(e, file, busyTimeout, role);
    }

    /** Returns whether {@link #close} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** Throws IllegalStateException when the connection is closed. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the " + role.file() + " " + file + " is closed");
        }
    }

    /**
     * Closes the prepared statements and the connection, waiting for the work in progress; closing twice does
     * nothing. Failures to close are ignored: SQLite keeps the file consistent and recovers it on the next open.
     */
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
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing useful to do: the file stays consistent.
            }
        } finally {
            lock.unlock();
        }
    }

    /** A piece of work against the connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Runs the work; SQLite's failures are left to the caller to translate. */
        T run() throws SQLException;
    }

    /**
     * How to open a connection: the pragmas the file's role asks for. A writable file must exist already (created
     * private by {@link PrivateFile}): SQLite never creates one with its default mode.
     */
    public static final class Opening {
        private final Path file;
        private final SqliteFileRole role;
        private final SQLiteConfig config = new SQLiteConfig();
        private Duration busyTimeout = Duration.ZERO;
        private boolean immutable;

        private Opening(Path file, SqliteFileRole role) {
            this.file = Objects.requireNonNull(file, "file");
            this.role = Objects.requireNonNull(role, "role");
        }

        /** Waits up to {@code timeout} for other processes' locks instead of failing at once. */
        public Opening busyTimeout(Duration timeout) {
            busyTimeout = timeout;
            config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return this;
        }

        /**
         * Syncs only at WAL checkpoints ({@code synchronous = NORMAL}): in WAL mode no committed transaction is lost
         * when a process dies, only on power loss.
         */
        public Opening syncAtCheckpoints() {
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            return this;
        }

        /**
         * Writes a scratch file as fast as SQLite can append: no journal, no syncs, an exclusive lock, and a page
         * cache of {@code cacheKib} KiB; for a file that is worthless until complete and is synced by its caller.
         */
        public Opening scratch(int cacheKib) {
            config.setJournalMode(SQLiteConfig.JournalMode.OFF);
            config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
            config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
            config.setCacheSize(-cacheKib);
            return this;
        }

        /**
         * Reads up to {@code bytes} of the file through a memory map instead of one read() call per page. Address
         * space only; the file stays the single source of truth.
         */
        public Opening mmap(long bytes) {
            config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(bytes));
            return this;
        }

        /**
         * Opens the file read-only and immutable: SQLite takes no locks and checks no journal, for a file that is
         * never changed in place, only replaced by a rename.
         */
        public Opening immutable() {
            immutable = true;
            config.setReadOnly(true);
            config.setOpenMode(SQLiteOpenMode.OPEN_URI);
            return this;
        }

        /** Opens the connection; throws StoreException naming the file when SQLite cannot. */
        public SqliteConnection open() {
            String url;
            if (immutable) {
                url = "jdbc:sqlite:file:" + file.toUri().getRawPath() + "?immutable=1";
            } else {
                config.resetOpenMode(SQLiteOpenMode.CREATE);
                url = "jdbc:sqlite:" + file;
            }
            try {
                return new SqliteConnection(file, role, busyTimeout, config.createConnection(url));
            } catch (SQLException e) {
                throw SqliteFailure.connecting(e, file, busyTimeout, role);
            }
        }
    }
}
