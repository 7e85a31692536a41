package pe.ruccache.upstream;

import java.util.Objects;

/**
 * A provider's API token. Its {@code toString} never shows the value, so it cannot leak into logs or messages.
 */
public final class Token {
    private final String value;
    private final String origin;

    /**
     * Creates a token.
     *
     * @param value the secret
     * @param origin where it came from, for messages: {@code RUC_CACHE_MIGO_TOKEN}, a file path, a config key
     */
    public Token(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value").strip();
        this.origin = Objects.requireNonNull(origin, "origin");
        if (this.value.isEmpty()) {
            throw new IllegalArgumentException("empty token from " + origin);
        }
    }

    /** Returns the secret, for the Authorization header only. */
    public String reveal() {
        return value;
    }

    /** Returns where the token came from. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "Token[from " + origin + "]";
    }
}
