package pe.ruccache.padron;

import java.util.Locale;

/** Why a line of the padrón was skipped; the import counts each kind and goes on. */
public enum Malformation {
    /** Fewer than the 15 columns of the header (often a line cut short). */
    TOO_FEW_FIELDS("too few fields"),
    /** More than 15 columns (typically a '|' inside a name). */
    TOO_MANY_FIELDS("too many fields"),
    /** NUL bytes, which never belong in the text. */
    NUL_BYTES("NUL bytes"),
    /** The first column is not an 11-digit RUC with a right check digit. */
    BAD_RUC("bad RUC"),
    /** A RUC already seen on an earlier line; the first line is kept. */
    DUPLICATE_RUC("duplicate RUC");

    private final String words;

    Malformation(String words) {
        this.words = words;
    }

    /** Returns the kind as people read it, e.g. {@code too many fields}. */
    public String words() {
        return words;
    }

    /** Returns the kind as machine output names it, e.g. {@code too_many_fields}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
