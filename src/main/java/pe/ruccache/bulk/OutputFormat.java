package pe.ruccache.bulk;

import java.util.List;
import java.util.Locale;

/**
 * The formats ruc-cache prints results in. Each command accepts some of them (bulk: {@link #BULK}); the name a
 * user types is the lower-case constant name.
 */
public enum OutputFormat {
    /** Aligned columns (or one card) for people. */
    TABLE,
    /** One JSON document: an array, or an object. */
    JSON,
    /** One JSON object per line. */
    JSONL,
    /** RFC 4180 CSV with a header line. */
    CSV,
    /** Prometheus text exposition, for node_exporter's textfile collector. */
    PROMETHEUS;

    /** The formats {@code bulk} writes, its default first. */
    public static final List<OutputFormat> BULK = java.util.List.of(CSV, JSONL, JSON);

    /** Returns the name a user types, e.g. {@code jsonl}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the format named {@code text} (case-insensitive, surrounding blanks ignored), or null for none. */
    public static OutputFormat named(String text) {
        String wanted = text.strip();
        for (OutputFormat f : values()) {
            if (f.name().equalsIgnoreCase(wanted)) {
                return f;
            }
        }
        return null;
    }
}
