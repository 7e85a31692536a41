package pe.ruccache.bulk;

import java.util.Locale;

/**
 * Which column holds the RUCs, as {@code --column} says: a header name or a 1-based position; or neither, to find
 * it by header name or by its values.
 *
 * @param name the header name, or null
 * @param index the 1-based position, or 0
 */
public record ColumnSpec(String name, int index) {

    /** The spec that finds the column automatically. */
    public static final ColumnSpec AUTO = new ColumnSpec(null, 0);

    /** Returns the spec that {@code --column TEXT} gives: a position when it is a whole number, else a name. */
    public static ColumnSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty column; give a header name or a position (1 is the first)");
        }
        String s = text.strip();
        if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int i;
            try {
                i = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                i = 0;
            }
            if (i < 1) {
                throw new IllegalArgumentException("column positions start at 1: '" + s + "'");
            }
            return new ColumnSpec(null, i);
        }
        return new ColumnSpec(s, 0);
    }

    /** Returns whether the column is found automatically. */
    public boolean isAuto() {
        return name == null && index == 0;
    }

    @Override
    public String toString() {
        return name != null ? "'" + name + "'" : index > 0 ? String.format(Locale.ROOT, "%d", index) : "auto";
    }
}
