package pe.ruccache.lookup;

import pe.ruccache.upstream.Provider;

/**
 * Builds the provider chain the first time a lookup needs it, so that cached lookups never create an HTTP client
 * and never need a token.
 */
@FunctionalInterface
public interface ProviderSource {

    /**
     * Returns the chain of configured providers, or null when none is configured.
     *
     * @throws pe.ruccache.core.ConfigException when a configured provider cannot be used (no token, unknown name)
     */
    Provider get();

    /**
     * Returns the configured providers that need no network (the padrón), for {@code --offline}; null when there are
     * none, which makes an offline miss an OFFLINE_MISS. The default has none.
     *
     * @throws pe.ruccache.core.ConfigException when a configured local provider cannot be used (no snapshot)
     */
    default Provider offline() {
        return null;
    }

    /** Makes the providers send no new request from now on; those already sent run to their answer. */
    default void stopSending() {
    }
}
