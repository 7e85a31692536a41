package pe.ruccache.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Futures;
import pe.ruccache.core.LocalCheck;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.lookup.Counters;
import pe.ruccache.lookup.LookupService;
import pe.ruccache.lookup.StopRequest;

/**
 * One bulk run: the window pipeline that {@link BulkService} describes. The calling thread reads a window
 * ({@link WindowReader}), checks its rows locally and sorts out the RUCs this run has already answered
 * ({@link RunMemory}), and starts the store read of the others ({@link BulkExecutors#readStore}); once read, the
 * window's new RUCs go to the lookup pipeline's batch entry point ({@link LookupService#resolveAll}), which answers
 * them from the store or starts their provider calls; the window is written, in order, once its answers are in
 * ({@link ResultWriter}), and counted ({@link BulkReport}, {@link ErrorLimit}). Used by the calling thread, except
 * the futures' completions.
 *
 * <p>Longer than 400 lines because its three steps ({@code prepare}, {@code dispatch}, {@code writeHead}) share
 * the windows in flight, the answers in flight and the stop state; each step is short, and the state they share is
 * what would have to be passed around if they were split.
 */
final class BulkRun {

    /** Windows read ahead of the one being written, so the providers are not idle at window boundaries. */
    private static final int WINDOWS_IN_FLIGHT = 4;
    /**
     * Windows prepared (their store reads started) before the oldest of them is dispatched: measured 14% faster than
     * one for an all-cached run. Two, because a window's RUCs are checked against the one window prepared before it
     * ({@code Slot.alias}); more would need checking against each pending window.
     */
    private static final int READS_AHEAD = 2;
    /**
     * Rows of a window while no provider call is in flight (its misses go to a local snapshot, or there were none):
     * windows then take turns rather than wait for the network, and at -Xmx64m a smaller window keeps the rows in
     * flight within the young generation, so they are not promoted and collected by full collections (1,000,000
     * cached rows: 5 full collections and 0.9 s of pauses at 1024 rows, 71 and 4.2 s at 4096).
     */
    private static final int QUICK_WINDOW_ROWS = 1024;
    /** How often the run's counts are added to the store's counters, so a killed run loses little history. */
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    private final CsvInput input;
    private final BulkService.Output output;
    private final BulkOptions options;
    private final Progress progress;
    private final BulkReport report = new BulkReport();
    private final RunMemory memory;
    private final WindowReader reader;
    private final ErrorLimit errors;
    private final ArrayDeque<WindowKeys> spareKeys = new ArrayDeque<>();
    private Window lastPrepared;
    private final Map<Long, CompletableFuture<Outcome>> inFlight = new HashMap<>();
    private final ArrayDeque<Window> windows = new ArrayDeque<>();
    private final CompletableFuture<String> abort = new CompletableFuture<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BulkExecutors executors;
    private Boolean localOnly;
    private long lastFlush = System.nanoTime();
    private ResultWriter writer;
    private Layout layout;
    private long rowsWritten;

    private final LookupService lookup;
    private final Counters counters;

    BulkRun(LookupService lookup, Counters counters, CsvInput input, BulkService.Output output, BulkOptions options,
            Progress progress, StopRequest stop) {
        this.lookup = lookup;
        this.counters = counters;
        this.input = input;
        this.output = output;
        this.options = options;
        this.progress = progress;
        this.executors = new BulkExecutors(options.concurrency());
        this.memory = new RunMemory(options.windowRows());
        this.reader = new WindowReader(input, report);
        this.errors = new ErrorLimit(options.maxErrors());
        stop.onRequest(abort::complete);
    }

