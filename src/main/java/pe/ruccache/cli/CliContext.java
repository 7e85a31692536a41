package pe.ruccache.cli;

import java.io.InputStream;
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
 */
public record CliContext(Map<String, String> env, Path userHome, InputStream stdin, Clock clock,
        boolean interactive) {

    /** Returns the context of the running process. */
    public static CliContext system() {
        return new CliContext(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
                Clock.systemUTC(), System.console() != null);
    }
}
