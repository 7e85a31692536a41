package pe.ruccache.core;

/** The configuration is wrong: unknown provider, missing token, unreadable or malformed config file. */
public class ConfigException extends RucException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message. */
    public ConfigException(String message) {
        super(message, null);
    }

    /** Creates the exception with a one-line message and its cause. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
