package pe.ruccache.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Futures;
import pe.ruccache.core.LocalCheck;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.lookup.Counters;
import pe.ruccache.lookup.LookupService;
import pe.ruccache.lookup.StopRequest;

/**
 * Checks every row of a CSV through the lookup service and writes one output row per input row, in input order.
 *
 * <p>The input is read in windows of rows. For each window the distinct RUCs not yet seen in this run are read
 * from the store in one batch; the fresh ones are answered at once and the misses go to the providers on a pool
 * of {@code concurrency} threads, each answer stored as it arrives. On a store other processes share, the window's
 * misses are first claimed in one round trip; those another process is already asking about are read from the
 * store once it has answered, without holding a thread while they wait. A few windows may be in flight, so the pool
 * stays busy across window boundaries; each is written, in order, once all its answers are in. Memory is bounded
 * by the windows in flight and one long per distinct RUC ({@link RucStates}): answers to RUCs that repeat in a
 * later window are read from the store again rather than kept.
 */
public final class BulkService {

    /** Windows read ahead of the one being written, so the providers are not idle at window boundaries. */
    private static final int WINDOWS_IN_FLIGHT = 4;
    /**
     * Windows prepared (their store reads started) before the oldest of them is dispatched: measured 14% faster than
     * one for an all-cached run. Two, because a window's RUCs are checked against the one window prepared before it
     * ({@code Slot.alias}); more would need checking against each pending window.
     */
    private static final int READS_AHEAD = 2;
    /** Rows of a window once its misses are known to go to a local snapshot (measured best at 2048 of 1024-8192). */
    private static final int LOCAL_WINDOW_ROWS = 2048;
    /** The fewest RUCs read from the store in two halves at once; below it the second read is not worth a thread. */
    private static final int PARALLEL_READ_MIN = 1024;
    /** How many recent answers are kept in memory: a few MB at most. */
    private static final int RECENT_ANSWERS = 4096;
    /** How often the run's counts are added to the store's counters, so a killed run loses little history. */
    private static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    private final LookupService lookup;
    private final Counters counters;

    /** Creates the service over {@code lookup}, whose run counters are {@code counters}. */
    public BulkService(LookupService lookup, Counters counters) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The output of a run: where rows go and in which format. */
    public record Output(Writer out, OutputFormat format, ObjectMapper mapper) {
        /** Checks the format. */
        public Output {
            Objects.requireNonNull(out, "out");
            if (!OutputFormat.BULK.contains(format)) {
                throw new IllegalArgumentException("not a bulk format: " + format);
            }
        }
    }

    /**
     * Reads {@code input} to its end (or until {@code --max-errors} or an interrupt stops it), writing results to
     * {@code output}; returns what it did. An aborted run's report says why; its output is incomplete.
     *
     * @throws pe.ruccache.core.InputException when the input cannot be read or its RUC column cannot be found
     * @throws pe.ruccache.core.StoreException when the store cannot be read or written
     * @throws pe.ruccache.core.ConfigException when a provider is needed and cannot be used
     * @throws UncheckedIOException when the output cannot be written
     */
    public BulkReport run(CsvInput input, Output output, BulkOptions options, Progress progress) {
        return run(input, output, options, progress, StopRequest.never());
    }

    /**
     * Runs as {@link #run(CsvInput, Output, BulkOptions, Progress)} does until {@code stop} is requested: then no new
     * window is read and no new request sent, the requests already sent are waited for up to
     * {@link StopRequest#GRACE} (their answers are stored), and the output ends after the last whole window written
     * (a JSON array closed). The report says the run stopped early, and why.
     *
     * <p>The provider chain is built before anything is written or counted, so a configuration error (no token, no
     * padrón snapshot) leaves no output and no trace in the counters.
     */
    public BulkReport run(CsvInput input, Output output, BulkOptions options, Progress progress, StopRequest stop) {
        lookup.requireProviders();
        return new Run(input, output, options, progress, stop).execute();
    }

