package pe.ruccache.core;

/**
 * A remote source could not be reached or did not deliver now (network failure, HTTP error, interrupted transfer);
 * a later retry may succeed.
 */
public class UnavailableException extends RucException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message. */
    public UnavailableException(String message) {
        super(message, null);
    }

    /** Creates the exception with a one-line message and its cause. */
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
