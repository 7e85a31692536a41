package pe.ruccache.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Takes a failure out of the wrapper a future puts around it ({@link ExecutionException} from {@code get},
 * {@link CompletionException} from {@code join}), so that a RucException raised on another thread reaches the
 * error handler as itself and its one-line message is what the user reads.
 */
public final class Futures {

    private Futures() {
    }

    /**
     * Returns what {@code failure} wraps, through any number of ExecutionException and CompletionException layers;
     * a wrapper without a cause is returned as it is.
     */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Rethrows what {@code failure} wraps when it is unchecked (a RuntimeException, such as a RucException, or an
     * Error); returns a checked cause for the caller to rethrow or map, since only the caller knows what it means.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return cause;
    }
}
