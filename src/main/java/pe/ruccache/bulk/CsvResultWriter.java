package pe.ruccache.bulk;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.SpreadsheetCells;

/**
 * Writes results as RFC 4180 CSV with the input's delimiter and line terminator, quoting only cells that need it.
 * Result cells, which carry upstream data, are neutralised against spreadsheet formula injection; input cells are
 * written as they were read.
 *
 * <p>Cells are scanned once each into one reused row buffer, handed to the writer in one call per row: OpenCSV's
 * writer (used for {@code lookup}'s small outputs) scans each cell five times and builds every line as a separate
 * string, which made it the largest cost of an all-cached bulk run.
 */
final class CsvResultWriter extends ResultWriter {

    private final Writer out;
    /** One row, built here and handed to the writer whole: one call per row rather than two per cell. */
    private final StringBuilder row = new StringBuilder(512);
    private char[] chars = new char[512];
    private final char delimiter;
    private final String lineEnd;
    private final String[] results = new String[RESULT_COLUMNS.size()];

    CsvResultWriter(Writer out, char delimiter, String lineEnd) {
        this.out = out;
        this.delimiter = delimiter;
        this.lineEnd = lineEnd;
    }

    @Override
    public void start(List<String> inputColumns) throws IOException {
        row.setLength(0);
        boolean first = true;
        for (String name : inputColumns) {
            if (!first) {
                row.append(delimiter);
            }
            cell(name);
            first = false;
        }
        for (String name : RESULT_COLUMNS) {
            if (!first) {
                row.append(delimiter);
            }
            cell(name);
            first = false;
        }
        row.append(lineEnd);
        flushRow();
    }

    @Override
    public void write(String[] cells, Outcome outcome, String policy) throws IOException {
        row.setLength(0);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                row.append(delimiter);
            }
            cell(cells[i]);
        }
        results(outcome, policy, results);
        for (int i = 0; i < results.length; i++) {
            if (cells.length > 0 || i > 0) {
                row.append(delimiter);
            }
            String v = results[i];
            if (v != null) {
                cell(SpreadsheetCells.neutralize(v));
            }
        }
        row.append(lineEnd);
        flushRow();
    }

    private void flushRow() throws IOException {
        int n = row.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        row.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
    }

    /** Adds one cell to the row, quoted (quotes doubled) when it holds the delimiter, a quote or a line break. */
    private void cell(String value) {
        int n = value.length();
        boolean quote = false;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            row.append(value);
            return;
        }
        row.append('"');
        int from = 0;
        for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) {
            row.append(value, from, i + 1).append('"');
            from = i + 1;
        }
        row.append(value, from, n).append('"');
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