    /** One run's state; used by the calling thread, except the futures' completions. */
    private final class Run {
        private final CsvInput input;
        private final Output output;
        private final BulkOptions options;
        private final Progress progress;
        private final BulkReport report = new BulkReport();
        private final RucStates states = new RucStates();
        private final ArrayDeque<WindowKeys> spareKeys = new ArrayDeque<>();
        private Window lastPrepared;
        /**
         * The answers of the RUCs seen last, so that RUCs repeating close together (a customer's invoices) are not
         * read from the store again; bounded, since answers are the large part of memory.
         */
        private final Map<Long, Outcome> recentAnswers;
        private final Map<Long, CompletableFuture<Outcome>> inFlight = new HashMap<>();
        private final ArrayDeque<Window> windows = new ArrayDeque<>();
        private final List<String> providerNames = new ArrayList<>();
        private final Map<String, Integer> detailIndex = new HashMap<>();
        private final List<String> details = new ArrayList<>();
        private final AtomicLong errorAnswers = new AtomicLong();
        /**
         * Set when more than {@code --max-errors} RUCs came back ERROR: no new window is read, and the run stops once
         * the windows in flight have been written up to the RUC that went over the limit, so that the summary counts
         * the errors the stop was for.
         */
        private volatile boolean errorLimit;
        private long errorRucs;
        private Outcome lastError;
        private final CompletableFuture<String> abort = new CompletableFuture<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final BulkExecutors executors;
        private Boolean localOnly;
        private long lastFlush = System.nanoTime();
        private ResultWriter writer;
        private Layout layout;
        private long rowsWritten;
        /** The line on which each record of the window being read starts, for messages about that row. */
        private long[] lines = new long[0];
        private long errorRows;

        Run(CsvInput input, Output output, BulkOptions options, Progress progress, StopRequest stop) {
            this.input = input;
            this.output = output;
            this.options = options;
            this.progress = progress;
            this.executors = new BulkExecutors(options.concurrency());
            stop.onRequest(abort::complete);
            // About a window's worth: enough for repeats close together, small enough for a small heap.
            int keep = Math.min(RECENT_ANSWERS, options.windowRows());
            this.recentAnswers = new LinkedHashMap<>(keep * 4 / 3 + 1, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Outcome> eldest) {
                    return size() > keep;
                }
            };
        }

