package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import pe.ruccache.padron.ImportListener;
import pe.ruccache.padron.Malformation;
import pe.ruccache.upstream.DownloadListener;

/**
 * What {@code padron import} and {@code padron update} show on stderr while they work: a progress bar for the
 * download and one for the import when a person watches a terminal; with {@code -v}, the first malformed lines and
 * the download's notes (resumed, restarted). Nothing at all in cron unless asked.
 */
final class PadronProgress implements ImportListener, DownloadListener, AutoCloseable {

    /** Malformed lines listed with {@code -v}; the rest are only counted. */
    static final int MALFORMED_SHOWN = 20;
    private static final long MIB = 1 << 20;

    private final PrintWriter err;
    private final boolean bar;
    private final boolean verbose;
    private ProgressBar current;
    private long malformedShown;

    /**
     * Creates the display.
     *
     * @param err standard error
     * @param bar draw progress bars (a person is watching a terminal)
     * @param verbose list malformed lines and the download's notes
     */
    PadronProgress(PrintWriter err, boolean bar, boolean verbose) {
        this.err = err;
        this.bar = bar;
        this.verbose = verbose;
    }

    @Override
    public void started(long offset, long total) {
        if (bar) {
            begin("Downloading", total, offset);
        }
    }

    @Override
    public void transferred(long bytes) {
        if (current != null) {
            current.stepTo(bytes);
        }
    }

    @Override
    public void note(String message) {
        if (verbose || bar) {
            line("ruc-cache: " + message);
        }
    }

    @Override
    public void started(long totalBytes) {
        end();
        if (bar) {
            begin("Importing", totalBytes, 0);
        }
    }

    @Override
    public void progressed(long bytes, long rows) {
        if (current != null) {
            current.stepTo(bytes);
            current.setExtraMessage(" " + rows + " rows");
        }
    }

    @Override
    public void malformed(long line, Malformation kind) {
        if (verbose && malformedShown < MALFORMED_SHOWN) {
            malformedShown++;
            line(String.format(Locale.ROOT, "ruc-cache: line %d skipped: %s%s", line, kind.words(),
                    malformedShown == MALFORMED_SHOWN ? " (further malformed lines are only counted)" : ""));
        }
    }

    @Override
    public void finishing() {
        end();
    }

    private void begin(String task, long total, long start) {
        end();
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total > 0 ? total : -1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit("MiB", MIB)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setConsumer(new WriterConsumer(err, width()));
        if (start > 0) {
            builder.startsFrom(start, java.time.Duration.ZERO);
        }
        current = builder.build();
    }

    /** Prints a line above the bar: the bar's line is cleared first and redrawn by its next tick. */
    private void line(String text) {
        if (current != null) {
            err.print("\r" + " ".repeat(width()) + "\r");
        }
        err.println(text);
        err.flush();
    }

    private void end() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        end();
    }

    /** The terminal's width from {@code COLUMNS}, else 80: asking the terminal would load a terminal library. */
    private static int width() {
        String columns = System.getenv("COLUMNS");
        try {
            int n = columns == null ? 80 : Integer.parseInt(columns.strip());
            return Math.max(40, n) - 1;
        } catch (NumberFormatException e) {
            return 79;
        }
    }

    /** Draws the bar on the command's stderr writer, one line rewritten in place. */
    private static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter err;
        private final int width;

        WriterConsumer(PrintWriter err, int width) {
            this.err = err;
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public void accept(String rendered) {
            String text = rendered.length() > width ? rendered.substring(0, width) : rendered;
            err.print("\r" + text);
            err.flush();
        }

        @Override
        public void close() {
            err.println();
            err.flush();
        }
    }
}
