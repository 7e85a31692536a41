package pe.ruccache.padron;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import pe.ruccache.core.InputException;
import pe.ruccache.core.Ruc;

/**
 * Reads the padrón's lines from a byte stream, one at a time, into a reusable {@link Line}: never more than one
 * buffer of the file is in memory. Works on bytes, not characters, because the file is ISO-8859-1 (one byte, one
 * character) and 18 million lines make every allocation count: each kept field becomes one array of UTF-8 bytes,
 * ready for SQLite, without passing through a String.
 */
final class PadronLines {

    /** The columns of a well-formed line. */
    static final int COLUMNS = PadronFormat.COLUMNS.size();
    /** A line longer than this is no padrón line: the file is binary or has lost its line breaks. */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final InputStream in;
    private final String file;
    private byte[] buffer = new byte[1 << 20];
    private int position;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private long bytesConsumed;

    // The current line is buffer[lineStart, lineEnd), its line break excluded.
    private int lineStart;
    private int lineEnd;

    // Field boundaries of the current line; one slot more than the columns, to see a surplus field.
    private final int[] fieldStart = new int[COLUMNS + 1];
    private final int[] fieldEnd = new int[COLUMNS + 1];
    private final AsciiSlice slice = new AsciiSlice();

    /**
     * Creates a reader of {@code in}, which is read to its end and not closed here.
     *
     * @param file how messages name the file
     */
    PadronLines(InputStream in, String file) {
        this.in = in;
        this.file = file;
    }

    /** Returns the number of the current line, counting from 1. */
    long lineNumber() {
        return lineNumber;
    }

    /** Returns how many bytes of the stream the lines read so far span. */
    long bytesConsumed() {
        return bytesConsumed;
    }

    /** Returns the first line's bytes (the header), without the line break; throws InputException for an empty file. */
    byte[] header() throws IOException {
        if (!advance()) {
            throw new InputException(file + " is empty");
        }
        return Arrays.copyOfRange(buffer, lineStart, lineEnd);
    }

    /**
     * Reads the next non-blank line into {@code line}; returns false at the end of the stream.
     *
     * @throws IOException when the stream fails (a damaged zip, for instance)
     * @throws InputException when a line is longer than {@link #MAX_LINE_BYTES}
     */
    boolean next(Line line) throws IOException {
        while (advance()) {
            if (parse(line)) {
                return true;
            }
        }
        return false;
    }

    /** Moves to the next line; returns false at the end of the stream. */
    private boolean advance() throws IOException {
        while (true) {
            int newline = indexOfNewline(position, limit);
            if (newline >= 0) {
                take(newline, newline + 1);
                return true;
            }
            if (eof) {
                if (position < limit) {
                    take(limit, limit);
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void take(int end, int next) {
        lineStart = position;
        lineEnd = end > lineStart && buffer[end - 1] == '\r' ? end - 1 : end;
        bytesConsumed += next - position;
        position = next;
        lineNumber++;
    }

    private int indexOfNewline(int from, int to) {
        byte[] b = buffer;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Keeps the unread part of the buffer and reads more after it, growing the buffer for a long line. */
    private void fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length >= MAX_LINE_BYTES + 2) {
                throw new InputException(String.format(java.util.Locale.ROOT, "line %d of %s is longer than %d "
                        + "bytes: this is not a padrón file (or it lost its line breaks)", lineNumber + 1, file,
                        MAX_LINE_BYTES));
            }
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_LINE_BYTES + 2));
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    /** Splits the current line into {@code line}; returns false for a blank line, which is skipped. */
    private boolean parse(Line line) {
        byte[] b = buffer;
        int start = lineStart;
        int end = lineEnd;
        boolean nul = false;
        int count = 0;
        int from = start;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == '|') {
                if (count <= COLUMNS) {
                    fieldStart[count] = from;
                    fieldEnd[count] = i;
                }
                count++;
                from = i + 1;
            } else if (c == 0) {
                nul = true;
            }
        }
        // What follows the last '|' is a field only when it is not blank: every line ends with '|'.
        int tailStart = trimStart(b, from, end);
        if (tailStart < end) {
            if (count <= COLUMNS) {
                fieldStart[count] = from;
                fieldEnd[count] = end;
            }
            count++;
        } else if (count == 0) {
            return false;
        }
        line.number = lineNumber;
        line.fieldCount = count;
        line.ruc = parseRuc(b);
        if (nul) {
            line.malformation = Malformation.NUL_BYTES;
        } else if (count < COLUMNS) {
            line.malformation = Malformation.TOO_FEW_FIELDS;
        } else if (count > COLUMNS) {
            line.malformation = Malformation.TOO_MANY_FIELDS;
        } else if (line.ruc < 0) {
            line.malformation = Malformation.BAD_RUC;
        } else {
            line.malformation = null;
            for (int f = 1; f < COLUMNS; f++) {
                line.fields[f] = utf8(b, fieldStart[f], fieldEnd[f]);
            }
        }
        return true;
    }

