package pe.ruccache.bulk;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on a terminal (me.tongfei progressbar): rows, rows per second, ETA, cache hits, calls and errors.
 * The total is estimated from the bytes read when the input's size is known, so the ETA settles as the run goes.
 */
public final class ProgressBarDisplay implements Progress {

    private final PrintWriter err;
    private final ProgressBar bar;

    /** Creates the bar, drawing on {@code err} in {@code width} columns. */
    public ProgressBarDisplay(PrintWriter err, int width) {
        this.err = err;
        this.bar = new ProgressBarBuilder()
                .setTaskName("bulk")
                .setInitialMax(-1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" rows", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    synchronized (err) {
                        err.print('\r');
                        err.print(line);
                        err.flush();
                    }
                }, Math.max(40, width - 1)))
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

    @Override
    public void close() {
        bar.close();
        synchronized (err) {
            err.println();
            err.flush();
        }
    }
}
