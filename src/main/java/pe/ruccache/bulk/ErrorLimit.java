package pe.ruccache.bulk;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Status;

/**
 * {@code --max-errors} for a bulk run: counts ERROR answers as they arrive (on the pool's threads), so that once
 * more than the limit came back no new window is read; and counts the ERRORs written (on the run's thread), so that
 * the run stops only once the rows written hold the errors the stop is for.
 */
final class ErrorLimit {

    private final long max;
    private final AtomicLong answers = new AtomicLong();
    private volatile boolean reached;
    private long rucs;
    private long rows;
    private Outcome last;

    /** Creates the limit; a negative {@code max} means none. */
    ErrorLimit(long max) {
        this.max = max;
    }

    /** Counts an answer as it arrives, from any thread. */
    void answered(Outcome o) {
        if (o.status() == Status.ERROR && max >= 0 && answers.incrementAndGet() > max) {
            reached = true;
        }
    }

    /** Returns whether more than the limit of ERROR answers arrived: no new window should be read. */
    boolean reached() {
        return reached;
    }

    /** Counts a row written with {@code o}. */
    void written(Outcome o) {
        if (o.status() == Status.ERROR) {
            rows++;
            last = o;
        }
    }

    /** Counts a distinct RUC written for the first time with {@code o}. */
    void distinctWritten(Outcome o) {
        if (o.status() == Status.ERROR) {
            rucs++;
        }
    }

    /** Returns whether the distinct RUCs written hold more ERRORs than the limit: the run stops now. */
    boolean exceeded() {
        return max >= 0 && rucs > max;
    }

    /** Returns the rows written with an ERROR. */
    long rows() {
        return rows;
    }

    /** Returns why the run stopped, naming the last ERROR written. */
    String why() {
        return String.format(Locale.ROOT, "more than %d error%s (--max-errors %d)%s", max, max == 1 ? "" : "s", max,
                last == null ? "" : "; last: " + last.reason() + " " + last.detail());
    }
}
