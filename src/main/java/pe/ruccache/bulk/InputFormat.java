package pe.ruccache.bulk;

import java.nio.charset.Charset;

/**
 * How an input's bytes are read, as given by the user or sniffed from its first bytes.
 *
 * @param charset the charset the text is decoded with
 * @param fallback the charset for byte sequences {@code charset} cannot decode, or null to replace them
 * @param bom whether the input starts with a byte-order mark
 * @param delimiter the field delimiter; for a single-column input, only the one results are written with
 * @param delimiterSniffed whether the delimiter was sniffed rather than given
 * @param singleColumn whether no delimiter was given or found, so that each line is one field (a plain list)
 */
public record InputFormat(Charset charset, Charset fallback, boolean bom, char delimiter, boolean delimiterSniffed,
        boolean singleColumn) {

    /** Returns the encoding as users name it, e.g. {@code UTF-8 with BOM} or {@code windows-1252}. */
    public String describeEncoding() {
        return charset.name() + (bom ? " with BOM" : "");
    }

    /** Returns the delimiter as users name it: {@code ,}, {@code ;}, {@code tab} or {@code |}. */
    public String describeDelimiter() {
        if (singleColumn) {
            return "none (one value per line)";
        }
        return delimiter == '\t' ? "tab" : String.valueOf(delimiter);
    }
}
