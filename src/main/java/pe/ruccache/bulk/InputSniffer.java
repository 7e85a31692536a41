package pe.ruccache.bulk;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import pe.ruccache.core.InputException;
import pe.ruccache.core.RucRules;

/**
 * Decides from an input's first bytes whether it is text at all, how it is encoded and which delimiter separates
 * its fields, the way a person opening it would.
 */
final class InputSniffer {

    /** How many bytes are looked at. */
    static final int SAMPLE_BYTES = 64 * 1024;

    /** The delimiters sniffed, in order of preference when the evidence is equal. */
    static final char[] DELIMITERS = {',', ';', '\t', '|'};
    /** The index of the comma in {@link #DELIMITERS}. */
    private static final int COMMA = 0;

    /** Excel in es-PE writes Windows-1252; ISO-8859-1 would lose the euro sign and the curly quotes. */
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** What {@link #sniffDelimiter} returns when no delimiter splits the sample's lines. */
    static final int NONE = -1;

    private static final int SNIFF_LINES = 100;

    private InputSniffer() {
    }

    /**
     * Returns how to read an input that starts with {@code sample}; {@code charset} and {@code delimiter} are the
     * user's choices, null when not given. Throws InputException naming {@code name} when the bytes are not text.
     */
    static InputFormat sniff(byte[] sample, int length, String name, Charset charset, Character delimiter) {
        byte[] head = Arrays.copyOf(sample, length);
        Charset chosen;
        Charset fallback = null;
        boolean bom = false;
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            bom = true;
            chosen = StandardCharsets.UTF_8;
        } else if (startsWith(head, 0xFF, 0xFE) || startsWith(head, 0xFE, 0xFF)) {
            // Excel's "Unicode text" export: UTF-16 with a BOM, tab-delimited.
            bom = true;
            chosen = head[0] == (byte) 0xFF ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE;
        } else {
            chosen = null;
        }
        if (charset != null) {
            chosen = charset;
        }
        if (chosen == null || !isUtf16(chosen)) {
            rejectBinary(head, bom ? 3 : 0, name);
        }
        if (chosen == null) {
            if (isUtf8(head)) {
                // Later bytes that are not UTF-8 are read as Windows-1252 rather than lost.
                chosen = StandardCharsets.UTF_8;
                fallback = WINDOWS_1252;
            } else {
                chosen = WINDOWS_1252;
            }
        } else if (charset == null && chosen.equals(StandardCharsets.UTF_8)) {
            fallback = WINDOWS_1252;
        }
        if (delimiter != null) {
            return new InputFormat(chosen, fallback, bom, delimiter, false, false);
        }
        int skip = bom ? (isUtf16(chosen) ? 2 : 3) : 0;
        int sep = sniffDelimiter(decode(head, skip, chosen));
        // A plain list is read one value per line and its results are written comma-separated.
        return sep == NONE ? new InputFormat(chosen, fallback, bom, ',', true, true)
                : new InputFormat(chosen, fallback, bom, (char) sep, true, false);
    }

    private static boolean isUtf16(Charset c) {
        return c.name().startsWith("UTF-16") || c.name().startsWith("UTF-32");
    }

