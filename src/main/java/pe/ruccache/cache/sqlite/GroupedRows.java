package pe.ruccache.cache.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batched read that comes back as one value: {@code count(*)} and every row packed, rows joined by {@link #ROW}.
 * One JNI call and one string per statement instead of one or more calls per row, which is most of what a large
 * batch costs in the driver. The count is the check: a value holding {@link #ROW} splits its row in two, so a
 * group that does not split into exactly that many rows, each parsed whole, is refused as a whole, and its caller
 * reads that batch row by row. Used by the cache's batched read and the padrón snapshot's.
 */
public final class GroupedRows {

    /** Separates the packed rows of a group (ASCII group separator). */
    public static final char ROW = '\u001D';

    private GroupedRows() {
    }

    /** Parses one packed row, {@code text[from..to)}; returns null when it is not a whole row. */
    @FunctionalInterface
    public interface RowParser<T> {
        T parse(String text, int from, int to);
    }

    /** Returns the select list of a grouped read of rows that {@code packedRow} (an SQL expression) packs. */
    public static String select(String packedRow) {
        return "SELECT count(*), group_concat(" + packedRow + ", char(29))";
    }

    /**
     * Runs {@code statement} (a {@link #select} with its parameters bound) and returns its rows as parsed by
     * {@code parser}, empty when there are none; null when the group does not split into its count of whole rows.
     */
    public static <T> List<T> read(PreparedStatement statement, RowParser<T> parser) throws SQLException {
        int count;
        String group;
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            count = rows.getInt(1);
            group = rows.getString(2);
        }
        if (count == 0) {
            return List.of();
        }
        if (group == null) {
            return null;
        }
        List<T> parsed = new ArrayList<>(count);
        int start = 0;
        while (start <= group.length()) {
            int end = group.indexOf(ROW, start);
            if (end < 0) {
                end = group.length();
            }
            T row = parsed.size() == count ? null : parser.parse(group, start, end);
            if (row == null) {
                return null;
            }
            parsed.add(row);
            start = end + 1;
        }
        return parsed.size() == count ? parsed : null;
    }
}
