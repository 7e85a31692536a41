package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as left-aligned columns separated by two spaces, for people at a terminal. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** Starts a table with the given header. */
    TextTable(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    /** Adds a row; nulls print as empty cells. */
    TextTable add(Object... cells) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            Object c = i < cells.length ? cells[i] : null;
            row[i] = c == null ? "" : oneLine(c.toString());
        }
        rows.add(row);
        return this;
    }

    /** Returns whether only the header was added. */
    boolean isEmpty() {
        return rows.size() == 1;
    }

    /** Prints the table; the last column is not padded. */
    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        StringBuilder line = new StringBuilder();
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - row[i].codePointCount(0, row[i].length()) + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Returns {@code s} with line breaks and tabs turned into spaces, so one record stays on one line. */
    static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
