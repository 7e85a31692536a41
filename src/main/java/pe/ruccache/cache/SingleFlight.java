package pe.ruccache.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Decides which of the processes sharing a store asks the providers about a RUC that none of them has an answer
 * for: the one that claims it first; the others wait until it has stored its answer (or given up) and read that.
 * A claim is a lease: a process that dies holding one delays the others by at most one lease, never for good.
 *
 * <p>Within one process, concurrent lookups of a RUC are already coalesced in memory; this is for several
 * processes, and only a store several processes share over the network has an implementation that does anything.
 */
public interface SingleFlight {

    /** Returns whether claims coordinate several processes; false for {@link #none()}, whose claims always win. */
    boolean shared();

    /**
     * Claims each of {@code rucs} for this process, all in one round trip; returns those it won. The caller asks the
     * providers about each RUC it won, stores the answer, then calls {@link #release}; for the others it awaits
     * {@link #released}.
     *
     * @throws pe.ruccache.core.StoreException when the claims cannot be taken
     */
    Set<String> claim(Collection<String> rucs);

    /**
     * Gives up this process's claim on {@code ruc}, if it still holds it, and wakes the processes waiting for it.
     *
     * @throws pe.ruccache.core.StoreException when the claim cannot be released
     */
    void release(String ruc);

    /**
     * Returns, for each of {@code rucs}, a future completed once no process holds a claim on it any more: released,
     * or its lease ended. The future fails with a StoreException when the store cannot tell.
     *
     * @throws pe.ruccache.core.StoreException when waiting cannot start
     */
    Map<String, CompletableFuture<Void>> released(Collection<String> rucs);

    /** Returns the single-flight of a store no other process shares: every claim is won, nothing is waited for. */
    static SingleFlight none() {
        return NoSingleFlight.INSTANCE;
    }
}
