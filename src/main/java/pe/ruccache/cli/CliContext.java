package pe.ruccache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the command line takes from the process: environment, home folder, standard input, clock, and whether a
 * person is at a terminal. Tests build their own.
 *
 * @param env the environment variables
 * @param userHome the user's home folder
 * @param stdin standard input
 * @param clock the time source
 * @param interactive whether stdin and stdout are a terminal (confirmations may be asked)
 * @param stderrTerminal whether stderr is a terminal (progress may be drawn there)
 * @param interrupts what signals and a closed stdout do to a run
 */
public record CliContext(Map<String, String> env, Path userHome, InputStream stdin, Clock clock,
        boolean interactive, boolean stderrTerminal, Interrupts interrupts) {

    /** Creates a context whose signals only stop runs (they end no process), as commands run in-process want. */
    public CliContext(Map<String, String> env, Path userHome, InputStream stdin, Clock clock, boolean interactive,
            boolean stderrTerminal) {
        this(env, userHome, stdin, clock, interactive, stderrTerminal, new Interrupts());
    }

    /** Creates a context whose stderr is not a terminal. */
    public CliContext(Map<String, String> env, Path userHome, InputStream stdin, Clock clock, boolean interactive) {
        this(env, userHome, stdin, clock, interactive, false);
    }

    /** Returns the context of the running process, whose signals end it as {@link Interrupts} describes. */
    public static CliContext system() {
        Map<String, String> env = System.getenv();
        // $HOME first, as every Unix tool does; Java's user.home comes from the password file and ignores it.
        String home = env.get("HOME");
        Path userHome = home != null && !home.isBlank() && Path.of(home).isAbsolute() ? Path.of(home)
                : Path.of(System.getProperty("user.home"));
        return new CliContext(env, userHome, System.in, Clock.systemUTC(), System.console() != null,
                stderrIsTerminal(), Interrupts.forProcess());
    }

    /**
     * Returns whether file descriptor 2 is a terminal. Java 17 cannot ask isatty(2); on Linux the descriptor's link
     * names the device, and elsewhere the answer is no, which only hides the progress bar.
     */
    private static boolean stderrIsTerminal() {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
