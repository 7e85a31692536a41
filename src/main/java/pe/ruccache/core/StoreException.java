package pe.ruccache.core;

/** The store cannot be opened, read or written: locked too long, corrupt, from a newer version, not writable. */
public class StoreException extends RucException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message. */
    public StoreException(String message) {
        super(message, null);
    }

    /** Creates the exception with a one-line message and the low-level cause (shown only with --stacktrace). */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