    /** Returns the first field as a RUC with a right check digit, or -1. */
    private long parseRuc(byte[] b) {
        int from = trimStart(b, fieldStart[0], fieldEnd[0]);
        int to = trimEnd(b, from, fieldEnd[0]);
        if (to - from != 11) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        slice.set(b, from);
        return Ruc.checkDigit(slice) == b[from + 10] - '0' ? value : -1;
    }

    /**
     * Returns the trimmed ISO-8859-1 field as UTF-8 bytes, or null when it is empty or only hyphens (SUNAT's "no
     * value"). Each byte at or above 0x80 is one ISO-8859-1 character, which UTF-8 writes as two bytes.
     */
    private static byte[] utf8(byte[] b, int from, int to) {
        int s = trimStart(b, from, to);
        int e = trimEnd(b, s, to);
        if (s == e) {
            return null;
        }
        boolean dashes = true;
        int high = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            dashes &= c == '-';
            high += (c >>> 7) & 1;
        }
        if (dashes) {
            return null;
        }
        byte[] out = new byte[e - s + high];
        if (high == 0) {
            System.arraycopy(b, s, out, 0, e - s);
            return out;
        }
        int o = 0;
        for (int i = s; i < e; i++) {
            int u = b[i] & 0xFF;
            if (u < 0x80) {
                out[o++] = (byte) u;
            } else {
                out[o++] = (byte) (0xC0 | u >> 6);
                out[o++] = (byte) (0x80 | u & 0x3F);
            }
        }
        return out;
    }

    private static int trimStart(byte[] b, int from, int to) {
        int i = from;
        while (i < to && isBlank(b[i])) {
            i++;
        }
        return i;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        int i = to;
        while (i > from && isBlank(b[i - 1])) {
            i--;
        }
        return i;
    }

    /** Space, tab and other controls, and ISO-8859-1's no-break space, which SUNAT's fields carry as padding. */
    private static boolean isBlank(byte c) {
        int u = c & 0xFF;
        return u <= ' ' && u != 0 || u == 0xA0;
    }

    /** One line of the padrón, reused from line to line. */
    static final class Line {
        /** The line's number, counting the header as line 1. */
        long number;
        /** How many fields the line has. */
        int fieldCount;
        /** The RUC in the first field, or -1 when it is not one (even on a malformed line). */
        long ruc;
        /** Why the line is skipped, or null for a good line. */
        Malformation malformation;
        /** The trimmed fields of a good line as UTF-8 (index 0, the RUC, is not filled); null for empty ones. */
        final byte[][] fields = new byte[COLUMNS][];
    }

    /** Eleven ASCII digits in a byte array, seen as characters, so the core's check-digit rule reads them in place. */
    private static final class AsciiSlice implements CharSequence {
        private byte[] bytes;
        private int offset;

        void set(byte[] bytes, int offset) {
            this.bytes = bytes;
            this.offset = offset;
        }

        @Override
        public int length() {
            return 11;
        }

        @Override
        public char charAt(int index) {
            return (char) bytes[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(bytes, offset + start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return subSequence(0, 11).toString();
        }
    }
}
