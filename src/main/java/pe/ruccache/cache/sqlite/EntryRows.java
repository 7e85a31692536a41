package pe.ruccache.cache.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * Maps a {@link CacheEntry} to the typed columns of {@code entries} ({@link Schema#ENTRY_COLUMNS}, in that order)
 * and back. Instants are stored as epoch milliseconds.
 */
final class EntryRows {

    private EntryRows() {
    }

    /** Binds {@code entry} to parameters 1 to 16 of {@code statement}. */
    static void bind(PreparedStatement statement, CacheEntry entry) throws SQLException {
        TaxpayerRecord record = entry.record();
        statement.setString(1, entry.ruc());
        statement.setString(2, entry.provider());
        statement.setString(3, entry.status().name());
        setText(statement, 4, entry.reason() == null ? null : entry.reason().name());
        setText(statement, 5, entry.detail());
        setText(statement, 6, record == null ? null : record.razonSocial());
        setText(statement, 7, record == null ? null : record.estado());
        setText(statement, 8, record == null ? null : record.condicion());
        setText(statement, 9, record == null ? null : record.ubigeo());
        setText(statement, 10, record == null ? null : record.direccion());
        setText(statement, 11, record == null ? null : record.departamento());
        setText(statement, 12, record == null ? null : record.provincia());
        setText(statement, 13, record == null ? null : record.distrito());
        setMillis(statement, 14, record == null ? null : record.dataAsOf());
        setMillis(statement, 15, entry.fetchedAt());
        setMillis(statement, 16, entry.expiresAt());
    }

    /** Returns the entry in the current row of {@code rows}, selected with {@link Schema#ENTRY_COLUMNS}. */
    static CacheEntry read(ResultSet rows) throws SQLException {
        String ruc = rows.getString(1);
        Status status = Status.valueOf(rows.getString(3));
        String reason = rows.getString(4);
        TaxpayerRecord record = status != Status.VALID ? null : new TaxpayerRecord(
                // The record's RUC is the entry's: storing it twice would only let the two disagree.
                ruc,
                rows.getString(6),
                rows.getString(7),
                rows.getString(8),
                rows.getString(9),
                rows.getString(10),
                rows.getString(11),
                rows.getString(12),
                rows.getString(13),
                instant(rows, 14));
        return new CacheEntry(
                ruc,
                rows.getString(2),
                status,
                reason == null ? null : Reason.valueOf(reason),
                rows.getString(5),
                record,
                instant(rows, 15),
                instant(rows, 16));
    }

    /** Separates the fields of a packed row (ASCII unit separator). */
    static final char FIELD = '\u001F';
    /** Stands for NULL in a packed row (ASCII record separator), as the whole of a field. */
    static final char NULL = '\u001E';
    private static final int FIELDS = 16;

    /**
     * The columns of {@link Schema#ENTRY_COLUMNS} as one text value, fields joined by {@link #FIELD} and NULL
     * written as {@link #NULL} (a value that is {@link #NULL} alone comes out as {@link #FIELD}, so that it is read
     * column by column): a batch read then costs one JNI call per row instead of sixteen, which is most of the time
     * a large batch spends in the driver. One {@code printf} builds the value in one pass; a chain of {@code ||}
     * copied the growing text once per column.
     */
    static final String PACKED = packed();

    private static String packed() {
        StringBuilder format = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String column : Schema.ENTRY_COLUMNS.split(",\\s*")) {
            if (format.length() > 0) {
                format.append(FIELD);
            }
            format.append("%s");
            values.append(", ");
            if (Schema.NOT_NULL_COLUMNS.contains(column)) {
                values.append(column);
            } else {
                // A value that is the NULL mark itself gets a second separator, so that it is read column by column.
                values.append("CASE WHEN ").append(column).append(" IS NULL THEN char(30) WHEN ").append(column)
                        .append(" = char(30) THEN char(31) ELSE ").append(column).append(" END");
            }
        }
        return "printf('" + format + "'" + values + ")";
    }

    /**
     * Returns the entry packed in {@code text} by {@link #PACKED}, or null when a value itself holds a separator
     * (the caller then reads that RUC column by column).
     */
    static CacheEntry unpack(String text) {
        return unpack(text, 0, text.length());
    }

    /**
     * Returns the entry packed by {@link #PACKED} in {@code text[from..to)}, or null when that does not hold exactly
     * its sixteen fields.
     */
    static CacheEntry unpack(String text, int from, int to) {
        String[] f = new String[FIELDS];
        int start = from;
        for (int i = 0; i < FIELDS; i++) {
            int end = i == FIELDS - 1 ? to : text.indexOf(FIELD, start);
            if (end < 0 || end > to) {
                return null;
            }
            f[i] = end - start == 1 && text.charAt(start) == NULL ? null : text.substring(start, end);
            start = end + 1;
        }
        // Fifteen separators were found; one more in the last field means a value held one.
        if (f[FIELDS - 1] != null && f[FIELDS - 1].indexOf(FIELD) >= 0 || f[0] == null || f[1] == null
                || f[2] == null) {
            return null;
        }
        try {
            Status status = Status.valueOf(f[2]);
            TaxpayerRecord record = status != Status.VALID ? null : new TaxpayerRecord(f[0], f[5], f[6], f[7],
                    f[8], f[9], f[10], f[11], f[12], instant(f[13]));
            return new CacheEntry(f[0], f[1], status, f[3] == null ? null : Reason.valueOf(f[3]), f[4], record,
                    instant(f[14]), instant(f[15]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant instant(String millis) {
        return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    /** Returns {@code instant} as epoch milliseconds, saturated so that far-future expiries stay far in the future. */
    static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static void setText(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static void setMillis(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, millis(value));
        }
    }

    private static Instant instant(ResultSet rows, int index) throws SQLException {
        long millis = rows.getLong(index);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
