package pe.ruccache.bulk;

import java.util.concurrent.CompletableFuture;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Ruc;
import pe.ruccache.lookup.Query;

/** One distinct RUC of a window: its answer, or the call that will give it. */
final class Slot implements Query {
    final long key;
    final Ruc ruc;
    Outcome outcome;
    CompletableFuture<Outcome> future;
    int state;
    boolean fresh;
    boolean hit;
    boolean owner;
    /** Whether this is the run's first sight of the RUC: it counts as one distinct RUC when written. */
    boolean firstSeen;
    /** Whether a provider was asked about the RUC for this slot, the first time in the run. */
    boolean asked;
    /** The window's row on which the RUC first appears. */
    final int firstRow;
    /** The slot of the same RUC in the window prepared just before, until dispatch takes its answer. */
    Slot alias;
    /** The answer the pipeline gave at once ({@link #answered}), not yet taken by the run. */
    Outcome given;
    /** The answer the pipeline will give ({@link #pending}), not yet taken by the run. */
    CompletableFuture<Outcome> coming;

    Slot(long key, Ruc ruc, int firstRow) {
        this.key = key;
        this.ruc = ruc;
        this.firstRow = firstRow;
    }

    @Override
    public Ruc ruc() {
        return ruc;
    }

    @Override
    public void answered(Outcome outcome) {
        given = outcome;
    }

    @Override
    public void pending(CompletableFuture<Outcome> answer) {
        coming = answer;
    }
}
