package pe.ruccache.padron;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pe.ruccache.core.InputException;

/**
 * The layout of SUNAT's {@code padron_reducido_ruc.txt}: ISO-8859-1, '|'-delimited with a trailing '|', '-' for
 * empty, and a header naming 15 columns. A file whose header differs in any column is refused, because reading
 * SUNAT's columns in the wrong places would put addresses in names and answer with wrong data for millions of RUCs.
 */
public final class PadronFormat {

    /** The header's columns, accents and all, in order ({@code DEPARTAMENTO} is the apartment number). */
    public static final List<String> COLUMNS = List.of("RUC", "NOMBRE O RAZÓN SOCIAL", "ESTADO DEL CONTRIBUYENTE",
            "CONDICIÓN DE DOMICILIO", "UBIGEO", "TIPO DE VÍA", "NOMBRE DE VÍA", "CÓDIGO DE ZONA", "TIPO DE ZONA",
            "NÚMERO", "INTERIOR", "LOTE", "DEPARTAMENTO", "MANZANA", "KILÓMETRO");

    /** The header line as SUNAT writes it. */
    public static final String HEADER = String.join("|", COLUMNS) + "|";

    /** The name of the text file inside SUNAT's zip. */
    public static final String ENTRY_NAME = "padron_reducido_ruc.txt";

    private PadronFormat() {
    }

    /**
     * Checks the header line (raw bytes, without the line break) of {@code file}; throws InputException saying which
     * column differs, or that the file is not ISO-8859-1, when it is not SUNAT's header.
     */
    static void checkHeader(byte[] line, String file) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        List<String> columns = split(text);
        if (columns.equals(COLUMNS)) {
            return;
        }
        String utf8 = decodedAsUtf8(line);
        if (utf8 != null && split(utf8).equals(COLUMNS)) {
            throw new InputException(file + " is encoded in UTF-8, but SUNAT's padrón is ISO-8859-1; names would "
                    + "be garbled, so it was not imported: use the file as SUNAT publishes it");
        }
        if (columns.size() == 1 && text.length() > 0 && !text.contains("|")) {
            throw new InputException(file + " is not a padrón file: its first line has no '|' separators ("
                    + preview(text) + ")");
        }
        String first = columns.isEmpty() ? "" : columns.get(0);
        if (first.length() == 11 && first.chars().allMatch(Character::isDigit)) {
            throw new InputException(file + " has no header line: its first line is a taxpayer ("
                    + columns.get(0) + "); expected the padrón's header '" + HEADER + "'");
        }
        for (int i = 0; i < Math.min(columns.size(), COLUMNS.size()); i++) {
            if (!columns.get(i).equals(COLUMNS.get(i))) {
                throw new InputException(String.format(Locale.ROOT, "the padrón's columns changed: column %d of "
                        + "%s is '%s' where '%s' was expected; this ruc-cache cannot read the new layout, so the "
                        + "file was not imported", i + 1, file, preview(columns.get(i)), COLUMNS.get(i)));
            }
        }
        if (columns.size() > COLUMNS.size()) {
            throw new InputException(String.format(Locale.ROOT, "the padrón's columns changed: %s has %d columns "
                    + "where %d were expected (column %d is '%s'); this ruc-cache cannot read the new layout, so "
                    + "the file was not imported", file, columns.size(), COLUMNS.size(), COLUMNS.size() + 1,
                    preview(columns.get(COLUMNS.size()))));
        }
        throw new InputException(String.format(Locale.ROOT, "the padrón's columns changed: %s has %d columns where "
                + "%d were expected (column %d '%s' is missing); this ruc-cache cannot read the new layout, so the "
                + "file was not imported", file, columns.size(), COLUMNS.size(), columns.size() + 1,
                COLUMNS.get(columns.size())));
    }

    /** Returns the columns of a header line: split on '|', trimmed, the empty piece after a trailing '|' dropped. */
    private static List<String> split(String line) {
        String s = line;
        if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
            s = s.substring(1);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '|') {
                out.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (out.size() > 1 && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String decodedAsUtf8(byte[] line) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Returns {@code text} printable and short, for a one-line message about a file that may be binary. */
    static String preview(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 60; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7F || c >= 0x80 && c < 0xA0 ? '?' : c);
        }
        return text.length() > 60 ? b.append("...").toString() : b.toString();
    }
}
