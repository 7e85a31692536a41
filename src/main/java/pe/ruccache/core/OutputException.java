package pe.ruccache.core;

/** The output cannot be written: its folder is missing or not writable, the disk is full. */
public class OutputException extends RucException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line message and its cause. */
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
