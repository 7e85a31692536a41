package pe.ruccache.cache.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.NativeLibraryNotFoundException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.StoreException;

/** Turns SQLite's failures into one-line messages that name the file and say what to do. */
public final class SqliteFailure {

    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_AUTH = 23;
    private static final int SQLITE_NOTADB = 26;

    private SqliteFailure() {
    }

    /** Returns the StoreException that tells a user what went wrong with {@code file} and what to do about it. */
    static StoreException translate(SQLException e, Path file, Duration lockTimeout) {
        return translate(e, file, lockTimeout, SqliteFileRole.CACHE);
    }

    /** Returns the StoreException that tells a user what went wrong with {@code file}, named as {@code role} does. */
    public static StoreException translate(SQLException e, Path file, Duration lockTimeout, SqliteFileRole role) {
        String what = role.file();
        String message = switch (primaryCode(e)) {
            case SQLITE_BUSY, SQLITE_LOCKED -> locked(file, lockTimeout, role);
            case SQLITE_FULL -> "the disk holding the " + what + " " + file + " is full; free some space and retry";
            case SQLITE_READONLY -> "cannot write the " + what + " " + file
                    + ": it or its folder is read-only; make both writable by you";
            case SQLITE_CORRUPT, SQLITE_NOTADB -> damaged(file, sqliteSays(e), role);
            case SQLITE_CANTOPEN -> "cannot open the " + what + " " + file
                    + "; check that it and its folder exist and that you may read and write them";
            case SQLITE_PERM, SQLITE_AUTH -> "permission denied on the " + what + " " + file;
            case SQLITE_IOERR -> "input/output error on the " + what + " " + file + " (" + sqliteSays(e)
                    + "); check the disk";
            default -> "cannot use the " + what + " " + file + ": " + sqliteSays(e);
        };
        return new StoreException(message, e);
    }

    /** Returns whether {@code e} says the disk is full, so callers can say what was kept. */
    public static boolean isDiskFull(SQLException e) {
        return primaryCode(e) == SQLITE_FULL;
    }

    /**
     * Returns the StoreException for a connection that could not be opened: like {@link #translate}, except that a
     * native library SQLite could not load (typically a temporary folder mounted noexec) is said as such.
     */
    static StoreException connecting(SQLException e, Path file, Duration lockTimeout) {
        return connecting(e, file, lockTimeout, SqliteFileRole.CACHE);
    }

    /** Returns the StoreException for a connection to {@code file}, named as {@code role} does, that failed to open. */
    public static StoreException connecting(SQLException e, Path file, Duration lockTimeout, SqliteFileRole role) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof LinkageError || cause instanceof NativeLibraryNotFoundException) {
                return new StoreException("cannot open the " + role.file() + " " + file + ": SQLite's native library "
                        + "could not be loaded (" + firstLine(cause.getMessage()) + "); if the temporary folder "
                        + "does not allow running programs (noexec), set the Java system property "
                        + "org.sqlite.tmpdir to a folder that does", e);
            }
        }
        return translate(e, file, lockTimeout, role);
    }

    /** Returns the message for a lock held by another process for longer than {@code lockTimeout}. */
    static String locked(Path file, Duration lockTimeout) {
        return locked(file, lockTimeout, SqliteFileRole.CACHE);
    }

    private static String locked(Path file, Duration lockTimeout, SqliteFileRole role) {
        return "the " + role.file() + " " + file + " is locked by another process; waited "
                + DurationText.format(lockTimeout);
    }

    /** Returns the message for a file that SQLite cannot read as a database. */
    static String damaged(Path file, String detail) {
        return damaged(file, detail, SqliteFileRole.CACHE);
    }

    /** Returns the message for a file, named as {@code role} does, that SQLite cannot read as a database. */
    public static String damaged(Path file, String detail, SqliteFileRole role) {
        return "the " + role.file() + " " + file + " is damaged or is not a ruc-cache database (" + detail
                + "); it was left untouched: " + role.damagedAdvice();
    }

    /** Returns whether {@code e} says the database is locked, so callers can tell contention from real failures. */
    static boolean isLocked(SQLException e) {
        int code = primaryCode(e);
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }

    private static String firstLine(String text) {
        return text == null ? "no detail" : text.lines().findFirst().orElse("").strip();
    }

    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != SQLiteErrorCode.UNKNOWN_ERROR) {
            return se.getResultCode().code & 0xFF;
        }
        // Some paths of the driver report only the number, as the vendor code.
        return e.getErrorCode() & 0xFF;
    }

    /** Returns SQLite's own words, e.g. {@code database disk image is malformed}, on one line. */
    private static String sqliteSays(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // The driver formats messages as "[SQLITE_CODE] Description (sqlite's message)"; keep sqlite's message.
        int open = text.lastIndexOf('(');
        if (text.startsWith("[") && open > 0 && text.endsWith(")")) {
            text = text.substring(open + 1, text.length() - 1);
        }
        return "SQLite: " + text.replaceAll("\\s+", " ").strip();
    }
}
