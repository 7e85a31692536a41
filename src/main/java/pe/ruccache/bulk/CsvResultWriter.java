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
 * <p>Cells go straight to the writer, one scan each: OpenCSV's writer (used for {@code lookup}'s small outputs)
 * scans each cell five times and builds every line as a separate string, which made it the largest cost of an
 * all-cached bulk run.
 */
final class CsvResultWriter extends ResultWriter {

    private final Writer out;
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
        boolean first = true;
        for (String name : inputColumns) {
            if (!first) {
                out.write(delimiter);
            }
            cell(name);
            first = false;
        }
        for (String name : RESULT_COLUMNS) {
            if (!first) {
                out.write(delimiter);
            }
            cell(name);
            first = false;
        }
        out.write(lineEnd);
    }

    @Override
    public void write(String[] cells, Outcome outcome, String policy) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(delimiter);
            }
            cell(cells[i]);
        }
        results(outcome, policy, results);
        for (int i = 0; i < results.length; i++) {
            if (cells.length > 0 || i > 0) {
                out.write(delimiter);
            }
            String v = results[i];
            if (v != null) {
                cell(SpreadsheetCells.neutralize(v));
            }
        }
        out.write(lineEnd);
    }

    /** Writes one cell, quoted (quotes doubled) when it holds the delimiter, a quote or a line break. */
    private void cell(String value) throws IOException {
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
            out.write(value);
            return;
        }
        out.write('"');
        int from = 0;
        for (int i = value.indexOf('"'); i >= 0; i = value.indexOf('"', i + 1)) {
            out.write(value, from, i + 1 - from);
            out.write('"');
            from = i + 1;
        }
        out.write(value, from, n - from);
        out.write('"');
    }

    @Override
    public void finish() throws IOException {
        out.flush();
    }
}
