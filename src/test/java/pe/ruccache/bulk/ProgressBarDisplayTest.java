package pe.ruccache.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressBarDisplayTest {

    /** Far longer than a test: the bar draws only when the test redraws it (and once as it starts). */
    private static final int NO_TIMER = 3_600_000;

    @Test
    void widthChangesBetweenUpdates_everyLineFitsTheTerminalOfItsTime() {
        AtomicInteger columns = new AtomicInteger(100);
        Screen screen = new Screen(columns);
        PrintWriter err = new PrintWriter(screen);
        ProgressBarDisplay display = new ProgressBarDisplay(err, columns::get, NO_TIMER);
        // The bar draws itself once as it starts, on its own thread (holding the lock below until it is done); every
        // later line is drawn by this test.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!screen.drawnOn() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        // At 12 columns the line's start ("bulk  ?% [") takes all the 11 the bar may use: the library's own edge.
        int[] widths = {100, 60, 30, 12, 2, 1, 80, 45, 100};
        long rows = 0;
        for (int i = 0; i < widths.length; i++) {
            // Under the lock the bar draws with, so that a line is judged by the width it was drawn in.
            synchronized (err) {
                columns.set(widths[i]);
            }
            rows += 1000;
            // The input's size is unknown for the first half of the run, known after: both kinds of bar.
            long size = i < widths.length / 2 ? -1 : 40 * rows;
            display.update(new Progress.Snapshot(rows, rows / 2, rows / 2, 0, 10 * rows, size));
            display.redraw();
        }
        synchronized (err) {
            columns.set(50);
        }
        display.close();

        assertEquals(List.of(), screen.tooWide);
        List<Line> lines = screen.lines();
        // One line as the bar started, one per width but the 1-column terminal's (nothing fits), one as it closed.
        assertEquals(widths.length + 1, lines.size(), lines.toString());
        int[] drawnIn = {100, 100, 60, 30, 12, 2, 80, 45, 100, 50};
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            assertEquals(drawnIn[i], line.columns(), lines.toString());
            // The bar fills the width it is given, but the last column.
            assertEquals(line.columns() - 1, line.text().length(), line.toString());
            if (line.columns() >= 30) {
                // Rendered for this width, not cut from a wider line: the bar's end and the counts after it show.
                assertTrue(line.text().contains("] "), line.toString());
            }
        }
        assertTrue(lines.get(8).text().endsWith(" rows/s hits 4500 calls 4500 errors 0"), "a wide terminal shows the "
                + "whole line: " + lines.get(8));
        assertTrue(screen.text.toString().endsWith("\n") && !screen.text.toString().endsWith("\n\n"),
                "the bar's line ends once: " + screen.text);
    }

    @Test
    void lineRenderedBeforeTheTerminalShrank_isCutToTheNewWidth() {
        AtomicInteger columns = new AtomicInteger(60);
        StringWriter out = new StringWriter();
        TerminalLineConsumer consumer = new TerminalLineConsumer(new PrintWriter(out), columns::get, "bulk");
        assertEquals(59, consumer.getMaxRenderedLength());
        consumer.accept("x".repeat(59));
        columns.set(40);
        consumer.accept("y".repeat(59));
        columns.set(3);
        // Rendered in more columns than the terminal has (the renderer fails at exactly 11), then cut to 2.
        assertEquals(12, consumer.getMaxRenderedLength());
        consumer.accept("z".repeat(12));
        columns.set(0);
        consumer.accept("w".repeat(12));
        consumer.close();
        assertEquals("\r" + "x".repeat(59) + "\r" + "y".repeat(39) + "\rzz\r" + System.lineSeparator(),
                out.toString());
    }

    /** A line drawn: the terminal's width then, and what was drawn. */
    private record Line(int columns, String text) {
    }

    /** A terminal that notes every line drawn on it (the width it had then, the line's length) and any too wide. */
    private static final class Screen extends Writer {
        private final AtomicInteger columns;
        final StringBuilder text = new StringBuilder();
        private final List<Line> lines = new ArrayList<>();
        final List<String> tooWide = new ArrayList<>();
        private int column;
        private int drawnIn;

        Screen(AtomicInteger columns) {
            this.columns = columns;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                text.append(c);
                if (c == '\r' || c == '\n') {
                    end();
                } else {
                    column++;
                    drawnIn = columns.get();
                    // Never the last column either: a line that fills it wraps on some terminals.
                    if (column > columns.get() - 1) {
                        tooWide.add("column " + column + " of " + columns.get());
                    }
                }
            }
        }

        private void end() {
            if (column > 0) {
                lines.add(new Line(drawnIn, text.substring(text.length() - 1 - column, text.length() - 1)));
            }
            column = 0;
        }

        synchronized boolean drawnOn() {
            return text.length() > 0;
        }

        synchronized List<Line> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
