package pe.ruccache.bulk;

import java.nio.charset.Charset;

/**
 * How an input's bytes are read, as given by the user or sniffed from its first bytes.
 *
 * @param charset the charset the text is decoded with
 * @param fallback the charset for byte sequences {@code charset} cannot decode, or null to replace them
 * @param bom whether the input starts with a byte-order mark
 * @param delimiter the field delimiter
 * @param delimiterSniffed whether the delimiter was sniffed rather than given
 */
public record InputFormat(Charset charset, Charset fallback, boolean bom, char delimiter, boolean delimiterSniffed) {

    /** Returns the encoding as users name it, e.g. {@code UTF-8 with BOM} or {@code windows-1252}. */
    public String describeEncoding() {
        return charset.name() + (bom ? " with BOM" : "");
    }

    /** Returns the delimiter as users name it: {@code ,}, {@code ;}, {@code tab} or {@code |}. */
    public String describeDelimiter() {
        return delimiter == '\t' ? "tab" : String.valueOf(delimiter);
    }
}
