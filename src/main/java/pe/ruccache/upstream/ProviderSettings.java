package pe.ruccache.upstream;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach one provider.
 *
 * @param name the provider's name
 * @param baseUrl the API's base URL (tests point it at a local server)
 * @param token the API token, or null when none is configured
 */
public record ProviderSettings(String name, URI baseUrl, Token token) {
    /** Checks that the name and URL are present. */
    public ProviderSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUrl, "baseUrl");
    }
}
