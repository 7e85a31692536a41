package pe.ruccache.padron;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import pe.ruccache.cache.sqlite.SqliteFileRole;
import pe.ruccache.core.StoreException;

/**
 * The snapshot file's layout. One row per taxpayer in a table keyed by the RUC as an integer: the RUC is the B-tree's
 * own key (SQLite's rowid), so there is no separate index, and each row holds the text columns, NULL for SUNAT's
 * '-'. That keeps the file about the size of the text it came from. (A WITHOUT ROWID table would store the key twice
 * over: measured 12% larger for the same rows.)
 */
final class SnapshotSchema {

    /** The version this code reads and writes; bump it for any change an older version could misread. */
    static final int VERSION = 1;
    /** "RUCP" in ASCII: marks the file as a padrón snapshot, distinct from the cache ("RUCC"). */
    static final int APPLICATION_ID = 0x52554350;

    /** How messages name the snapshot and what to do with a damaged one. */
    static final SqliteFileRole ROLE = new SqliteFileRole("padrón snapshot", "padrón folder",
            "run 'ruc-cache padron update' (or 'padron import FILE') to build a new one");

    /** The text columns of {@code taxpayers}, in the padrón's order after the RUC. */
    static final List<String> TEXT_COLUMNS = List.of("razon_social", "estado", "condicion", "ubigeo", "tipo_via",
            "nombre_via", "codigo_zona", "tipo_zona", "numero", "interior", "lote", "departamento", "manzana",
            "kilometro");

    static final List<String> DDL = List.of(
            "CREATE TABLE taxpayers (ruc INTEGER PRIMARY KEY, "
                    + String.join(" TEXT, ", TEXT_COLUMNS) + " TEXT) STRICT",
            // RUCs whose line was malformed: not claimed absent (NOT_FOUND), since SUNAT does list them.
            "CREATE TABLE malformed (ruc INTEGER PRIMARY KEY, line INTEGER NOT NULL, kind TEXT NOT NULL) STRICT",
            // What was imported, from where, when; one row per fact, so new facts need no schema change.
            "CREATE TABLE info (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID");

    private SnapshotSchema() {
    }

    /** Writes the schema and the file's identity into a new, empty file. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
            statement.execute("PRAGMA application_id = " + APPLICATION_ID);
            statement.execute("PRAGMA user_version = " + VERSION);
        }
    }

    /** Throws StoreException, naming the file and what to do, unless the open file is a snapshot of this version. */
    static void check(Connection connection, Path file) throws SQLException {
        int applicationId;
        int version;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT a.application_id, v.user_version "
                        + "FROM pragma_application_id a, pragma_user_version v")) {
            rows.next();
            applicationId = rows.getInt(1);
            version = rows.getInt(2);
        }
        if (applicationId != APPLICATION_ID) {
            throw new StoreException("the file " + file + " is not a ruc-cache padrón snapshot; it was left "
                    + "untouched: move it aside, or set RUC_CACHE_PADRON_DB to another file");
        }
        if (version != VERSION) {
            throw new StoreException(String.format(Locale.ROOT, "the padrón snapshot %s has version %d, which "
                    + "this ruc-cache (version %d) cannot read; run 'ruc-cache padron update' to build a new one",
                    file, version, VERSION));
        }
    }
}
