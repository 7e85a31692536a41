package pe.ruccache.bulk;

import java.io.PrintWriter;
import java.util.function.IntSupplier;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Draws a progress bar on a writer as one line rewritten in place, never as wide as the terminal, so that a redraw
 * never wraps: the bar is rendered for the terminal's current width less one column each time, and a line rendered
 * just before the terminal became narrower is cut to the new width. The bars drawn are ASCII, one column a character.
 */
public final class TerminalLineConsumer implements ProgressBarConsumer {

    private final PrintWriter err;
    private final IntSupplier columns;
    private final int leastRendered;

    /**
     * Creates the consumer.
     *
     * @param err where the line is drawn
     * @param columns returns the terminal's current width in columns; asked at every redraw, so it must be cheap
     * @param taskName the bar's task name, which starts its line
     */
    public TerminalLineConsumer(PrintWriter err, IntSupplier columns, String taskName) {
        this.err = err;
        this.columns = columns;
        // progressbar 0.10.2 divides by zero when asked for exactly as many columns as the line's start takes (the
        // task name, a space, the percentage in 4, a space and '['): a terminal that narrow gets a longer line cut.
        this.leastRendered = taskName.length() + 8;
    }

    /** Returns the columns to render the bar in: the terminal's width less one, or the least the renderer takes. */
    @Override
    public int getMaxRenderedLength() {
        return Math.max(leastRendered, fits());
    }

    @Override
    public void accept(String rendered) {
        synchronized (err) {
            int max = fits();
            err.print('\r');
            err.print(rendered.length() > max ? rendered.substring(0, max) : rendered);
            err.flush();
        }
    }

    /** Ends the bar's line, so that what follows starts on a line of its own. */
    @Override
    public void close() {
        synchronized (err) {
            err.println();
            err.flush();
        }
    }

    /** Returns the widest line the terminal shows without wrapping: a line that fills the last column wraps on some. */
    private int fits() {
        return Math.max(0, columns.getAsInt() - 1);
    }
}
