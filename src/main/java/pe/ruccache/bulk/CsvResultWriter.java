package pe.ruccache.bulk;

import com.opencsv.CSVWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.SpreadsheetCells;

/**
 * Writes results as CSV with the input's delimiter and line terminator, quoting only where needed. Result cells,
 * which carry upstream data, are neutralised against spreadsheet formula injection; input cells are written as they
 * were read.
 */
final class CsvResultWriter extends ResultWriter {

    private final Writer out;
    private final CSVWriter csv;
    private final String[] results = new String[RESULT_COLUMNS.size()];
    private String[] row = new String[0];

    CsvResultWriter(Writer out, char delimiter, String lineEnd) {
        this.out = out;
        this.csv = new CSVWriter(out, delimiter, '"', '"', lineEnd);
    }

    @Override
    public void start(List<String> inputColumns) throws IOException {
        String[] header = new String[inputColumns.size() + RESULT_COLUMNS.size()];
        for (int i = 0; i < inputColumns.size(); i++) {
            header[i] = inputColumns.get(i);
        }
        for (int i = 0; i < RESULT_COLUMNS.size(); i++) {
            header[inputColumns.size() + i] = RESULT_COLUMNS.get(i);
        }
        csv.writeNext(header, false);
        check();
    }

    @Override
    public void write(String[] cells, Outcome outcome, String policy) throws IOException {
        int n = cells.length + results.length;
        if (row.length != n) {
            row = new String[n];
        }
        System.arraycopy(cells, 0, row, 0, cells.length);
        results(outcome, policy, results);
        for (int i = 0; i < results.length; i++) {
            String v = results[i];
            row[cells.length + i] = v == null ? "" : SpreadsheetCells.neutralize(v);
        }
        csv.writeNext(row, false);
    }

    @Override
    public void finish() throws IOException {
        csv.flush();
        check();
        out.flush();
    }

    /** Surfaces a write failure that OpenCSV only records. */
    private void check() throws IOException {
        if (csv.checkError()) {
            IOException e = csv.getException();
            throw e != null ? e : new IOException("cannot write the output");
        }
    }
}
