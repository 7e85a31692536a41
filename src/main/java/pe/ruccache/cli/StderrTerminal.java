package pe.ruccache.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether standard error is a terminal, so that progress bars are drawn for a person and never into a log
 * file or a cron mail. Java 17 cannot ask isatty(2) directly; on Linux the descriptor's link in {@code /proc} says
 * where it goes. Where that cannot be read, it says yes and leaves the decision to {@link CliContext#interactive()}.
 */
final class StderrTerminal {

    private StderrTerminal() {
    }

    /** Returns whether file descriptor 2 is a terminal, or true when this system cannot tell. */
    static boolean isTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }
}