    /** Throws when the sample looks like a binary file: known signatures, NUL bytes, or many control characters. */
    private static void rejectBinary(byte[] head, int from, String name) {
        String kind = null;
        if (startsWith(head, 'P', 'K', 3, 4)) {
            kind = "a zip archive (an Excel .xlsx workbook is one); save the sheet as CSV first";
        } else if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0)) {
            kind = "an Excel .xls workbook; save the sheet as CSV first";
        } else if (startsWith(head, '%', 'P', 'D', 'F')) {
            kind = "a PDF document";
        } else if (startsWith(head, 0x1F, 0x8B)) {
            kind = "gzip-compressed; decompress it first (e.g. zcat FILE | ruc-cache bulk -)";
        }
        if (kind != null) {
            throw new InputException(name + " is not text: it looks like " + kind);
        }
        int control = 0;
        for (int i = from; i < head.length; i++) {
            int b = head[i] & 0xFF;
            if (b == 0) {
                throw new InputException(String.format(Locale.ROOT,
                        "%s is not text: it has a NUL byte at offset %d; bulk reads CSV or a plain list of RUCs "
                                + "(UTF-16 files need a byte-order mark)", name, i));
            }
            // Tab, LF, FF, CR and Ctrl-Z (an old DOS end-of-file mark) occur in real text files.
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != 0x0C && b != 0x1A) {
                control++;
            }
        }
        if (control > 8 && control * 100L > (head.length - from)) {
            throw new InputException(name + " is not text: more than 1% of its first bytes are control characters; "
                    + "bulk reads CSV or a plain list of RUCs");
        }
    }

    /** Returns whether {@code head} is valid UTF-8, allowing a sequence cut off by the end of the sample. */
    static boolean isUtf8(byte[] head) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(head);
        CharBuffer out = CharBuffer.allocate(head.length + 1);
        CoderResult r = decoder.decode(in, out, false);
        // Underflow with up to 3 bytes left is a sequence cut by the sample's end, not an error.
        return !r.isError() && in.remaining() < 4;
    }

    private static String decode(byte[] head, int skip, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(head.length + 1);
        decoder.decode(ByteBuffer.wrap(head, skip, head.length - skip), out, false);
        out.flip();
        return out.toString();
    }

    /**
     * Returns the delimiter that splits the sample's lines most consistently into more than one field, or
     * {@link #NONE} when none splits most of them or a header line of names (a plain list). Quoted text is skipped,
     * so commas inside quoted names and addresses do not count.
     */
    static int sniffDelimiter(String text) {
        int[][] counts = new int[DELIMITERS.length][SNIFF_LINES];
        int lines = 0;
        boolean quoted = false;
        boolean fieldStart = true;
        int[] current = new int[DELIMITERS.length];
        boolean content = false;
        int end = text.length();
        // The last line of the sample may be cut off; it is used only when it is the only one.
        int lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
        if (lastBreak > 0 && text.length() >= SAMPLE_BYTES / 4) {
            end = lastBreak;
        }
        boolean digitInFirstLine = false;
        boolean quotedInLine = false;
        int lineStart = 0;
        for (int i = 0; i < end && lines < SNIFF_LINES; i++) {
            char c = text.charAt(i);
            if (lines == 0 && c >= '0' && c <= '9') {
                digitInFirstLine = true;
            }
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"' && fieldStart) {
                quoted = true;
                quotedInLine = true;
                content = true;
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (content && !quotedInLine && current[COMMA] > 0 && isOneNumber(text, lineStart, i)) {
                    current[COMMA] = 0;
                }
                if (content) {
                    for (int d = 0; d < DELIMITERS.length; d++) {
                        counts[d][lines] = current[d];
                    }
                    lines++;
                }
                Arrays.fill(current, 0);
                content = false;
                quotedInLine = false;
                lineStart = i + 1;
                fieldStart = true;
                continue;
            }
            fieldStart = false;
            for (int d = 0; d < DELIMITERS.length; d++) {
                if (c == DELIMITERS[d]) {
                    current[d]++;
                    fieldStart = true;
                }
            }
            if (!Character.isWhitespace(c)) {
                content = true;
            }
        }
        if (content && lines < SNIFF_LINES) {
            if (!quotedInLine && current[COMMA] > 0 && isOneNumber(text, lineStart, end)) {
                current[COMMA] = 0;
            }
            for (int d = 0; d < DELIMITERS.length; d++) {
                counts[d][lines] = current[d];
            }
            lines++;
        }
        // Column names in a first line say which delimiter the file uses, even when the rows below are short.
        boolean header = lines > 0 && !digitInFirstLine;
        int best = NONE;
        int bestConsistent = 0;
        int bestFields = 0;
        for (int d = 0; d < DELIMITERS.length; d++) {
            int mode = mode(counts[d], lines);
            if (mode == 0 || !inMostLines(counts[d], lines) && !(header && counts[d][0] > 0)) {
                // A character in only a few lines is part of those values: in a plain list exported from es-PE
                // Excel, '20100038146,0' is one number with a decimal comma, not a RUC and a second column.
                continue;
            }
            int consistent = 0;
            for (int l = 0; l < lines; l++) {
                if (counts[d][l] == mode) {
                    consistent++;
                }
            }
            // Consistency first; then more fields, so that decimal commas in a ';' file lose to the ';'.
            if (consistent > bestConsistent || consistent == bestConsistent && mode > bestFields) {
                best = DELIMITERS[d];
                bestConsistent = consistent;
                bestFields = mode;
            }
        }
        return best;
    }

    /**
     * Returns whether the line from {@code from} to {@code to} is wholly one number with a decimal comma, as an
     * es-PE spreadsheet writes a RUC in a number column ({@code 20100038146,0}, {@code 2,01000381E+10}): its comma
     * is part of the value, not a delimiter.
     */
    private static boolean isOneNumber(String text, int from, int to) {
        return RucRules.isSpreadsheetNumber(text.substring(from, to).strip());
    }

    /** Returns whether more than half of the first {@code n} counts are non-zero. */
    private static boolean inMostLines(int[] counts, int n) {
        int with = 0;
        for (int l = 0; l < n; l++) {
            if (counts[l] > 0) {
                with++;
            }
        }
        return with * 2 > n;
    }

    /** Returns the most frequent non-zero count among the first {@code n}, the larger on a tie; 0 when none. */
    private static int mode(int[] values, int n) {
        int[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int best = 0;
        int bestRun = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            if (sorted[i] != 0 && j - i >= bestRun) {
                best = sorted[i];
                bestRun = j - i;
            }
            i = j;
        }
        return best;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
