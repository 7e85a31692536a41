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
        try (ICSVWriter csv = new CSVWriter(new NonClosingWriter(out), ',', '"', '"', "\n")) {
            csv.writeNext(fields.toArray(String[]::new), false);
            String[] cells = new String[fields.size()];
            for (Map<String, Object> row : rows) {
                for (int i = 0; i < cells.length; i++) {
                    Object v = row.get(fields.get(i));
                    cells[i] = v == null ? "" : SpreadsheetCells.neutralize(v.toString());
                }
                csv.writeNext(cells, false);
            }
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
