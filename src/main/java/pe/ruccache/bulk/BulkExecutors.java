package pe.ruccache.bulk;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.lookup.StopRequest;

/**
 * The threads of one bulk run: a pool of {@code --concurrency} threads for provider calls and one or two store
 * readers (see {@link #READERS}), each built on first use (an all-cached run never starts the pool), and how they
 * stop: at the end, on a failure, or with a grace period for the answers already asked for when the run is stopped
 * early.
 */
final class BulkExecutors {

    /** How long the end of a run waits for calls in flight, whose answers are still stored. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** The fewest RUCs read from the store in two halves at once; below it the second read is not worth a thread. */
    private static final int PARALLEL_READ_MIN = 1024;

    /**
     * Store readers: two where two cores are available (the JVM counts those its cgroup and CPU affinity allow), so
     * the two halves of a window's read overlap; one on a single core, where a second would only take turns with
     * the main thread.
     */
    static final int READERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    private final int concurrency;
    private ThreadPoolExecutor pool;
    private ExecutorService storeReader;

    BulkExecutors(int concurrency) {
        this.concurrency = concurrency;
    }

    /** Returns the pool provider calls run on. */
    ExecutorService pool() {
        if (pool == null) {
            pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), daemons("ruc-cache-bulk-"));
        }
        return pool;
    }

    /** Returns the two threads that read the store ahead of the windows being answered. */
    ExecutorService storeReader() {
        if (storeReader == null) {
            storeReader = Executors.newFixedThreadPool(READERS, daemons("ruc-cache-bulk-store-"));
        }
        return storeReader;
    }

    /**
     * Reads the stored entries of {@code rucs} with {@code store} on the store readers, sorted first (on the reader's
     * thread) to walk the B-tree in order; a large set in two halves at once, which a store with several
     * connections serves in parallel.
     */
    CompletableFuture<Map<String, List<CacheEntry>>> readStore(List<String> rucs,
            Function<List<String>, Map<String, List<CacheEntry>>> store) {
        if (rucs.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        Function<List<String>, Map<String, List<CacheEntry>>> sorted = part -> {
            RucOrder.sort(part);
            return store.apply(part);
        };
        if (rucs.size() < PARALLEL_READ_MIN || READERS == 1) {
            return CompletableFuture.supplyAsync(() -> sorted.apply(rucs), storeReader());
        }
        int half = rucs.size() / 2;
        CompletableFuture<Map<String, List<CacheEntry>>> first =
                CompletableFuture.supplyAsync(() -> sorted.apply(rucs.subList(0, half)), storeReader());
        CompletableFuture<Map<String, List<CacheEntry>>> second =
                CompletableFuture.supplyAsync(() -> sorted.apply(rucs.subList(half, rucs.size())), storeReader());
        return first.thenCombine(second, (a, b) -> {
            Map<String, List<CacheEntry>> all = new HashMap<>(a);
            all.putAll(b);
            return all;
        });
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Stops the executors and waits for the work in flight, so the store is not closed under it.
     *
     * @param stoppedEarly the run was stopped (a signal, {@code --max-errors}) without failing: nothing new is asked
     *     ({@code stopAsking}) and the requests already sent get {@link StopRequest#GRACE}, since their answers are
     *     paid for and get stored
     * @param abort the run ends before its last window: calls in flight are interrupted
     * @param stopAsking makes the providers send nothing new
     */
    void stop(boolean stoppedEarly, boolean abort, Runnable stopAsking) {
        if (storeReader != null) {
            storeReader.shutdown();
        }
        if (pool == null) {
            awaitQuietly(storeReader);
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (stoppedEarly) {
                stopAsking.run();
                pool.getQueue().clear();
                pool.shutdown();
                if (!pool.awaitTermination(StopRequest.GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    pool.shutdownNow();
                }
            } else if (abort) {
                pool.shutdownNow();
            } else {
                pool.shutdown();
            }
            // Answers that arrive now are still stored; closing the store under them would lose them.
            pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        awaitQuietly(storeReader);
    }

    /** Waits for a store read in flight, so the store is not closed under it. */
    private static void awaitQuietly(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
