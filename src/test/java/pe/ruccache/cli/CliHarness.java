package pe.ruccache.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the command line in-process the way {@link Main} does, with its own environment, home folder, stdin and
 * clock, and captures stdout, stderr and the exit code.
 */
final class CliHarness {

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Map<String, String> env = new HashMap<>();
    final Path home;
    Clock clock = Clock.systemUTC();
    boolean interactive;
    boolean stderrTerminal;
    /** What a test delivers signals through (as the process's handlers would); ends no process. */
    Interrupts interrupts = new Interrupts();
    /** Hears stderr as it is written (a running {@code serve} says where it listens), or null. */
    java.util.function.Consumer<String> errListener;
    /** Builds every command's model for each run, as help does, instead of only the one that runs. */
    boolean everyCommand;

    /** Creates a harness whose cache and config live under {@code home}, with no provider token. */
    CliHarness(Path home) {
        this.home = home;
        env.put("RUC_CACHE_HOME", home.resolve("cache").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        // Fast, deterministic retries: the resilience itself is tested in the upstream package.
        env.put("RUC_CACHE_HTTP_TIMEOUT", "2s");
        env.put("RUC_CACHE_LOCK_TIMEOUT", "2s");
    }

    Path cacheFile() {
        return home.resolve("cache").resolve("cache.db");
    }

    /** Creates the empty cache a first lookup would, for tests of commands that only read an existing one. */
    void createCache() {
        pe.ruccache.cache.sqlite.SqliteStore.open(cacheFile(), java.time.Duration.ofSeconds(2)).close();
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        return runWithBytes(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    Result runWithBytes(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter() {
            @Override
            public void write(String s, int off, int len) {
                super.write(s, off, len);
                if (errListener != null) {
                    errListener.accept(toString());
                }
            }
        };
        CliContext context = new CliContext(Map.copyOf(env), home, new ByteArrayInputStream(stdin), clock,
                interactive, stderrTerminal, interrupts);
        // As Main builds it: only the command that runs, when the line names one.
        int code = CommandLineFactory.create(context, new PrintWriter(out, true), new PrintWriter(err, true),
                everyCommand ? null : args).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
