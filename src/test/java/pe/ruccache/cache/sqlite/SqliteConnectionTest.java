package pe.ruccache.cache.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.core.StoreException;

/** The one way the tool opens, shares and closes an SQLite connection. */
class SqliteConnectionTest {

    private static final SqliteFileRole SNAPSHOT = new SqliteFileRole("padrón snapshot", "padrón folder",
            "build a new one");

    @TempDir
    Path dir;

    @Test
    void statement_sameSql_isPreparedOnce_andClosedWithTheConnection() throws Exception {
        Path file = Files.createFile(dir.resolve("a.db"));
        SqliteConnection connection = SqliteConnection.to(file, SqliteFileRole.CACHE).open();
        PreparedStatement first = connection.statement("SELECT 1");

        assertSame(first, connection.statement("SELECT 1"));
        assertNotSame(first, connection.statement("SELECT 2"));
        connection.close();
        assertTrue(first.isClosed());
        assertTrue(connection.jdbc().isClosed());
        connection.close(); // twice is harmless
    }

    @Test
    void locked_afterClose_saysWhichFileIsClosed() throws Exception {
        Path file = Files.createFile(dir.resolve("a.db"));
        SqliteConnection connection = SqliteConnection.to(file, SNAPSHOT).open();
        connection.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> connection.locked(() -> 1));
        assertEquals("the padrón snapshot " + file + " is closed", e.getMessage());
    }

    @Test
    void locked_sqliteFailure_becomesAStoreExceptionNamingTheFileAsItsRoleDoes() throws Exception {
        Path file = Files.createFile(dir.resolve("a.db"));
        try (SqliteConnection connection = SqliteConnection.to(file, SNAPSHOT).open()) {
            StoreException e = assertThrows(StoreException.class,
                    () -> connection.locked(() -> connection.statement("SELECT * FROM nowhere").executeQuery()));
            assertTrue(e.getMessage().startsWith("cannot use the padrón snapshot " + file + ": SQLite: "),
                    e.getMessage());
        }
    }

    @Test
    void open_missingWritableFile_isNotCreated() {
        Path file = dir.resolve("absent.db");

        // Writable files are created private by PrivateFile first; SQLite must never create one itself.
        StoreException e = assertThrows(StoreException.class,
                () -> SqliteConnection.to(file, SqliteFileRole.CACHE).open());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void transaction_failingWork_isRolledBack() throws Exception {
        Path file = Files.createFile(dir.resolve("a.db"));
        try (SqliteConnection connection = SqliteConnection.to(file, SqliteFileRole.CACHE)
                .busyTimeout(Duration.ofSeconds(1)).open()) {
            connection.run("CREATE TABLE t (x INTEGER)");
            assertThrows(SQLException.class, () -> connection.transaction("BEGIN IMMEDIATE", () -> {
                connection.statement("INSERT INTO t VALUES (1)").executeUpdate();
                throw new SQLException("boom");
            }));
            try (ResultSet rows = connection.statement("SELECT count(*) FROM t").executeQuery()) {
                rows.next();
                assertEquals(0, rows.getInt(1));
            }
        }
    }

    @Test
    void immutable_readsTheFileWithoutWritingBesideIt() throws Exception {
        Path file = Files.createFile(dir.resolve("ro.db"));
        try (SqliteConnection writer = SqliteConnection.to(file, SNAPSHOT).open()) {
            writer.run("CREATE TABLE t (x INTEGER)");
            writer.run("INSERT INTO t VALUES (7)");
        }
        try (SqliteConnection reader = SqliteConnection.to(file, SNAPSHOT).immutable().mmap(1L << 20).open()) {
            int x = reader.locked(() -> {
                try (ResultSet rows = reader.statement("SELECT x FROM t").executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            });
            assertEquals(7, x);
            assertThrows(StoreException.class,
                    () -> reader.locked(() -> reader.statement("INSERT INTO t VALUES (8)").executeUpdate()));
        }
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no journal or WAL beside an immutable file");
        }
    }
}
