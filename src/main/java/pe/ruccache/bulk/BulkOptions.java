package pe.ruccache.bulk;

import java.util.Objects;
import pe.ruccache.core.Policy;

/**
 * How one bulk run works.
 *
 * @param column which column holds the RUCs
 * @param noHeader the input has no header line
 * @param concurrency the most provider calls in flight at once
 * @param maxErrors the ERROR answers tolerated before the run stops; negative for no limit
 * @param policy what a VALID taxpayer must also be
 * @param windowRows how many rows are read, resolved and written together
 */
public record BulkOptions(ColumnSpec column, boolean noHeader, int concurrency, long maxErrors, Policy policy,
        int windowRows) {

    /** Rows per window: a batch of store reads large enough to amortise, small enough to keep memory flat. */
    public static final int DEFAULT_WINDOW_ROWS = 4096;
    /** The default number of provider calls in flight. */
    public static final int DEFAULT_CONCURRENCY = 8;

    /** Checks the ranges. */
    public BulkOptions {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(policy, "policy");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (windowRows < 1) {
            throw new IllegalArgumentException("window must hold at least one row: " + windowRows);
        }
    }
}