        BulkReport execute() {
            long started = System.nanoTime();
            try {
                List<String[]> first = readRecords(options.windowRows());
                if (first.isEmpty()) {
                    throw new pe.ruccache.core.InputException(input.name() + " has no rows: only blank lines");
                }
                layout = Layout.decide(first, options.column(), options.noHeader(), input.name());
                report.describe(input.format(), layout);
                List<String[]> rows = layout.hasHeader() ? first.subList(1, first.size()) : first;
                if (layout.hasHeader()) {
                    // The lines noted for the first window start with the header's.
                    lines = Arrays.copyOfRange(lines, 1, Math.max(1, lines.length));
                }
                boolean headerOnly = rows.isEmpty();
                startOutput();
                boolean more = first.size() == options.windowRows();
                // Windows whose store reads are under way, oldest first: the readers always have the next one to
                // serve while this thread dispatches, checks and writes the others.
                ArrayDeque<Window> ahead = new ArrayDeque<>();
                ahead.addLast(prepare(new ArrayList<>(rows)));
                while (more && !stopping() && !errorLimit) {
                    int wanted = windowRows();
                    List<String[]> next = readRecords(wanted);
                    more = next.size() == wanted;
                    if (ahead.size() >= READS_AHEAD) {
                        dispatch(ahead.pollFirst());
                    }
                    if (!next.isEmpty()) {
                        ahead.addLast(prepare(next));
                    }
                    writeFinished();
                }
                while (!ahead.isEmpty() && !stopping() && !errorLimit) {
                    dispatch(ahead.pollFirst());
                }
                while (!windows.isEmpty() && !stopping()) {
                    writeHead(true);
                }
                if (errorLimit && !stopping()) {
                    // Not reached when the rows written hold the errors counted; never a silent early end.
                    stopForErrors();
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
         * Returns how many rows the next window reads: fewer once misses are known to go to a local snapshot, where
         * windows take turns rather than wait for the network, and a smaller window keeps less alive in the heap.
         */
        private int windowRows() {
            return Boolean.TRUE.equals(localOnly) ? Math.min(options.windowRows(), LOCAL_WINDOW_ROWS)
                    : options.windowRows();
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

        /** Reads up to {@code max} records, noting the line each starts on in {@link #lines}. */
        private List<String[]> readRecords(int max) {
            List<String[]> records = new ArrayList<>(Math.min(max, 1024));
            while (records.size() < max) {
                String[] r = input.next();
                if (r == null) {
                    break;
                }
                if (records.size() == lines.length) {
                    lines = Arrays.copyOf(lines, Math.max(16, lines.length * 2));
                }
                lines[records.size()] = input.line();
                records.add(r);
            }
            return records;
        }

        private void startOutput() throws IOException {
            Writer out = output.out();
            switch (output.format()) {
                case CSV -> {
                    InputFormat f = input.format();
                    // A file from Excel (a BOM, or Windows-1252) goes back to Excel: a BOM makes it read UTF-8.
                    if (f.bom() || f.charset().equals(InputSniffer.WINDOWS_1252)) {
                        out.write('\uFEFF');
                    }
                    writer = new CsvResultWriter(out, f.delimiter(), input.lineTerminator());
                }
                case JSONL -> writer = new JsonResultWriter(out, output.mapper(), false);
                default -> writer = new JsonResultWriter(out, output.mapper(), true);
            }
            List<String> names = new ArrayList<>(layout.width());
            for (int i = 0; i < layout.width(); i++) {
                String name = layout.hasHeader() && i < layout.header().length ? layout.header()[i] : "";
                names.add(!layout.hasHeader() ? String.format(Locale.ROOT, "column_%d", i + 1) : name);
            }
            writer.start(names);
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
                String[] cells = fit(records.get(i), lines[i]);
                w.cells[i] = cells;
                String value = cells[col];
                LocalCheck check = lookup.check(value);
                if (check instanceof LocalCheck.Invalid invalid) {
                    w.answers[i] = Outcome.local(value, invalid);
                    if (invalid.isKeyable()) {
                        long key = Long.parseLong(invalid.normalized());
                        // Each invalid value enters the registry once per run, in the window's one batch.
                        if (key > 0 && states.get(key) == 0) {
                            CacheEntry entry = lookup.registryEntry(invalid);
                            registry.add(entry);
                            states.put(key, RucStates.pack(RucStates.LOCAL, 0, 0, 0));
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
                int state = states.get(key);
                if (state != 0) {
                    w.repeat[i] = true;
                    Outcome recent = RucStates.kind(state) == RucStates.ERROR ? null : recentAnswers.get(key);
                    if (RucStates.kind(state) == RucStates.ERROR) {
                        slot.outcome = errorOutcome(ruc, state);
                    } else if (recent != null) {
                        slot.outcome = recent;
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
            w.stored = read(toRead);
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

        /**
         * Reads the stored entries of {@code rucs} in the background; a large set in two halves at once, which a
         * store with several connections serves in parallel.
         */
        private CompletableFuture<Map<String, List<CacheEntry>>> read(List<String> rucs) {
            if (rucs.isEmpty()) {
                return CompletableFuture.completedFuture(Map.of());
            }
            if (rucs.size() < PARALLEL_READ_MIN) {
                return CompletableFuture.supplyAsync(() -> readSorted(rucs), storeReader());
            }
            int half = rucs.size() / 2;
            CompletableFuture<Map<String, List<CacheEntry>>> first =
                    CompletableFuture.supplyAsync(() -> readSorted(rucs.subList(0, half)), storeReader());
            CompletableFuture<Map<String, List<CacheEntry>>> second = CompletableFuture.supplyAsync(
                    () -> readSorted(rucs.subList(half, rucs.size())), storeReader());
            return first.thenCombine(second, (a, b) -> {
                Map<String, List<CacheEntry>> all = new HashMap<>(a);
                all.putAll(b);
                return all;
            });
        }

        /** Reads the stored entries of {@code rucs}, sorted first (on the reader's thread) to walk the B-tree. */
        private Map<String, List<CacheEntry>> readSorted(List<String> rucs) {
            Collections.sort(rucs);
            return lookup.storedEntries(rucs);
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
                    slot.outcome = replay(slot.state, stored.get(slot.ruc.value()));
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
                answersLocally();
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

        /** Returns whether misses go to a local snapshot in batches rather than to network providers one by one. */
        private boolean answersLocally() {
            if (localOnly == null) {
                localOnly = lookup.answersLocally();
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
            int before = states.get(slot.key);
            states.put(slot.key, stateOf(o));
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
            if (outcome.status() == Status.ERROR && options.maxErrors() >= 0
                    && errorAnswers.incrementAndGet() > options.maxErrors()) {
                errorLimit = true;
            }
        }

        /** Stops the run for {@code --max-errors}, naming the last ERROR written. */
        private void stopForErrors() {
            abort.complete(String.format(Locale.ROOT, "more than %d error%s (--max-errors %d)%s",
                    options.maxErrors(), options.maxErrors() == 1 ? "" : "s", options.maxErrors(),
                    lastError == null ? "" : "; last: " + lastError.reason() + " " + lastError.detail()));
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
                if (answer.status() != Status.ERROR) {
                    recentAnswers.put(slot.key, answer);
                }
                // Counted as the window is written, so that a stopped run's figures describe the rows it wrote.
                if (slot.firstSeen) {
                    report.countDistinct();
                    if (answer.status() == Status.ERROR) {
                        errorRucs++;
                    }
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
                if (o.status() == Status.ERROR) {
                    errorRows++;
                    lastError = o;
                }
                report.countRow(o, options.policy().accepts(o));
                writer.write(w.cells[i], o, options.policy().verdict(o));
            }
            rowsWritten += w.cells.length;
            // A written window reaches its reader now, not when a 64 KiB buffer fills: a run reading a pipe that
            // stays open (or a terminal) may wait on its input next, and its reader should not wait with it.
            output.out().flush();
            if (options.maxErrors() >= 0 && errorRucs > options.maxErrors()) {
                stopForErrors();
            }
            progress.update(new Progress.Snapshot(rowsWritten, report.cacheHits(), counters.requestsThisRun(),
                    errorRows, input.bytesRead(), input.size()));
        }

        private void rethrow(CompletableFuture<?> failed) {
            try {
                failed.join();
            } catch (CompletionException e) {
                Futures.unwrap(e);
                throw e;
            }
        }

        /** Returns the row's cells at the layout's width: short rows padded, extra fields joined into the last. */
        private String[] fit(String[] cells, long line) {
            int width = layout.width();
            if (cells.length == width) {
                return cells;
            }
            if (cells.length < width) {
                report.countShortRow();
                String[] padded = Arrays.copyOf(cells, width);
                Arrays.fill(padded, cells.length, width, "");
                return padded;
            }
            report.countLongRow(line);
            String[] fitted = Arrays.copyOf(cells, width);
            StringBuilder last = new StringBuilder(cells[width - 1]);
            for (int i = width; i < cells.length; i++) {
                last.append(input.format().delimiter()).append(cells[i]);
            }
            fitted[width - 1] = last.toString();
            return fitted;
        }

        private int stateOf(Outcome o) {
            if (o.status() == Status.ERROR) {
                return RucStates.pack(RucStates.ERROR, providerIndex(o.provider()), o.reason().ordinal(),
                        detailIndex(o.detail()));
            }
            int provider = providerIndex(o.provider());
            if (o.stale()) {
                return RucStates.pack(RucStates.STALE, provider, 0, 0);
            }
            return RucStates.pack(Outcome.SOURCE_CACHE.equals(o.source()) ? RucStates.HIT : RucStates.FETCHED,
                    provider, 0, 0);
        }

        /** Returns the answer this run gave before, rebuilt from the store; null when its entry is gone. */
        private Outcome replay(int state, List<CacheEntry> entries) {
            String provider = providerName(RucStates.provider(state));
            if (entries == null || provider == null) {
                return null;
            }
            for (CacheEntry e : entries) {
                if (e.provider().equals(provider)) {
                    return switch (RucStates.kind(state)) {
                        case RucStates.FETCHED -> LookupService.fromAnswer(e);
                        case RucStates.STALE -> LookupService.fromEntry(e, true);
                        default -> LookupService.fromEntry(e, false);
                    };
                }
            }
            return null;
        }

        private Outcome errorOutcome(Ruc ruc, int state) {
            String provider = providerName(RucStates.provider(state));
            Reason reason = Reason.values()[RucStates.reason(state)];
            int d = RucStates.detail(state);
            String detail = d == 0 ? reason.name().toLowerCase(Locale.ROOT) : details.get(d - 1);
            return provider == null ? Outcome.error(null, ruc.value(), reason, detail)
                    : new Outcome(null, ruc.value(), Status.ERROR, reason, detail, null, provider, provider, null,
                            null, false);
        }

        /** Returns a small number for a provider name (0 for none); names beyond 31 share 0. */
        private int providerIndex(String name) {
            if (name == null) {
                return 0;
            }
            int i = providerNames.indexOf(name);
            if (i < 0) {
                if (providerNames.size() == 31) {
                    return 0;
                }
                providerNames.add(name);
                i = providerNames.size() - 1;
            }
            return i + 1;
        }

        private String providerName(int index) {
            return index == 0 ? null : providerNames.get(index - 1);
        }

        /** Returns a small number for an error's detail (0 when the table is full: the reason still tells). */
        private int detailIndex(String detail) {
            if (detail == null) {
                return 0;
            }
            Integer i = detailIndex.get(detail);
            if (i == null) {
                if (details.size() == 4095) {
                    return 0;
                }
                details.add(detail);
                i = details.size();
                detailIndex.put(detail, i);
            }
            return i;
        }

        private ExecutorService pool() {
            return executors.pool();
        }

        private ExecutorService storeReader() {
            return executors.storeReader();
        }

        /** Stops the executors; on an abort, interrupts calls in flight and waits for them to end. */
        private void stopPool() {
            executors.stop(stopping() && failure.get() == null, stopping() || !windows.isEmpty(),
                    lookup::stopAsking);
        }
    }
}
