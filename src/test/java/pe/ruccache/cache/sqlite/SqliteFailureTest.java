package pe.ruccache.cache.sqlite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.NativeLibraryNotFoundException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import pe.ruccache.core.StoreException;

/**
 * Each SQLite failure becomes one line that names the file and says what is wrong; covers the codes that tests
 * cannot easily provoke for real.
 */
class SqliteFailureTest {

    private static final Path FILE = Path.of("/home/ana/.cache/ruc-cache/cache.db");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SQLITE_BUSY               | is locked by another process; waited 10s",
        "SQLITE_BUSY_SNAPSHOT      | is locked by another process; waited 10s",
        "SQLITE_LOCKED             | is locked by another process; waited 10s",
        "SQLITE_FULL               | is full; free some space and retry",
        "SQLITE_READONLY           | : it or its folder is read-only; make both writable by you",
        "SQLITE_READONLY_DIRECTORY | : it or its folder is read-only; make both writable by you",
        "SQLITE_CANTOPEN           | ; check that it and its folder exist and that you may read and write them",
        "SQLITE_PERM               | permission denied on the cache file /home/ana/.cache/ruc-cache/cache.db",
    })
    void translate_knownCode_namesFileAndSaysWhatToDo(String code, String ending) {
        SQLiteException cause = new SQLiteException("[" + code + "] whatever (details)",
                SQLiteErrorCode.valueOf(code));

        StoreException e = SqliteFailure.translate(cause, FILE, Duration.ofSeconds(10));

        assertTrue(e.getMessage().endsWith(ending), e.getMessage());
        assertTrue(e.getMessage().contains("cache file " + FILE), e.getMessage());
        assertSame(cause, e.getCause());
    }

    @ParameterizedTest
    @CsvSource({"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR_SHORT_READ", "SQLITE_IOERR", "SQLITE_MISMATCH"})
    void translate_otherCodes_quoteSqliteOnOneLine(String code) {
        SQLiteException cause = new SQLiteException("[" + code + "] A description (sqlite says\nthis)",
                SQLiteErrorCode.valueOf(code));

        String message = SqliteFailure.translate(cause, FILE, Duration.ofSeconds(10)).getMessage();

        assertTrue(message.contains(FILE.toString()), message);
        assertTrue(message.contains("SQLite: sqlite says this"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void connecting_nativeLibraryMissing_saysSoAndHowToFixIt() {
        SQLException cause = new SQLException("Error opening connection",
                new NativeLibraryNotFoundException("No native library found for os.name=Linux"));

        String message = SqliteFailure.connecting(cause, FILE, Duration.ofSeconds(10)).getMessage();

        assertTrue(message.contains("cannot open the cache file " + FILE), message);
        assertTrue(message.contains("native library could not be loaded (No native library found"), message);
        assertTrue(message.contains("org.sqlite.tmpdir"), message);
    }
}
