package pe.ruccache.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;
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
        return new BulkRun(lookup, counters, input, output, options, progress, stop).execute();
    }

}
