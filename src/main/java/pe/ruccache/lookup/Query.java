package pe.ruccache.lookup;

import java.util.concurrent.CompletableFuture;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Ruc;

/**
 * One distinct, locally valid RUC of a batch given to {@link LookupService#resolveAll}, and where its answer goes:
 * exactly one of the two methods is called, once, before {@code resolveAll} returns.
 */
public interface Query {

    /** Returns the RUC asked about. */
    Ruc ruc();

    /** Takes the answer known at once: from the store, from another process's stored answer, or a local snapshot. */
    void answered(Outcome outcome);

    /**
     * Takes the answer to come: a provider asked on the batch's executor, or another process's answer once it has
     * stored it. The future fails only with a store or configuration error, never for an upstream failure.
     */
    void pending(CompletableFuture<Outcome> answer);
}
