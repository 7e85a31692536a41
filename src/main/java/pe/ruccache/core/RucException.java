package pe.ruccache.core;

/**
 * An expected failure whose message is one line a user can act on. The command line maps each subclass to
 * its exit code; nothing below the command line knows exit codes.
 */
public abstract class RucException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected RucException(String message, Throwable cause) {
        super(message, cause);
    }
}
