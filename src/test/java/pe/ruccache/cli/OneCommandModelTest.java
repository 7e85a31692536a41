package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Main builds only the model of the command a line runs (start-up): every line must then print and exit exactly as
 * it does with every command's model built, help, errors and suggestions included.
 */
class OneCommandModelTest {

    static Stream<List<String>> lines() {
        String ruc = "20100038146";
        return Stream.of(
                List.of(), List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"),
                List.of("--version", "--version"), List.of("help"),
                List.of("help", "lookup"), List.of("help", "nosuch"), List.of("nosuch"), List.of("bluk", "x.csv"),
                List.of("LOOKUP", ruc), List.of("lookup"), List.of("lookup", "--help"), List.of("lookup", "-h"),
                List.of("lookup", "--offline", ruc), List.of("lookup", "--offline", "20100038147", "123"),
                List.of("--format", "json", "lookup", "--offline", ruc),
                List.of("--format=jsonl", "lookup", "--offline", ruc), List.of("--format", "xml", "lookup", ruc),
                List.of("lookup", "--format", "xml", ruc), List.of("--format", "csv", "stats"),
                List.of("stats", "--format", "yaml"), List.of("--format"), List.of("--format", "json"),
                List.of("--store"), List.of("--store", "lookup"), List.of("--store", "--config", "lookup", ruc),
                List.of("--store=", "stats"), List.of("-q", "lookup", "--offline", "20100038147"),
                List.of("-qv", "lookup", "--offline", ruc), List.of("--bogus", "lookup", ruc),
                List.of("lookup", "--bogus", ruc), List.of("--", "lookup", ruc), List.of("lookup", "--", ruc),
                List.of("lookup", "help"), List.of("lookup", "--ttl-valid", "0s", ruc),
                List.of("lookup", "--ttl-valid", "abc", ruc), List.of("--help", "lookup"), List.of("-V", "lookup"),
                List.of("bulk", "--help"), List.of("bulk"), List.of("bulk", "/nonexistent/clientes.csv"),
                List.of("bulk", "--rate", "abc", "x.csv"), List.of("invalid"), List.of("invalid", "list"),
                List.of("invalid", "show"), List.of("invalid", "show", ruc), List.of("invalid", "nosuch"),
                List.of("invalid", "list", "--format", "xml"), List.of("stats"), List.of("stats", "--format", "json"),
                List.of("--config", "/nonexistent/config.properties", "stats"),
                List.of("--verbose", "--stacktrace", "stats", "--format", "table"), List.of("health", "--help"),
                List.of("clear", "--help"), List.of("clear"), List.of("padron"), List.of("padron", "status"),
                List.of("padron", "import"), List.of("padron", "import", "--help"), List.of("padron", "nosuch"));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void printsAndExitsAsWithEveryCommand(List<String> line, @TempDir Path dir) {
        String[] args = line.toArray(String[]::new);
        CliHarness.Result one = harness(dir.resolve("one"), false).run(args);
        CliHarness.Result every = harness(dir.resolve("every"), true).run(args);
        assertEquals(normal(every, dir.resolve("every")), normal(one, dir.resolve("one")), String.join(" ", line));
    }

    /** The run as text, its home folder named HOME; a stack trace's frames (--stacktrace) are left out. */
    private static String normal(CliHarness.Result result, Path home) {
        return result.toString().replace(home.toString(), "HOME").replaceAll("(?m)^\\s+(at |\\.\\.\\. ).*\\n", "");
    }

    private static CliHarness harness(Path home, boolean everyCommand) {
        CliHarness cli = new CliHarness(home);
        cli.clock = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
        cli.everyCommand = everyCommand;
        return cli;
    }

    @Test
    void buildsOnlyTheCommandALineNames() {
        assertEquals(List.of("lookup"), names(new String[] {"lookup", "20100038146"}));
        assertEquals(List.of("invalid"), names(new String[] {"--store", "x.db", "-q", "invalid", "show", "1"}));
        assertEquals(List.of("stats"), names(new String[] {"--format=json", "stats"}));
        assertEquals(CommandLineFactory.COMMANDS, names(new String[] {"help", "lookup"}));
        assertEquals(CommandLineFactory.COMMANDS, names(new String[] {"-qv", "lookup"}));
        assertEquals(CommandLineFactory.COMMANDS, names(new String[] {"--store"}));
        assertEquals(List.of(), names(new String[] {"--version"}));
        assertEquals(List.of(), names(new String[] {"-V"}));
        assertEquals(CommandLineFactory.COMMANDS, names(new String[] {"-V", "lookup"}));
        assertNull(CommandLineFactory.commandWord(new String[] {"--store", "lookup"}));
    }

    @Test
    void preloadsTheSqliteDriverOnlyForACommandOnASqliteStore() {
        assertTrue(CommandLineFactory.opensSqlite(new String[] {"lookup", "20100038146"}, null));
        assertTrue(CommandLineFactory.opensSqlite(new String[] {"--store", "x.db", "stats"}, ""));
        assertFalse(CommandLineFactory.opensSqlite(new String[] {"--store", "redis://h:6379", "stats"}, null));
        assertFalse(CommandLineFactory.opensSqlite(new String[] {"stats", "--store=redis://h:6379"}, null));
        assertFalse(CommandLineFactory.opensSqlite(new String[] {"lookup", "20100038146"}, "rediss://h:6380"));
        assertFalse(CommandLineFactory.opensSqlite(new String[] {"--help"}, null));
        assertFalse(CommandLineFactory.opensSqlite(new String[] {"help", "lookup"}, null));
    }

    @Test
    void everyCommandKeepsTheNameItDeclares() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        CommandLine all = CommandLineFactory.create(CliContext.system(), nowhere, nowhere);
        assertEquals(CommandLineFactory.COMMANDS, new ArrayList<>(all.getSubcommands().keySet()));
        all.getSubcommands().forEach((name, sub) ->
                assertEquals(name, sub.getCommand().getClass().getAnnotation(Command.class).name()));
    }

    private static List<String> names(String[] args) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        return new ArrayList<>(CommandLineFactory.create(CliContext.system(), nowhere, nowhere, args)
                .getSubcommands().keySet());
    }
}
