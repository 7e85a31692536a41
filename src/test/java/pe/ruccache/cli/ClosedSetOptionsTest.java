package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.AutoComplete;
import picocli.CommandLine;

/** Options whose values are a closed set (--format per command, bulk's --progress): help, completion, errors. */
class ClosedSetOptionsTest {

    @TempDir
    Path home;

    private CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(home);
    }

    private static CommandLine commandLine() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        return CommandLineFactory.create(CliContext.system(), nowhere, nowhere);
    }

    private static List<String> candidates(CommandLine cmd, String... path) {
        for (String word : path) {
            cmd = cmd.getSubcommands().get(word);
        }
        List<String> out = new ArrayList<>();
        cmd.getCommandSpec().findOption("--format").completionCandidates().forEach(out::add);
        return out;
    }

    @Test
    void format_completionCandidates_exactlyTheCommandsFormats() {
        CommandLine cmd = commandLine();
        assertEquals(List.of("table", "json", "jsonl", "csv"), candidates(cmd, "lookup"));
        assertEquals(List.of("table", "json", "jsonl", "csv"), candidates(cmd, "invalid", "list"));
        assertEquals(List.of("csv", "jsonl", "json"), candidates(cmd, "bulk"));
        assertEquals(List.of("table", "json", "prometheus"), candidates(cmd, "stats"));
        assertEquals(List.of("table", "json"), candidates(cmd, "health"));
        assertEquals(List.of("table", "json"), candidates(cmd, "padron", "status"));
        assertEquals(List.of("table", "json"), candidates(cmd, "clear"));
    }

    @Test
    void format_bashCompletion_offersEachCommandsFormats() {
        String script = AutoComplete.bash("ruc-cache", commandLine());
        assertTrue(script.contains("FORMAT_option_args=(\"table\" \"json\" \"prometheus\")"), "stats' formats");
        assertTrue(script.contains("FORMAT_option_args=(\"csv\" \"jsonl\" \"json\")"), "bulk's formats");
        assertTrue(script.contains("WHEN_option_args=(\"auto\" \"always\" \"never\")"), "bulk's progress modes");
    }

    @Test
    void format_commandHelp_listsItsFormatsAndDefault() {
        String lookup = cli.run("lookup", "--help").out().replaceAll("\\s+", " ");
        assertTrue(lookup.contains("Output format: table, json, jsonl, csv (default table)."), lookup);
        String bulk = cli.run("bulk", "--help").out().replaceAll("\\s+", " ");
        assertTrue(bulk.contains("Output format: csv, jsonl, json (default csv)."), bulk);
        String root = cli.run("--help").out().replaceAll("\\s+", " ");
        assertTrue(root.contains("Output format: lookup and invalid list: table, json, jsonl, csv; bulk: csv, jsonl, "
                + "json; stats: table, json, prometheus; the others: table, json."), root);
    }

    @Test
    void format_badValues_sameOneLineUsageErrors() {
        CliHarness.Result none = cli.run("lookup", "--format", "xml", "20100038146");
        assertEquals(64, none.code());
        assertEquals("ruc-cache: invalid value for option '--format': 'xml' is not a format; lookup and invalid list: "
                + "table, json, jsonl, csv; bulk: csv, jsonl, json; stats: table, json, prometheus; the others: table, "
                + "json; see 'ruc-cache lookup --help'\n", none.err());
        assertTrue(cli.run("help", "--format", "xml").err().startsWith("ruc-cache: invalid value for option "
                + "'--format': 'xml' is not a format; lookup and invalid list:"), "the help command too");
        CliHarness.Result other = cli.run("--format", " PROMETHEUS", "lookup", "20100038146");
        assertEquals(64, other.code());
        assertEquals("ruc-cache: 'prometheus' is not a format of lookup; use one of: table, json, jsonl, csv; see "
                + "'ruc-cache lookup --help'\n", other.err());
        assertEquals("ruc-cache: 'jsonl' is not a format of invalid show; use one of: table, json; see "
                + "'ruc-cache invalid show --help'\n", cli.run("invalid", "show", "--format", "JSONL", "20100038146")
                .err());
    }

    @Test
    void format_caseInsensitive() {
        CliHarness.Result r = cli.run("lookup", "--offline", "--format", "JSONL", "20100038147");
        assertTrue(r.out().startsWith("{\"input\":\"20100038147\""), r.toString());
    }

    @Test
    void progress_badValue_sameOneLineUsageError() {
        CliHarness.Result r = cli.runWithInput("ruc\n20100038146\n", "bulk", "--progress", "sometimes");
        assertEquals(64, r.code());
        assertEquals("ruc-cache: --progress takes auto, always or never, not 'sometimes'; "
                + "see 'ruc-cache bulk --help'\n", r.err());
        CliHarness.Result missing = cli.runWithInput("ruc\n20100038146\n", "bulk", "--progress");
        assertEquals(64, missing.code());
        assertEquals("ruc-cache: missing required parameter for option '--progress' (WHEN); see 'ruc-cache bulk "
                + "--help'\n", missing.err());
    }

    @Test
    void progress_caseInsensitive_andCompleted() {
        CliHarness.Result r = cli.runWithInput("ruc\n20100038147\n", "bulk", "--offline", "--progress", " ALWAYS ");
        assertTrue(r.err().contains("hits 0 calls 0"), r.toString());
        List<String> out = new ArrayList<>();
        commandLine().getSubcommands().get("bulk").getCommandSpec().findOption("--progress").completionCandidates()
                .forEach(out::add);
        assertEquals(List.of("auto", "always", "never"), out);
        assertTrue(cli.run("bulk", "--help").out().replaceAll("\\s+", " ")
                .contains("auto (when stderr is a terminal), always, never"));
    }

    @Test
    void provider_namesComeFromTheCatalog_inHelpAndCompletion() {
        List<String> known = pe.ruccache.upstream.ProviderCatalog.knownProviders();
        for (String command : List.of("lookup", "bulk")) {
            List<String> out = new ArrayList<>();
            commandLine().getSubcommands().get(command).getCommandSpec().findOption("--provider")
                    .completionCandidates().forEach(out::add);
            assertEquals(known, out, command);
            assertTrue(cli.run(command, "--help").out().replaceAll("\\s+", " ")
                    .contains("Providers to ask, in order: " + String.join(", ", known) + " (default migo"), command);
        }
        List<String> sources = new ArrayList<>();
        commandLine().getSubcommands().get("clear").getCommandSpec().findOption("--provider").completionCandidates()
                .forEach(sources::add);
        List<String> expected = new ArrayList<>(pe.ruccache.upstream.ProviderCatalog.networkProviders());
        expected.addAll(List.of("manual", "local"));
        assertEquals(expected, sources);
    }
}
