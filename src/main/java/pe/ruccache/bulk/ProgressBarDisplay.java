package pe.ruccache.bulk;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.IntSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on a terminal (me.tongfei progressbar): rows, rows per second, ETA, cache hits, calls and errors,
 * in one line redrawn within the terminal's current width ({@link TerminalLineConsumer}). The total is estimated from
 * the bytes read when the input's size is known, so the ETA settles as the run goes.
 */
public final class ProgressBarDisplay implements Progress {

    private static final String TASK = "bulk";
    /** How often the bar is redrawn. */
    static final int REDRAW_MILLIS = 250;

    private final ProgressBar bar;

    /**
     * Creates the bar, drawing on {@code err} within the terminal's width.
     *
     * @param err where the bar is drawn
     * @param columns returns the terminal's current width in columns; asked at every redraw
     */
    public ProgressBarDisplay(PrintWriter err, IntSupplier columns) {
        this(err, columns, REDRAW_MILLIS);
    }

    /** Creates the bar, redrawn by itself every {@code redrawMillis} (tests redraw it by hand with {@link #redraw}). */
    ProgressBarDisplay(PrintWriter err, IntSupplier columns, int redrawMillis) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(TASK)
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" rows", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(redrawMillis)
                .setConsumer(new TerminalLineConsumer(err, columns, TASK))
                .build();
    }

    @Override
    public void update(Snapshot s) {
        if (s.size() > 0 && s.bytesRead() > 0) {
            long estimate = Math.max(s.rows(), Math.round((double) s.rows() * s.size() / s.bytesRead()));
            bar.maxHint(estimate);
        }
        bar.stepTo(s.rows());
        // The bar prints the message right after the speed: the leading space keeps them apart.
        bar.setExtraMessage(String.format(Locale.ROOT, " hits %d calls %d errors %d", s.cacheHits(), s.calls(),
                s.errors()));
    }

    /** Redraws the bar now when rows were added since it was last drawn, as its own timer does. */
    void redraw() {
        bar.refresh();
    }

    /** Draws the bar a last time and ends its line. */
    @Override
    public void close() {
        bar.close();
    }
}
