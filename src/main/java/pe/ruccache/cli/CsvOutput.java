package pe.ruccache.cli;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import pe.ruccache.core.SpreadsheetCells;

/** Writes rows of fields as RFC 4180 CSV, every cell neutralised against spreadsheet formula injection. */
final class CsvOutput {

    private CsvOutput() {
    }

    /** Prints a header of {@code fields}, then one line per row, taking each row's values in field order. */
    static void print(List<String> fields, List<Map<String, Object>> rows, PrintWriter out) {
        printHeader(fields, out);
        for (Map<String, Object> row : rows) {
            printRow(fields, row, out);
        }
    }

    /** Prints the header line. */
    static void printHeader(List<String> fields, PrintWriter out) {
        write(fields.toArray(String[]::new), out);
    }

    /** Prints one row, taking its values in field order. */
    static void printRow(List<String> fields, Map<String, Object> row, PrintWriter out) {
        String[] cells = new String[fields.size()];
        for (int i = 0; i < cells.length; i++) {
            Object v = row.get(fields.get(i));
            cells[i] = v == null ? "" : SpreadsheetCells.neutralize(v.toString());
        }
        write(cells, out);
    }

    private static void write(String[] cells, PrintWriter out) {
        try (ICSVWriter csv = new CSVWriter(new NonClosingWriter(out), ',', '"', '"', "\n")) {
            csv.writeNext(cells, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets the CSV writer be closed (to flush it) without closing the command's output stream. */
    private static final class NonClosingWriter extends FilterWriter {
        NonClosingWriter(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
