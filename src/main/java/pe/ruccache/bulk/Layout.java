package pe.ruccache.bulk;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import pe.ruccache.core.InputException;
import pe.ruccache.core.RucRules;

/**
 * The shape of a bulk input: whether its first record is a header, which column holds the RUCs, and how many
 * columns rows are written with. Decided from the first records, the way a person looking at the file would.
 *
 * @param header the header's cells, or null when the input has none
 * @param rucColumn the 0-based index of the RUC column
 * @param width the number of input columns every output row carries
 * @param how a few words on how the column was found, for verbose output
 */
public record Layout(String[] header, int rucColumn, int width, String how) {

    /** Compact header names (see {@link #compact}) that name the RUC column, most specific first. */
    private static final List<String> RUC_NAMES = List.of("ruc", "nroruc", "noruc", "nruc", "numruc", "numeroruc",
            "numeroderuc", "rucnro", "rucnumero", "rucdni", "dniruc", "numerodocumento",
            "numerodedocumento", "nrodocumento", "nodocumento", "ndocumento", "numdocumento", "numdoc", "nrodoc",
            "numerodoc", "documento", "nrodocumentoidentidad", "numerodocumentoidentidad", "docidentidad");

    private static final Pattern DIGITS = Pattern.compile(".*[0-9].*");

    /** Returns whether the input has a header. */
    public boolean hasHeader() {
        return header != null;
    }

    /**
     * Returns the layout of an input whose first records are {@code first} (at least one).
     *
     * @param first the first records, in order
     * @param spec the user's {@code --column}
     * @param noHeader the user's {@code --no-header}
     * @param inputName how messages name the input
     * @throws InputException when the named column is missing or no column can be told to hold RUCs
     */
    public static Layout decide(List<String[]> first, ColumnSpec spec, boolean noHeader, String inputName) {
        String[] top = first.get(0);
        int widest = 0;
        for (String[] r : first) {
            widest = Math.max(widest, r.length);
        }
        if (spec.name() != null) {
            String wanted = compact(spec.name());
            for (int i = 0; i < top.length; i++) {
                if (compact(top[i]).equals(wanted)) {
                    return new Layout(top, i, top.length, "column '" + top[i] + "' as --column named it");
                }
            }
            throw new InputException("no column named '" + spec.name() + "' in " + inputName + "; columns found: "
                    + describe(top));
        }
        int known = noHeader ? -1 : knownHeader(top);
        if (spec.index() > 0) {
            int col = spec.index() - 1;
            if (col >= widest) {
                throw new InputException(String.format(Locale.ROOT, "there is no column %d in %s: it has %d "
                        + "column%s (%s)", spec.index(), inputName, widest, widest == 1 ? "" : "s",
                        describe(top)));
            }
            boolean header = !noHeader && (known >= 0 || looksLikeHeader(top, col));
            return header ? new Layout(top, col, Math.max(top.length, col + 1), "column " + spec.index())
                    : new Layout(null, col, widest, "column " + spec.index());
        }
        if (known >= 0) {
            return new Layout(top, known, top.length, "header '" + top[known] + "'");
        }
        List<String[]> data = !noHeader && first.size() > 1 ? first.subList(1, first.size()) : first;
        int col = columnByValues(data, widest);
        if (col < 0) {
            if (widest == 1) {
                // A plain list whose values do not look like RUCs: every line is checked and says why it fails.
                return new Layout(null, 0, 1, "the only column");
            }
            throw new InputException("cannot tell which column of " + inputName + " holds the RUCs: no header "
                    + "names one (ruc, nro_ruc, numero_documento, ...) and no column's values look like RUCs; "
                    + "columns found: " + describe(top) + "; name it with --column NAME or --column NUMBER");
        }
        boolean header = !noHeader && looksLikeHeader(top, col);
        return header ? new Layout(top, col, Math.max(top.length, col + 1), "values of column '" + top[col] + "'")
                : new Layout(null, col, widest, "values of column " + (col + 1));
    }

    /** Returns whether the first record's RUC cell is a label rather than a value: text with no digit in it. */
    private static boolean looksLikeHeader(String[] top, int col) {
        String cell = col < top.length ? top[col].strip() : "";
        return !cell.isEmpty() && !DIGITS.matcher(cell).matches();
    }

    /** Returns the index of the first cell that names the RUC column, or -1. */
    static int knownHeader(String[] top) {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i < top.length; i++) {
            String c = compact(top[i]);
            int rank = RUC_NAMES.indexOf(c);
            if (rank < 0 && !c.isEmpty() && (c.startsWith("ruc") || c.endsWith("ruc"))) {
                // ruc_cliente, RUC del proveedor, Nº de RUC: named after the RUC, not an exact match.
                rank = RUC_NAMES.size();
            }
            if (rank >= 0 && rank < bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        return best;
    }

    /** Returns the first column in which most non-blank values look like RUCs, or -1. */
    private static int columnByValues(List<String[]> rows, int width) {
        for (int col = 0; col < width; col++) {
            int filled = 0;
            int rucLike = 0;
            for (String[] r : rows) {
                if (col >= r.length || r[col].isBlank()) {
                    continue;
                }
                filled++;
                if (looksLikeRuc(r[col])) {
                    rucLike++;
                }
            }
            if (filled > 0 && rucLike * 2 >= filled) {
                return col;
            }
        }
        return -1;
    }

    /** Returns whether a value reads as a RUC, well formed or not: 10 to 12 digits, or one a spreadsheet mangled. */
    static boolean looksLikeRuc(String value) {
        String s = value.strip();
        if (RucRules.isSpreadsheetNumber(s)) {
            return true;
        }
        String n = RucRules.normalize(s);
        if (n.length() < 10 || n.length() > 12) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Returns a header name reduced for comparison: no accents, lower case, letters and digits only. */
    static String compact(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Returns the cells of a first record as a list for messages, positions included. */
    static String describe(String[] top) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < top.length && i < 30; i++) {
            String cell = top[i].strip();
            if (cell.length() > 40) {
                cell = cell.substring(0, 37) + "...";
            }
            parts.add((i + 1) + "=" + (cell.isEmpty() ? "(blank)" : "'" + cell + "'"));
        }
        if (top.length > 30) {
            parts.add("... " + (top.length - 30) + " more");
        }
        return String.join(", ", parts);
    }
}
