package pe.ruccache.bulk;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pe.ruccache.core.InputException;

/**
 * Splits text into CSV records (RFC 4180, read leniently the way spreadsheets write): fields separated by one
 * delimiter, records by LF, CRLF or CR; a field that starts with a double quote may hold delimiters, newlines and
 * doubled quotes; a quote anywhere else is an ordinary character, so a stray quote in a name cannot swallow the
 * rest of the file. Records may have any number of fields. Streaming: memory is bounded by the longest record.
 */
final class CsvRecordReader {

    /** The longest record accepted, in characters; longer ones are almost always a quote left open. */
    static final int MAX_RECORD_CHARS = 16 * 1024 * 1024;

    /** The delimiter of a single-column input: no character matches it, so each line is one field. */
    static final int NO_DELIMITER = -1;

    private static final int BUFFER = 1 << 16;

    private final Reader in;
    private final int delimiter;
    private final char[] buf = new char[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private long line = 1;
    private long recordLine;
    private String firstTerminator;
    private final StringBuilder field = new StringBuilder(64);

    CsvRecordReader(Reader in, int delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** Returns the physical line (1-based) on which the last record returned started. */
    long recordLine() {
        return recordLine;
    }

    /** Returns the line terminator of the first record ({@code \n}, {@code \r\n} or {@code \r}), or null. */
    String firstTerminator() {
        return firstTerminator;
    }

    /**
     * Returns the next record's fields, or null at the end of the input. A blank line is a record of one empty
     * field.
     *
     * @throws InputException when a record exceeds {@link #MAX_RECORD_CHARS} or a quoted field is never closed
     * @throws IOException when the input cannot be read
     */
    String[] next() throws IOException {
        if (!ensure()) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>(16);
        long recordChars = 0;
        field.setLength(0);
        boolean quoted = false;
        boolean afterQuote = false;
        boolean fieldStart = true;
        while (true) {
            if (pos == limit && !ensure()) {
                if (quoted && !afterQuote) {
                    throw new InputException(String.format(Locale.ROOT,
                            "line %d: a quoted field opened here is never closed before the end of the input",
                            recordLine));
                }
                fields.add(field.toString());
                return fields.toArray(new String[0]);
            }
            char c = buf[pos++];
            if (++recordChars > MAX_RECORD_CHARS) {
                throw new InputException(String.format(Locale.ROOT,
                        "line %d: a record longer than %d million characters; is a quote left open?",
                        recordLine, MAX_RECORD_CHARS / (1024 * 1024)));
            }
            if (quoted && !afterQuote) {
                if (c == '"') {
                    afterQuote = true;
                } else {
                    if (c == '\n' || c == '\r' && !peekIs('\n')) {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (afterQuote) {
                afterQuote = false;
                if (c == '"') {
                    // A doubled quote inside a quoted field is one literal quote.
                    field.append('"');
                    continue;
                }
                // The quoted part has ended; whatever follows up to the delimiter is kept as it is.
                quoted = false;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            }
            if (c == '\n' || c == '\r') {
                String terminator = "\n";
                if (c == '\r') {
                    if (peekIs('\n')) {
                        pos++;
                        terminator = "\r\n";
                    } else {
                        terminator = "\r";
                    }
                }
                if (firstTerminator == null) {
                    firstTerminator = terminator;
                }
                line++;
                fields.add(field.toString());
                return fields.toArray(new String[0]);
            }
            if (fieldStart && c == '"') {
                quoted = true;
                fieldStart = false;
                continue;
            }
            fieldStart = false;
            field.append(c);
        }
    }

    /** Returns whether the next character is {@code c}, reading more input if needed. */
    private boolean peekIs(char c) throws IOException {
        return (pos < limit || ensure()) && buf[pos] == c;
    }

    /** Makes at least one character available; returns false at the end of the input. */
    private boolean ensure() throws IOException {
        while (pos == limit) {
            if (eof) {
                return false;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = n;
        }
        return true;
    }
}
