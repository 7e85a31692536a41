package pe.ruccache.core;

/**
 * There is no store where a command that only reads it was pointed (a mistyped path, a cache home that does not
 * exist); the command creates none.
 */
public class MissingStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message. */
    public MissingStoreException(String message) {
        super(message);
    }
}
