package pe.ruccache.lookup;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A request, made from another thread, that a run stop early but in order: a signal (Ctrl-C, {@code kill}) or a
 * reader that closed the output. A run that honours it asks for nothing new, waits a short grace period for the
 * answers already requested (and stores them, since they are paid for), ends its output on a record boundary and
 * returns. The first request wins; later ones change nothing.
 */
public final class StopRequest {

    /** How long a stopping run waits for the answers already requested before it abandons them. */
    public static final Duration GRACE = Duration.ofSeconds(5);

    /** The reason of a stop because the reader of standard output closed it ({@code | head}). */
    public static final String OUTPUT_CLOSED = "standard output was closed";

    private final CompletableFuture<String> requested = new CompletableFuture<>();

    /** Asks the run to stop, saying why ({@code "interrupted (SIGINT)"}); returns whether this was the first ask. */
    public boolean request(String why) {
        return requested.complete(why);
    }

    /** Returns whether a stop was requested. */
    public boolean isRequested() {
        return requested.isDone();
    }

    /** Returns why the run was asked to stop, or null when it was not. */
    public String reason() {
        return requested.getNow(null);
    }

    /** Runs {@code action} with the reason once a stop is requested: at once if it already was. */
    public void onRequest(Consumer<String> action) {
        requested.thenAccept(action);
    }

    /** Returns a request that is never made, for runs that nothing can stop early. */
    public static StopRequest never() {
        return new StopRequest();
    }
}
