package pe.ruccache.core;

/**
 * Makes text safe to put in a CSV cell that a spreadsheet will open: a cell that starts with {@code =}, {@code +},
 * {@code -}, {@code @}, tab or carriage return would be read as a formula (CSV injection), so it gets a leading
 * apostrophe, as OWASP recommends.
 */
public final class SpreadsheetCells {

    private SpreadsheetCells() {
    }

    /** Returns {@code value} with a leading apostrophe when a spreadsheet would read it as a formula. */
    public static String neutralize(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        char c = value.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + value : value;
    }
}
