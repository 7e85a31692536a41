package pe.ruccache.bulk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a bulk run's input a window of records at a time, noting the line each record starts on (for messages
 * about that row), and fits each record to the layout's width: short rows padded, extra fields joined into the
 * last, so that no row is dropped and every output row has the same columns.
 */
final class WindowReader {

    private final CsvInput input;
    private final BulkReport report;
    /** The line on which each record of the window read last starts. */
    private long[] lines = new long[0];
    /** Records of the window read last that {@link #line} skips (the header). */
    private int skipped;

    WindowReader(CsvInput input, BulkReport report) {
        this.input = input;
        this.report = report;
    }

    /** Reads up to {@code max} records; fewer only at the end of the input. */
    List<String[]> read(int max) {
        List<String[]> records = new ArrayList<>(Math.min(max, 1024));
        skipped = 0;
        while (records.size() < max) {
            String[] r = input.next();
            if (r == null) {
                break;
            }
            if (records.size() == lines.length) {
                lines = Arrays.copyOf(lines, Math.max(16, lines.length * 2));
            }
            lines[records.size()] = input.line();
            records.add(r);
        }
        return records;
    }

    /** Makes {@link #line} skip the first record of the window read last: it was the header. */
    void skipHeader() {
        skipped = 1;
    }

    /** Returns the line on which the {@code i}-th record (after any skipped header) of the last window starts. */
    long line(int i) {
        return lines[i + skipped];
    }

    /** Returns the row's cells at the layout's width: short rows padded, extra fields joined into the last. */
    String[] fit(String[] cells, long line, Layout layout) {
        int width = layout.width();
        if (cells.length == width) {
            return cells;
        }
        if (cells.length < width) {
            report.countShortRow();
            String[] padded = Arrays.copyOf(cells, width);
            Arrays.fill(padded, cells.length, width, "");
            return padded;
        }
        report.countLongRow(line);
        String[] fitted = Arrays.copyOf(cells, width);
        StringBuilder last = new StringBuilder(cells[width - 1]);
        for (int i = width; i < cells.length; i++) {
            last.append(input.format().delimiter()).append(cells[i]);
        }
        fitted[width - 1] = last.toString();
        return fitted;
    }
}
