package pe.ruccache.cache.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import pe.ruccache.core.StoreException;

/**
 * The file's layout and its version. A file is recognised as ours by its application id; its schema version is
 * SQLite's {@code user_version}. Both live in the file header, so checking them costs one page read and no DDL.
 */
final class Schema {

    /**
     * The version this code reads and writes. Bump it for any change an older version could misread, including a
     * new {@code Status} or {@code Reason} value being stored: older versions cannot parse values they do not know.
     */
    static final int VERSION = 1;

    /** "RUCC" in ASCII: marks the file as a ruc-cache store, so another application's database is never touched. */
    static final int APPLICATION_ID = 0x52554343;

    /** The provider name of the health check's sentinel entry; no real provider can have parentheses in its name. */
    static final String HEALTH_PROVIDER = "(health-check)";

    /** The columns of {@code entries} in the order {@link EntryRows} binds and reads them. */
    static final String ENTRY_COLUMNS = "ruc, provider, status, reason, detail, razon_social, estado, condicion, "
            + "ubigeo, direccion, departamento, provincia, distrito, data_as_of, fetched_at, expires_at";

    /** The columns of {@code entries} declared NOT NULL below. */
    static final Set<String> NOT_NULL_COLUMNS = Set.of("ruc", "provider", "status", "fetched_at", "expires_at");

    private static final List<String> DDL = List.of(
            """
            CREATE TABLE entries (
                ruc          TEXT    NOT NULL,
                provider     TEXT    NOT NULL,
                status       TEXT    NOT NULL CHECK (status IN ('VALID', 'INVALID')),
                reason       TEXT,
                detail       TEXT,
                razon_social TEXT,
                estado       TEXT,
                condicion    TEXT,
                ubigeo       TEXT,
                direccion    TEXT,
                departamento TEXT,
                provincia    TEXT,
                distrito     TEXT,
                data_as_of   INTEGER,
                fetched_at   INTEGER NOT NULL,
                expires_at   INTEGER NOT NULL,
                PRIMARY KEY (ruc, provider)
            ) STRICT, WITHOUT ROWID""",
            // clear --provider, stats by provider.
            "CREATE INDEX entries_by_provider ON entries (provider)",
            // clear --expired and the expired count.
            "CREATE INDEX entries_by_expiry ON entries (expires_at)",
            // invalid list: one status, newest first, with a limit.
            "CREATE INDEX entries_by_status_fetched ON entries (status, fetched_at)",
            """
            CREATE TABLE counters (
                name  TEXT    NOT NULL PRIMARY KEY,
                value INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID""",
            "PRAGMA application_id = " + APPLICATION_ID,
            "PRAGMA user_version = " + VERSION);

    private Schema() {
    }

    /**
     * Checks that the open file is a ruc-cache store of the current version, creating the schema in an empty file;
     * throws StoreException, having written nothing, for a file that is damaged, another application's or newer.
     */
    static void ensureCurrent(Connection connection, Path file, Duration lockTimeout) throws SQLException {
        Header header = Header.read(connection);
        if (header.isCurrent()) {
            return;
        }
        refuseUnusable(header, file);
        // Only an empty database gets here; check that before switching it to WAL, which writes to the file.
        if (header.objects() > 0) {
            throw notOurs(file);
        }
        enterWal(connection, lockTimeout);
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                // Another process may have created the schema while we waited for the write lock.
                Header now = Header.read(connection);
                if (now.isCurrent()) {
                    statement.execute("COMMIT");
                    return;
                }
                refuseUnusable(now, file);
                if (now.objects() > 0) {
                    throw notOurs(file);
                }
                for (String ddl : DDL) {
                    statement.execute(ddl);
                }
                statement.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(statement);
                throw e;
            }
        }
    }

    /**
     * Switches the file to WAL, which cannot be done inside a transaction and is a no-op once another process has
     * done it. Switching takes a read lock and then upgrades it; SQLite never waits for an upgrade (that could
     * deadlock), so when another process holds a lock it fails at once, and the waiting is done here.
     */
    private static void enterWal(Connection connection, Duration lockTimeout) throws SQLException {
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        long pauseMillis = 1;
        while (true) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                return;
            } catch (SQLException e) {
                if (!SqliteFailure.isLocked(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                try {
                    // Jitter, so that two processes starting together do not retry in lockstep.
                    Thread.sleep(pauseMillis + ThreadLocalRandom.current().nextLong(pauseMillis + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMillis = Math.min(pauseMillis * 2, 50);
            }
        }
    }

    private static void refuseUnusable(Header header, Path file) {
        if (header.applicationId() == APPLICATION_ID) {
            if (header.userVersion() > VERSION) {
                throw new StoreException(String.format(Locale.ROOT,
                        "the cache file %s was written by a newer ruc-cache (schema version %d; this version "
                                + "reads version %d); it was left untouched: upgrade ruc-cache or use another "
                                + "cache file", file, header.userVersion(), VERSION));
            }
            // Older versions of our own schema would be migrated here; version 1 is the first there is.
            throw new StoreException(String.format(Locale.ROOT,
                    "the cache file %s has schema version %d, which this ruc-cache cannot read; it was left "
                            + "untouched: move it aside to start a new cache", file, header.userVersion()));
        }
        if (header.applicationId() != 0 || header.userVersion() != 0) {
            throw notOurs(file);
        }
    }

    private static StoreException notOurs(Path file) {
        return new StoreException("the file " + file + " is an SQLite database of another application, not a "
                + "ruc-cache cache; it was left untouched: use another cache file");
    }

    private static void rollbackQuietly(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // No transaction left to roll back: the failure being reported is the one that matters.
        }
    }

    /**
     * What identifies the file, read in one statement so that all three come from one state of the file: read
     * apart, another process could create the schema in between and make a new file look like a foreign one.
     *
     * @param applicationId who wrote the file; {@link #APPLICATION_ID} for us, 0 for a new file
     * @param userVersion the schema version
     * @param objects how many tables, indexes and the like the file holds; 0 for a new file
     */
    record Header(int applicationId, int userVersion, long objects) {

        static Header read(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT a.application_id, v.user_version, "
                            + "(SELECT count(*) FROM sqlite_schema) FROM pragma_application_id a, "
                            + "pragma_user_version v")) {
                rows.next();
                return new Header(rows.getInt(1), rows.getInt(2), rows.getLong(3));
            }
        }

        /** Returns whether the file is a ruc-cache store of the version this code reads. */
        boolean isCurrent() {
            return applicationId == APPLICATION_ID && userVersion == VERSION;
        }
    }
}
