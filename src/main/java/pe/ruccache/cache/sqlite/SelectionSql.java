package pe.ruccache.cache.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import pe.ruccache.cache.Selection;

/**
 * The {@code WHERE} clause of a {@link Selection}. The health check's sentinel is always excluded, so it never
 * shows up in lists, summaries or removals even if a crash left it behind.
 *
 * @param where the clause, starting with {@code WHERE}; its RUC list (if any) comes last
 * @param parameters the values of its placeholders before the RUC list
 * @param rucSlots the number of placeholders in the RUC list, 0 when the selection has no RUCs
 */
record SelectionSql(String where, List<Object> parameters, int rucSlots) {

    /** Returns the clause of {@code selection} with a RUC list of {@code rucSlots} placeholders. */
    static SelectionSql of(Selection selection, int rucSlots) {
        StringBuilder where = new StringBuilder(" WHERE provider <> '").append(Schema.HEALTH_PROVIDER).append('\'');
        List<Object> parameters = new ArrayList<>(4);
        if (selection.status() != null) {
            where.append(" AND status = ?");
            parameters.add(selection.status().name());
        }
        if (selection.reason() != null) {
            where.append(" AND reason = ?");
            parameters.add(selection.reason().name());
        }
        if (selection.provider() != null) {
            where.append(" AND provider = ?");
            parameters.add(selection.provider());
        }
        if (selection.expiredAt() != null) {
            // CacheEntry.isExpired: expired once now is not before expiresAt.
            where.append(" AND expires_at <= ?");
            parameters.add(EntryRows.millis(selection.expiredAt()));
        }
        if (rucSlots > 0) {
            where.append(" AND ruc IN (").append(InList.placeholders(rucSlots)).append(')');
        }
        return new SelectionSql(where.toString(), List.copyOf(parameters), rucSlots);
    }

    /** Binds the parameters and then {@code rucs} (when the clause has a RUC list); returns the next index. */
    int bind(PreparedStatement statement, List<String> rucs) throws SQLException {
        int index = 1;
        for (Object parameter : parameters) {
            if (parameter instanceof Long millis) {
                statement.setLong(index++, millis);
            } else {
                statement.setString(index++, (String) parameter);
            }
        }
        if (rucSlots > 0) {
            InList.bind(statement, index, rucs, rucSlots);
            index += rucSlots;
        }
        return index;
    }
}
