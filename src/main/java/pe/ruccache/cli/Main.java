package pe.ruccache.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The program's entry point. */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.config.class") == null) {
            System.setProperty("java.util.logging.config.class", QuietLogging.class.getName());
        }
        if (CommandLineFactory.opensSqlite(args, System.getenv("RUC_CACHE_STORE"))) {
            pe.ruccache.cache.sqlite.SqliteConnection.preload();
        }
        CliContext context = CliContext.system();
        Interrupts interrupts = context.interrupts();
        interrupts.install();
        WriteFailure stdout = new WriteFailure(new FileOutputStream(FileDescriptor.out), interrupts::outputClosed);
        // UTF-8 always: names carry Ñ and accents, and programs read this output whatever the locale says.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8),
                1 << 16));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code;
        try {
            code = CommandLineFactory.create(context, out, err, args).execute(args);
        } catch (OutOfMemoryError e) {
            // Not exit 1 (which means "invalid RUCs" to scripts) and not a stack trace: one line that says what to do.
            err.println("ruc-cache: out of memory: the Java heap is too small for this run; give it more, e.g. "
                    + "RUC_CACHE_JAVA_OPTS=-Xmx256m");
            err.flush();
            System.exit(ExitCodes.SOFTWARE);
            return;
        }
        out.flush();
        int exit = exitCode(code, stdout, err);
        if (interrupts.signal() != 0) {
            err.flush();
            interrupts.raiseAgain();
        }
        System.exit(exit);
    }

    /**
     * Returns the exit code once stdout has been written: a PrintWriter hides write errors, so a full disk under
     * {@code > revisados.csv} would otherwise look like success. A closed pipe ({@code | head}) is the reader's
     * choice, not an error: the command stopped on it and returned its status (141, as for SIGPIPE).
     */
    static int exitCode(int code, WriteFailure stdout, PrintWriter err) {
        IOException failure = stdout.failure;
        if (failure == null) {
            return code;
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (isClosedPipe(failure)) {
            return code;
        }
        err.println("ruc-cache: cannot write the results to standard output (" + message
                + "); they are incomplete");
        err.flush();
        return ExitCodes.STORE;
    }

    /** Returns whether {@code e} says the reader of the stream closed it (EPIPE). */
    static boolean isClosedPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    /**
     * Remembers the first error writing to the wrapped stream, which a PrintWriter would swallow, and tells
     * {@code onClosed} when the error is a reader that closed the stream, so the run stops rather than compute rows
     * nobody reads.
     */
    static final class WriteFailure extends FilterOutputStream {
        volatile IOException failure;
        private final Runnable onClosed;

        WriteFailure(OutputStream out, Runnable onClosed) {
            super(out);
            this.onClosed = onClosed;
        }

        WriteFailure(OutputStream out) {
            this(out, () -> { });
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        private void remember(IOException e) {
            if (failure == null) {
                failure = e;
                if (isClosedPipe(e)) {
                    onClosed.run();
                }
            }
        }
    }
}
