package pe.ruccache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.bulk.BulkOptions;
import pe.ruccache.bulk.BulkReport;
import pe.ruccache.bulk.BulkService;
import pe.ruccache.bulk.ColumnSpec;
import pe.ruccache.bulk.CsvInput;
import pe.ruccache.bulk.OutputFile;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.bulk.Progress;
import pe.ruccache.bulk.ProgressBarDisplay;
import pe.ruccache.core.InputException;
import pe.ruccache.core.OutputException;
import pe.ruccache.lookup.StopRequest;
import pe.ruccache.upstream.HttpSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code bulk [FILE|-]}: checks every row of a CSV or plain list; one output row per input row, order kept. */
@Command(name = "bulk", sortOptions = false,
        description = {"Check every row of a CSV file or list of RUCs: one output row per input row, in order.",
            "Each output row has the input's columns followed by ruc_normalized, status, reason, razon_social, "
                + "estado, condicion, direccion, ubigeo, source, fetched_at and policy. Output formats "
                + "(--format): csv (default), jsonl, json.",
            "The delimiter (, ; tab |), the encoding (UTF-8, else Windows-1252) and the RUC column are found "
                + "automatically unless given. A summary goes to stderr; a progress bar too when it is a terminal."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache bulk clientes.csv > revisado.csv",
            "      Check every row; each RUC is asked once, however often it appears.",
            "  ruc-cache bulk --provider padron --offline clientes.csv -o revisado.csv",
            "      Answer from the imported padrón snapshot only: no token, no network.",
            "  ruc-cache bulk --no-header --delimiter ';' --column 3 export.txt > out.csv",
            "      A headerless file separated by semicolons, with the RUC in column 3.",
            "  ruc-cache bulk --format jsonl --rate 5 --max-errors 100 clientes.csv > o.jsonl",
            "      At most 5 requests a second; stop (exit 69) past 100 undetermined RUCs."})
