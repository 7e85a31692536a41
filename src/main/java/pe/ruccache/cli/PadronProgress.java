package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.IntSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import pe.ruccache.bulk.TerminalLineConsumer;
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
    private final IntSupplier columns;
    private ProgressBar current;
    private long malformedShown;

    /**
     * Creates the display.
     *
     * @param err standard error
     * @param bar draw progress bars (a person is watching a terminal)
     * @param verbose list malformed lines and the download's notes
     * @param columns returns the terminal's current width in columns; asked only while a bar is drawn
     */
    PadronProgress(PrintWriter err, boolean bar, boolean verbose, IntSupplier columns) {
        this.err = err;
        this.bar = bar;
        this.verbose = verbose;
        this.columns = columns;
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
                .setConsumer(new TerminalLineConsumer(err, columns, task));
        if (start > 0) {
            builder.startsFrom(start, java.time.Duration.ZERO);
        }
        current = builder.build();
    }

    /** Prints a line above the bar: the bar's line is cleared first and redrawn by its next tick. */
    private void line(String text) {
        // The bar's consumer draws holding the same lock, so a redraw never lands between the blanks and the text.
        synchronized (err) {
            if (current != null) {
                err.print("\r" + " ".repeat(Math.max(0, columns.getAsInt() - 1)) + "\r");
            }
            err.println(text);
            err.flush();
        }
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
}
