package pe.ruccache.core;

/** The input data cannot be read: not a CSV, undecodable, binary, empty where data is required. */
public class InputException extends RucException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message. */
    public InputException(String message) {
        super(message, null);
    }

    /** Creates the exception with a one-line message and its cause. */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
