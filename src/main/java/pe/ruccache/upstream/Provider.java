package pe.ruccache.upstream;

import pe.ruccache.core.Ruc;

/** A source of taxpayer records. Implementations are safe for use by several threads. */
public interface Provider {

    /** Returns the provider's name as users type it: {@code migo}, {@code decolecta}, {@code apisnet}. */
    String name();

    /**
     * Asks the provider about {@code ruc}. Never throws for an upstream failure: every HTTP status, timeout,
     * reset or unparseable body becomes a {@link ProviderAnswer.Failed} with its reason.
     */
    ProviderAnswer fetch(Ruc ruc);
}