    BulkReport execute() {
        long started = System.nanoTime();
        try {
            List<String[]> first = reader.read(options.windowRows());
            if (first.isEmpty()) {
                throw new pe.ruccache.core.InputException(input.name() + " has no rows: only blank lines");
            }
            layout = Layout.decide(first, options.column(), options.noHeader(), input.name());
            report.describe(input.format(), layout);
            List<String[]> rows = layout.hasHeader() ? first.subList(1, first.size()) : first;
            if (layout.hasHeader()) {
                reader.skipHeader();
            }
            boolean headerOnly = rows.isEmpty();
            startOutput();
            boolean more = first.size() == options.windowRows();
            // Windows whose store reads are under way, oldest first: the readers always have the next one to
            // serve while this thread dispatches, checks and writes the others.
            ArrayDeque<Window> ahead = new ArrayDeque<>();
            ahead.addLast(prepare(new ArrayList<>(rows)));
            while (more && !stopping() && !errors.reached()) {
                int wanted = windowRows();
                List<String[]> next = reader.read(wanted);
                more = next.size() == wanted;
                if (ahead.size() >= READS_AHEAD) {
                    dispatch(ahead.pollFirst());
                }
                if (!next.isEmpty()) {
                    ahead.addLast(prepare(next));
                }
                writeFinished();
            }
            while (!ahead.isEmpty() && !stopping() && !errors.reached()) {
                dispatch(ahead.pollFirst());
            }
            while (!windows.isEmpty() && !stopping()) {
                writeHead(true);
            }
            if (errors.reached() && !stopping()) {
                // Not reached when the rows written hold the errors counted; never a silent early end.
                abort.complete(errors.why());
            }
            rethrowFailure();
            finishOutput();
            report.finish(Duration.ofNanos(System.nanoTime() - started), counters.requestsThisRun(), input,
                    headerOnly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            stopPool();
            if (stopping() && failure.get() == null) {
                report.abort(abort.getNow("stopped"));
                report.finish(Duration.ofNanos(System.nanoTime() - started), counters.requestsThisRun(), input,
                        false);
            }
            try {
                lookup.flushCounters();
            } catch (RuntimeException e) {
                if (failure.get() == null) {
                    throw e;
                }
                // The run is failing already; that failure is the one to report.
            }
        }
        return report;
    }

    /**
     * Returns how many rows the next window reads: fewer while no provider call is in flight, since a window then
     * costs no network wait to overlap, and a smaller one keeps less alive in the heap.
     */
    private int windowRows() {
        return Boolean.TRUE.equals(localOnly) || inFlight.isEmpty()
                ? Math.min(options.windowRows(), QUICK_WINDOW_ROWS) : options.windowRows();
    }

    /** Throws the failure (a store or configuration error) that a provider call ran into, if any. */
    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Ends the output after the rows written, a JSON array closed, also when the run stopped early; a stop because
     * the output's reader went away is not a write error.
     */
    private void finishOutput() throws IOException {
        try {
            writer.finish();
        } catch (IOException | UncheckedIOException e) {
            if (!stopping()) {
                throw e;
            }
        }
    }

    private boolean stopping() {
        if (Thread.currentThread().isInterrupted()) {
            abort.complete("interrupted");
        }
        return abort.isDone();
    }

    private void startOutput() throws IOException {
        writer = ResultWriter.open(output, input, layout);
    }

    /** Writes the windows at the head that are complete, waiting for the oldest when too many are in flight. */
    private void writeFinished() throws IOException {
        while (!windows.isEmpty() && !stopping()
                && (windows.peekFirst().done.isDone() || windows.size() > WINDOWS_IN_FLIGHT)) {
            writeHead(windows.size() > WINDOWS_IN_FLIGHT);
        }
        long now = System.nanoTime();
        if (now - lastFlush > FLUSH_EVERY.toNanos()) {
            lastFlush = now;
            lookup.flushCounters();
        }
    }

    /**
     * Checks a window's rows locally, sorts out which RUCs this run has already answered, and starts reading
     * the others from the store in the background.
     */
    private Window prepare(List<String[]> records) {
        int n = records.size();
        Window w = new Window(n);
        WindowKeys windowKeys = spareKeys.isEmpty() ? new WindowKeys() : spareKeys.pollFirst();
        windowKeys.reset(n);
        w.keys = windowKeys;
        // The window prepared just before this one and not yet dispatched, whose RUCs are not in the run's
        // states yet: a RUC of both takes that window's answer.
        Window before = lastPrepared != null && lastPrepared.keys != null ? lastPrepared : null;
        lastPrepared = w;
        List<Slot> slots = new ArrayList<>();
        List<String> toRead = new ArrayList<>();
        List<CacheEntry> registry = new ArrayList<>();
        int col = layout.rucColumn();
        for (int i = 0; i < n; i++) {
            String[] cells = reader.fit(records.get(i), reader.line(i), layout);
            w.cells[i] = cells;
            String value = cells[col];
            LocalCheck check = lookup.check(value);
            if (check instanceof LocalCheck.Invalid invalid) {
                w.answers[i] = Outcome.local(value, invalid);
                if (invalid.isKeyable()) {
                    long key = Long.parseLong(invalid.normalized());
                    // Each invalid value enters the registry once per run, in the window's one batch.
                    if (key > 0 && memory.state(key) == 0) {
                        registry.add(lookup.registryEntry(invalid));
                        memory.rememberLocal(key);
                    }
                }
                continue;
            }
            Ruc ruc = ((LocalCheck.Valid) check).ruc();
            long key = Long.parseLong(ruc.value());
            int seen = windowKeys.get(key);
            if (seen >= 0) {
                w.answers[i] = slots.get(seen);
                w.repeat[i] = true;
                continue;
            }
            Slot slot = new Slot(key, ruc, i);
            windowKeys.put(key, slots.size());
            slots.add(slot);
            w.answers[i] = slot;
            int earlier = before == null ? -1 : before.keys.get(key);
            if (earlier >= 0) {
                slot.alias = before.slots[earlier];
                w.repeat[i] = true;
                continue;
            }
            CompletableFuture<Outcome> pending = inFlight.isEmpty() ? null : inFlight.get(key);
            if (pending != null) {
                slot.future = pending;
                w.repeat[i] = true;
                continue;
            }
            int state = memory.state(key);
            if (state != 0) {
                w.repeat[i] = true;
                Outcome earlierAnswer = memory.earlier(ruc, key, state);
                if (earlierAnswer != null) {
                    slot.outcome = earlierAnswer;
                } else {
                    slot.state = state;
                    toRead.add(ruc.value());
                }
            } else {
                slot.fresh = true;
                slot.firstSeen = true;
                toRead.add(ruc.value());
            }
        }
        lookup.storeAll(registry);
        w.slots = slots.toArray(new Slot[0]);
        w.stored = executors.readStore(toRead, lookup::storedEntries);
        if (Boolean.TRUE.equals(localOnly)) {
            // Misses go to a local snapshot (known once a window has had one): the pipeline answers them right
            // after the store read, on its thread, while this one parses and writes the windows around this one.
            List<Slot> fresh = new ArrayList<>();
            for (Slot slot : w.slots) {
                if (slot.fresh) {
                    fresh.add(slot);
                }
            }
            if (!fresh.isEmpty()) {
                w.stored = w.stored.thenApply(stored -> {
                    lookup.resolveAll(fresh, stored, pool());
                    return stored;
                });
            }
        }
        return w;
    }

    /** Answers a prepared window's RUCs from what the store returned, and starts its provider calls. */
    private void dispatch(Window w) {
        Map<String, List<CacheEntry>> stored;
        try {
            stored = w.stored.join();
        } catch (CompletionException e) {
            Futures.unwrap(e);
            throw e;
        }
        w.stored = null;
        spareKeys.addLast(w.keys);
        w.keys = null;
        List<Slot> ask = new ArrayList<>();
        for (Slot slot : w.slots) {
            if (slot.alias != null) {
                // Its window was dispatched first: the answer is there, or on its way.
                slot.outcome = slot.alias.outcome;
                slot.future = slot.outcome == null ? slot.alias.future : null;
                slot.alias = null;
                continue;
            }
            if (slot.state != 0) {
                slot.outcome = memory.replay(slot.state, stored.get(slot.ruc.value()));
                if (slot.outcome == null) {
                    // The entry this run used is gone (another process cleared it, or the answer came from a
                    // local snapshot and was never stored): resolve it again, a miss rather than a repeat.
                    slot.fresh = true;
                    w.repeat[slot.firstRow] = false;
                }
            }
            if (slot.fresh && slot.given == null && slot.coming == null) {
                ask.add(slot);
            }
        }
        if (!ask.isEmpty()) {
            answersAtOnce();
            lookup.resolveAll(ask, stored, pool());
        }
        List<CompletableFuture<Outcome>> started = new ArrayList<>();
        for (Slot slot : w.slots) {
            if (slot.given != null) {
                slot.outcome = slot.given;
                slot.given = null;
                take(slot, slot.outcome);
                onAnswer(slot.outcome, null);
            } else if (slot.coming != null) {
                slot.owner = true;
                slot.future = slot.coming.whenComplete(this::onAnswer);
                slot.coming = null;
                inFlight.put(slot.key, slot.future);
                started.add(slot.future);
            }
        }
        w.done = started.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0]));
        // Futures from earlier windows that rows of this one share must be complete too.
        List<CompletableFuture<?>> shared = new ArrayList<>();
        for (Slot slot : w.slots) {
            if (slot.future != null && !slot.owner) {
                shared.add(slot.future);
            }
        }
        if (!shared.isEmpty()) {
            shared.add(w.done);
            w.done = CompletableFuture.allOf(shared.toArray(new CompletableFuture<?>[0]));
        }
        windows.addLast(w);
    }

    /** Returns whether every miss is answered at once (a local snapshot, or no provider may be asked). */
    private boolean answersAtOnce() {
        if (localOnly == null) {
            localOnly = lookup.answersAtOnce();
        }
        return localOnly;
    }

    /**
     * Takes the answer the pipeline gave for a slot's RUC into the run's memory: a cache hit, a stale answer, or
     * the first answer for that RUC in this run, which marks the slot as asked when it cost a provider request,
     * so that the summary counts each RUC asked once, however many attempts, providers and re-resolutions it
     * took.
     */
    private void take(Slot slot, Outcome o) {
        int before = memory.remember(slot.key, o);
        if (before == 0 && lookup.askedAProvider(o)) {
            slot.asked = true;
        }
        if (o.stale()) {
            report.countStale();
        } else if (Outcome.SOURCE_CACHE.equals(o.source())) {
            // A fresh answer from the store, or another process's answer read once it had stored it.
            slot.hit = true;
        }
    }

    /**
     * Counts an answer as it arrives, on the pool's thread: a failure stops the run, and more than
     * {@code --max-errors} ERROR answers stop it reading further rows.
     */
    private void onAnswer(Outcome outcome, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RejectedExecutionException || cause instanceof CancellationException) {
                // A wait for another process that ended after this run had stopped: nothing to report.
                return;
            }
            this.failure.compareAndSet(null, cause);
            abort.complete("failed");
            return;
        }
        errors.answered(outcome);
    }

    /** Waits for the oldest window ({@code block}) or takes it when complete, and writes it. */
    private void writeHead(boolean block) throws IOException {
        Window w = windows.peekFirst();
        if (block && !w.done.isDone()) {
            try {
                CompletableFuture.anyOf(w.done, abort).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort.complete("interrupted");
                return;
            } catch (ExecutionException e) {
                // A failed answer: rethrown below, where the row that needs it is written.
            }
            if (!w.done.isDone()) {
                return;
            }
        }
        if (w.done.isCompletedExceptionally()) {
            // The failure (a store or configuration error) outranks the abort it caused.
            rethrowFailure();
            rethrow(w.done);
        }
        windows.pollFirst();
        for (Slot slot : w.slots) {
            if (slot.owner) {
                Outcome o = slot.future.join();
                inFlight.remove(slot.key, slot.future);
                take(slot, o);
            }
            Outcome answer = slot.outcome != null ? slot.outcome : slot.future.join();
            memory.keepRecent(slot.key, answer);
            // Counted as the window is written, so that a stopped run's figures describe the rows it wrote.
            if (slot.firstSeen) {
                report.countDistinct();
                errors.distinctWritten(answer);
            }
            if (slot.asked) {
                report.countAsked();
            }
        }
        for (int i = 0; i < w.cells.length; i++) {
            Object answer = w.answers[i];
            Outcome o;
            if (answer instanceof Slot slot) {
                o = slot.outcome != null ? slot.outcome : slot.future.join();
                if (w.repeat[i]) {
                    lookup.countRepeat(o);
                    if (o.status() != Status.ERROR) {
                        report.countCacheHit();
                    }
                } else if (slot.hit) {
                    report.countCacheHit();
                }
            } else {
                o = (Outcome) answer;
            }
            errors.written(o);
            report.countRow(o, options.policy().accepts(o));
            writer.write(w.cells[i], o, options.policy().verdict(o));
        }
        rowsWritten += w.cells.length;
        // A written window reaches its reader now, not when a 64 KiB buffer fills: a run reading a pipe that
        // stays open (or a terminal) may wait on its input next, and its reader should not wait with it.
        output.out().flush();
        if (errors.exceeded()) {
            abort.complete(errors.why());
        }
        progress.update(new Progress.Snapshot(rowsWritten, report.cacheHits(), counters.requestsThisRun(),
                errors.rows(), input.bytesRead(), input.size()));
    }

    private void rethrow(CompletableFuture<?> failed) {
        try {
            failed.join();
        } catch (CompletionException e) {
            Futures.unwrap(e);
            throw e;
        }
    }

    private ExecutorService pool() {
        return executors.pool();
    }

    /** Stops the executors; on an abort, interrupts calls in flight and waits for them to end. */
    private void stopPool() {
        executors.stop(stopping() && failure.get() == null, stopping() || !windows.isEmpty(),
                lookup::stopAsking);
    }
}