final class BulkCommand extends AbstractCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The CSV or list to check; '-' or nothing reads standard input.")
    String file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write results to FILE instead of stdout ('-'). A file appears only when complete; a "
                    + "device or FIFO is written as it goes.")
    Path output;

    @Option(names = "--column", paramLabel = "NAME|N",
            description = "The RUC column: a header name or a position (1 is the first). "
                    + "Default: a header like ruc or numero_documento, else the column whose values look like RUCs.")
    String column;

    @Option(names = "--no-header", description = "The input has no header line.")
    boolean noHeader;

    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "Field delimiter: ',', ';', '|', 'tab' or another single character (default: sniffed).")
    String delimiter;

    @Option(names = "--encoding", paramLabel = "NAME",
            description = "Input encoding, e.g. utf-8, windows-1252 (default: UTF-8, else Windows-1252).")
    String encoding;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Provider calls in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", paramLabel = "N",
            description = "At most N requests per second to each provider, retries included "
                    + "(env RUC_CACHE_RATE; default no limit).")
    Double rate;

    @Option(names = "--max-errors", paramLabel = "N",
            description = "Stop after more than N RUCs could not be determined (exit 69; no output file).")
    Long maxErrors;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            parameterConsumer = ProgressMode.Consumer.class,
            description = "Progress bar on stderr: auto (when stderr is a terminal), always, never.")
    ProgressMode progress;

    @Option(names = "--window-rows", hidden = true, defaultValue = "" + BulkOptions.DEFAULT_WINDOW_ROWS,
            description = "Rows read, resolved and written together (for tests of window boundaries).")
    int windowRows;

    @Mixin
    ProviderOptions providerOptions;

    @Mixin
    CacheOptions cacheOptions;

    @Mixin
    PolicyOptions policyOptions;

    @Override
    List<OutputFormat> formats() {
        return OutputFormat.BULK;
    }

    @Override
    public Integer call() {
        OutputFormat format = format();
        BulkOptions options = options();
        Charset charset = charset();
        Character sep = delimiterChar();
        Settings settings = settings(providerOptions.providers, cacheOptions.ttlValid, cacheOptions.ttlInvalid,
                rate);
        Path target = outputTarget();
        Interrupts interrupts = context().interrupts();
        StopRequest stop = interrupts.begin();
        try (CsvInput input = openInput(charset, sep);
                OutputFile file = target == null ? null : OutputFile.create(target);
                Services services = services(settings)) {
            BulkService bulk = services.bulkService(services.lookupOptions(cacheOptions.refresh,
                    cacheOptions.maxAge, providerOptions.offline));
            Writer out = file != null ? file.writer() : out();
            BulkReport report;
            try (Progress bar = progress()) {
                report = bulk.run(input, new BulkService.Output(out, format, Json.mapper()), options, bar, stop);
            } catch (UncheckedIOException e) {
                throw new OutputException("cannot write the output"
                        + (target == null ? "" : " to " + target) + ": " + e.getCause().getMessage(), e);
            }
            if (file != null && !report.isAborted()) {
                file.commit();
            }
            out().flush();
            report(report, input, file);
            return interrupts.exitCode(exitCode(report));
        } finally {
            interrupts.end();
        }
    }

    private BulkOptions options() {
        if (concurrency < 1 || concurrency > 256) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be between 1 and 256, not "
                    + concurrency);
        }
        if (rate != null && !(rate > 0 && rate <= HttpSettings.MAX_REQUESTS_PER_SECOND)) {
            // The value as typed: picocli's double shows 1e9 as 1.0E9.
            java.util.List<String> typed = spec.commandLine().getParseResult().matchedOption("--rate").stringValues();
            throw new ParameterException(spec.commandLine(), "--rate must be more than 0 and at most "
                    + String.format(Locale.ROOT, "%.0f", HttpSettings.MAX_REQUESTS_PER_SECOND)
                    + " requests per second (e.g. 5 or 0.5; leave it out for no limit), not "
                    + (typed.isEmpty() ? String.valueOf(rate) : typed.get(typed.size() - 1)));
        }
        if (maxErrors != null && maxErrors < 0) {
            throw new ParameterException(spec.commandLine(), "--max-errors must be 0 or more, not " + maxErrors);
        }
        ColumnSpec columnSpec;
        try {
            columnSpec = column == null ? ColumnSpec.AUTO : ColumnSpec.parse(column);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--column: " + e.getMessage());
        }
        if (noHeader && columnSpec.name() != null) {
            throw new ParameterException(spec.commandLine(), "--column " + column + " names a header column, but "
                    + "--no-header says there is none; give its position instead (1 is the first)");
        }
        return new BulkOptions(columnSpec, noHeader, concurrency, maxErrors == null ? -1 : maxErrors,
                policyOptions.policy(), Math.max(1, windowRows));
    }

    private Charset charset() {
        if (encoding == null) {
            return null;
        }
        try {
            return Charset.forName(encoding.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ParameterException(spec.commandLine(), "unknown encoding '" + encoding
                    + "'; use e.g. utf-8, windows-1252 or iso-8859-1");
        }
    }

    private Character delimiterChar() {
        if (delimiter == null) {
            return null;
        }
        String d = delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
        if (d.length() != 1 || d.charAt(0) == '"' || d.charAt(0) == '\n' || d.charAt(0) == '\r') {
            throw new ParameterException(spec.commandLine(), "--delimiter takes one character such as , ; | or "
                    + "'tab', not '" + delimiter + "'");
        }
        return d.charAt(0);
    }

    private CsvInput openInput(Charset charset, Character sep) {
        if (file == null || file.equals("-")) {
            if (file == null && context().interactive()) {
                throw new ParameterException(spec.commandLine(), "no input: give a FILE, or pipe rows into "
                        + "'ruc-cache bulk -'");
            }
            return CsvInput.open(context().stdin(), "standard input", -1, charset, sep);
        }
        Path path = Path.of(file);
        InputStream in;
        long size;
        try {
            if (Files.isDirectory(path)) {
                throw new InputException("cannot read " + file + ": it is a folder");
            }
            in = Files.newInputStream(path);
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new InputException("cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return CsvInput.open(in, file, size, charset, sep);
    }

    private Progress progress() {
        boolean show = progress == ProgressMode.ALWAYS
                || progress == ProgressMode.AUTO && context().stderrTerminal() && !root().quiet;
        if (!show) {
            return Progress.NONE;
        }
        return new ProgressBarDisplay(err(), TerminalWidth.ofStderr(context().env()));
    }

    /**
     * Returns the {@code --output} file, or null for standard output ({@code -o -} or no option); throws a usage
     * error when it is the input file, which the run would destroy.
     */
    private Path outputTarget() {
        if (output == null || output.toString().equals("-")) {
            return null;
        }
        Path in = file == null || file.equals("-")
                ? (context().stdin() == System.in ? Path.of("/proc/self/fd/0") : null)
                : Path.of(file);
        if (in != null && sameFile(in, output)) {
            throw new ParameterException(spec.commandLine(), "--output " + output + " is the input file"
                    + (file == null || file.equals("-") ? " (standard input)" : "")
                    + "; write to another file (the input was not touched)");
        }
        return output;
    }

    private static boolean sameFile(Path input, Path output) {
        // Normalised as OutputFile normalises the output: "missing/../in.csv" names in.csv there too.
        Path a = input.toAbsolutePath().normalize();
        Path b = output.toAbsolutePath().normalize();
        try {
            return Files.isRegularFile(a) && Files.isRegularFile(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Prints what the user should know on stderr: how the input was read, warnings, the summary, an abort. */
    private void report(BulkReport report, CsvInput input, OutputFile file) {
        if (root().verbose && report.format() != null && report.layout() != null) {
            note(String.format(Locale.ROOT, "read %s as %s, delimiter %s, %s; RUC column: %s", input.name(),
                    report.format().describeEncoding(), report.format().describeDelimiter(),
                    report.layout().hasHeader() ? "with a header" : "no header", report.layout().how()));
        }
        if (StopRequest.OUTPUT_CLOSED.equals(report.aborted())) {
            // Its reader went away (| head): quiet, as a Unix filter killed by SIGPIPE, whatever it read so far.
            err().flush();
            return;
        }
        report.warnings().forEach(this::warn);
        note(report.summary());
        if (report.isAborted()) {
            // Printed even with --quiet (but not to a reader that went away, as for any Unix filter): the exit code alone does not say the output is incomplete.
            err().println("ruc-cache: stopped early: " + report.aborted() + "; every answer received was cached, "
                    + "so a rerun asks only for the rest" + (file == null ? "; the output above is incomplete"
                    : file.isInPlace() ? "; the output written to " + output + " is incomplete"
                    : "; " + output + " was not written"));
        }
        err().flush();
    }

    /** Returns 69 when the run stopped early or any row is ERROR, else 1 when any fails or is INVALID, else 0. */
    static int exitCode(BulkReport report) {
        if (report.isAborted() || report.errors() > 0) {
            return ExitCodes.UNAVAILABLE;
        }
        if (report.invalid() > 0 || report.policyFailures() > 0) {
            return ExitCodes.INVALID;
        }
        return ExitCodes.OK;
    }
}
