package pe.ruccache.lookup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import pe.ruccache.core.Futures;

/**
 * An executor whose tasks run on the thread that waits for an answer ({@link #await}): how a single lookup drives
 * the batch pipeline without a thread pool, its provider call made on the caller's own thread, as a one-shot CLI
 * wants, and a wait for another process continued there once that process is done.
 */
final class CallerRuns implements Executor {

    private static final Runnable WAKE_UP = () -> { };

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs the queued tasks until {@code answer} is complete, and returns it; a failure's unchecked cause is rethrown
     * as it is.
     *
     * @throws InterruptedException when interrupted while no task is ready (waiting for another process)
     */
    <T> T await(CompletableFuture<T> answer) throws InterruptedException {
        // A future that fails without running a task (its source failed) still wakes the loop.
        answer.whenComplete((value, failure) -> tasks.add(WAKE_UP));
        while (!answer.isDone()) {
            tasks.take().run();
        }
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(Futures.unwrap(e));
        }
    }
}
