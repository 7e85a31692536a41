package pe.ruccache.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sun.misc.Signal;

/**
 * The width in columns of the terminal that standard error is on, for progress bars: what {@code stty size} says,
 * else {@code COLUMNS} (which bash sets but does not export), else 80. It is measured when first asked, which is when
 * a bar is first drawn, and again only after the terminal was resized ({@code SIGWINCH}); never once per redraw.
 * Asking {@code stty} instead of a terminal library keeps start-up fast: nothing is loaded unless a bar is shown.
 */
final class TerminalWidth implements IntSupplier {

    /** The width when neither the terminal nor {@code COLUMNS} gives one. */
    static final int DEFAULT = 80;
    /** How long {@code stty} may take; a terminal answers within milliseconds. */
    private static final long STTY_TIMEOUT_MILLIS = 500;
    private static final Pattern STTY_SIZE = Pattern.compile("(\\d{1,9})\\s+(\\d{1,9})");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    /** Counts the resizes of this process's terminal: a width measured before the latest one is stale. */
    private static final AtomicInteger RESIZES = new AtomicInteger();
    private static final AtomicBoolean WATCHING = new AtomicBoolean();
    private static final AtomicBoolean HANDLED = new AtomicBoolean();

    private final Supplier<String> stty;
    private final String columnsVariable;
    private boolean measured;
    private int measuredAt;
    private int columns;

    /**
     * Creates a width source.
     *
     * @param stty returns what {@code stty size} printed, or null when it failed
     * @param columnsVariable the value of {@code COLUMNS}, or null
     */
    TerminalWidth(Supplier<String> stty, String columnsVariable) {
        this.stty = stty;
        this.columnsVariable = columnsVariable;
    }

    /** Returns the width of the terminal that standard error is on; nothing runs until it is first asked. */
    static TerminalWidth ofStderr(Map<String, String> env) {
        return new TerminalWidth(() -> {
            watchResizes();
            return sttySize();
        }, env.get("COLUMNS"));
    }

    /** Returns the terminal's width in columns, measured again when the terminal was resized since the last time. */
    @Override
    public synchronized int getAsInt() {
        // Read before measuring: a resize while stty runs makes the next call measure again.
        int resizes = RESIZES.get();
        if (!measured || resizes != measuredAt) {
            int fromTerminal = parseSttySize(stty.get());
            columns = fromTerminal > 0 ? fromTerminal : parseColumnsVariable(columnsVariable);
            measured = true;
            measuredAt = resizes;
        }
        return columns;
    }

    /** Marks every width measured so far as stale, as a {@code SIGWINCH} does. */
    static void resized() {
        RESIZES.incrementAndGet();
    }

    /** Returns the columns in {@code stty size}'s "rows columns", or 0 when it is missing, malformed or zero. */
    static int parseSttySize(String output) {
        if (output == null) {
            return 0;
        }
        Matcher m = STTY_SIZE.matcher(output.strip());
        // A pseudo-terminal nobody sized says "0 0"; rows alone being 0 still leaves a usable width.
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    /** Returns {@code COLUMNS} when it is a positive whole number, else {@link #DEFAULT}. */
    static int parseColumnsVariable(String value) {
        if (value == null || !NUMBER.matcher(value.strip()).matches()) {
            return DEFAULT;
        }
        int n = Integer.parseInt(value.strip());
        return n > 0 ? n : DEFAULT;
    }

    /**
     * Handles {@code SIGWINCH} from now on, once per process, and returns whether it is handled; where it cannot be,
     * a bar keeps its first width.
     */
    static boolean watchResizes() {
        if (WATCHING.compareAndSet(false, true)) {
            try {
                Signal.handle(new Signal("WINCH"), s -> resized());
                HANDLED.set(true);
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // Not a signal of this platform (Windows), or no jdk.unsupported module in this Java.
            }
        }
        return HANDLED.get();
    }

    /**
     * Returns what {@code stty size} prints about the terminal that standard error is on (its stdin is that device,
     * opened by this process), or null when it fails, is not there or takes too long.
     */
    private static String sttySize() {
        Path stderr = Path.of("/proc/self/fd/2");
        File device = Files.exists(stderr) ? stderr.toFile() : new File("/dev/tty");
        Process process = null;
        try {
            process = new ProcessBuilder("stty", "size").redirectInput(device).redirectError(Redirect.DISCARD)
                    .start();
            if (!process.waitFor(STTY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return null;
            }
            try (InputStream out = process.getInputStream()) {
                return new String(out.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }
}
