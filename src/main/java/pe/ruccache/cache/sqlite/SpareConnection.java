package pe.ruccache.cache.sqlite;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A second connection to a file, for reads that come while its first connection is busy (bulk's two store readers):
 * opened on first need, used by one read at a time, closed with the first. Used by the cache store's batched reads
 * and the padrón snapshot's.
 */
public final class SpareConnection implements AutoCloseable {

    /** A read given the connection it runs on. */
    @FunctionalInterface
    public interface Read<T> {
        /** Runs the read; SQLite's failures are translated by the connection. */
        T run(SqliteConnection connection) throws SQLException;
    }

    private final SqliteConnection first;
    private final Supplier<SqliteConnection> open;
    private final ReentrantLock lock = new ReentrantLock();
    private SqliteConnection spare;

    /** A spare for {@code first}, opened by {@code open} when first needed. */
    public SpareConnection(SqliteConnection first, Supplier<SqliteConnection> open) {
        this.first = first;
        this.open = open;
    }

    /** Runs {@code read} on the spare connection, opening it if needed; throws IllegalStateException once closed. */
    public <T> T read(Read<T> read) {
        lock.lock();
        try {
            first.checkOpen();
            if (spare == null) {
                spare = open.get();
            }
            SqliteConnection reader = spare;
            return reader.locked(() -> read.run(reader));
        } finally {
            lock.unlock();
        }
    }

    /** Closes the spare connection, if one was opened, after the read in progress on it. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (spare != null) {
                spare.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
