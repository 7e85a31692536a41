package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors, configuration errors and the global-option contract, for every command. */
class CommandLineContractTest {

    @TempDir
    Path home;

    private CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(home);
    }

    /** Asserts a usage error: exit 64, one stderr line that names the problem, nothing on stdout. */
    private static void assertUsageError(CliHarness.Result r, String expected) {
        assertEquals(64, r.code(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ruc-cache: ") && r.err().contains(expected), r.err());
    }

    @Test
    void unknownOption_exit64() {
        assertUsageError(cli.run("lookup", "--frobnicate", "20100038146"), "unknown option: '--frobnicate'");
        assertUsageError(cli.run("lookup", "--ofline", "20100038146"),
                "unknown option: '--ofline' (did you mean --offline?); see 'ruc-cache lookup --help'");
        // The misspelt option's value takes the file's place; the file name is not reported as an option.
        CliHarness.Result shifted = cli.run("bulk", "--offline", "--formta", "jsonl", "clientes.csv");
        assertUsageError(shifted, "unknown option: '--formta' (did you mean --format?)");
        assertFalse(shifted.err().contains("clientes.csv"), shifted.err());
    }

    @Test
    void unknownCommand_exit64WithSuggestion() {
        assertUsageError(cli.run("lokup", "20100038146"),
                "ruc-cache: unknown command 'lokup' (did you mean lookup?); see 'ruc-cache --help'\n");
    }

    @Test
    void missingCommand_exit64() {
        assertUsageError(cli.run(), "missing command");
    }

    @Test
    void malformedDuration_exit64WithExamples() {
        CliHarness.Result r = cli.run("lookup", "--max-age", "5x", "20100038146");
        assertUsageError(r, "'5x' is not a duration; use e.g. 90s, 15m, 1h or 7d");
    }

    @Test
    void unsupportedFormat_exit64() {
        assertUsageError(cli.run("lookup", "--format", "xml", "20100038146"), "'xml' is not a format; lookup and "
                + "invalid list: table, json, jsonl, csv; bulk: csv, jsonl, json; stats: table, json, prometheus;");
        assertUsageError(cli.run("lookup", "--format", "prometheus", "20100038146"),
                "'prometheus' is not a format of lookup; use one of: table, json, jsonl, csv");
        assertUsageError(cli.run("stats", "--format", "csv"), "use one of: table, json, prometheus");
        // A forgotten format value is a bad format, not a missing RUC.
        assertUsageError(cli.run("lookup", "--format", "20100038146"), "'20100038146' is not a format");
        // health is a Nagios plugin: a check that cannot run is UNKNOWN (3).
        assertEquals(3, cli.run("health", "--format", "csv").code());
    }

    @Test
    void unexpectedArgument_oneLine() {
        assertUsageError(cli.run("stats", "20100038146"), "unexpected argument '20100038146'");
    }

    @Test
    void emptyStorePath_exit64() {
        assertUsageError(cli.run("--store", "", "stats"), "--store needs a file path");
    }

    @Test
    void binaryStdin_exit65() {
        CliHarness.Result r = cli.runWithInput("PK\u0003\u0004\u0000\u0000garbage\n", "lookup", "-");
        assertEquals(65, r.code(), r.toString());
        assertEquals("ruc-cache: standard input looks like a binary file, not a list of RUCs\n", r.err());
    }

    @Test
    void unknownProviderFromEnvironment_exit78NamingTheVariable() {
        cli.env.put("RUC_CACHE_PROVIDERS", "migo,sunatx");
        CliHarness.Result r = cli.run("lookup", "20100038147");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("unknown provider 'sunatx'") && r.err().contains("(from RUC_CACHE_PROVIDERS)"),
                r.err());
    }

    @Test
    void relativeXdgCacheHome_ignored() {
        cli.env.remove("RUC_CACHE_HOME");
        cli.env.put("XDG_CACHE_HOME", "relative/cache");
        CliHarness.Result r = cli.run("lookup", "--offline", "20100038147");
        assertEquals(1, r.code(), r.toString());
        assertTrue(java.nio.file.Files.isRegularFile(home.resolve(".cache").resolve("ruc-cache").resolve("cache.db")),
                r.toString());
    }

    @Test
    void unknownProvider_exit78() {
        CliHarness.Result r = cli.run("lookup", "--provider", "sunatx", "20100038146");
        assertEquals(78, r.code(), r.toString());
        assertEquals("ruc-cache: unknown provider 'sunatx'; known providers: migo, decolecta, apisnet, padron\n",
                r.err());
    }

    @Test
    void malformedDurationInEnvironment_exit78NamingTheVariable() {
        cli.env.put("RUC_CACHE_TTL_VALID", "an hour");
        CliHarness.Result r = cli.run("lookup", "20100038147");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("RUC_CACHE_TTL_VALID"), r.err());
    }

    @Test
    void configFileNotUtf8_exit78() throws Exception {
        Path config = home.resolve("latin1.properties");
        Files.write(config,
                "# configuraci\u00f3n\nttl.valid=1h\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliHarness.Result r = cli.run("--config", config.toString(), "stats");
        assertEquals(78, r.code(), r.toString());
        assertEquals("ruc-cache: config file " + config + " is not UTF-8 text; save it as UTF-8\n", r.err());
    }

    @Test
    void malformedConfigFile_exit78() throws Exception {
        Path config = home.resolve("bad.properties");
        Files.writeString(config, "migo.token=\\uZZZZ\n");
        CliHarness.Result r = cli.run("--config", config.toString(), "lookup", "20100038147");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().startsWith("ruc-cache: malformed config file " + config), r.err());
    }

    @Test
    void configFileWithUnknownKey_exit78ListingKnownKeys() throws Exception {
        Path config = home.resolve("typo.properties");
        Files.writeString(config, "migo.tokn=abc\n");
        CliHarness.Result r = cli.run("--config", config.toString(), "stats");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("unknown key migo.tokn"), r.err());
        assertTrue(r.err().contains("<provider>.token"), r.err());
    }

    @Test
    void unreadableConfigFile_exit78() throws Exception {
        // A folder cannot be read as a file, even by root.
        Path folder = Files.createDirectories(home.resolve("a-folder"));
        CliHarness.Result r = cli.run("--config", folder.toString(), "stats");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().startsWith("ruc-cache: cannot read config file " + folder), r.err());
    }

    @Test
    void missingExplicitConfigFile_exit78() {
        CliHarness.Result r = cli.run("--config", home.resolve("nope.properties").toString(), "stats");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void globalOptions_acceptedBeforeAndAfterCommandWord() {
        Path store = home.resolve("elsewhere").resolve("x.db");
        CliHarness.Result before = cli.run("--store", store.toString(), "--format", "jsonl", "lookup", "20100038147");
        CliHarness.Result after = cli.run("lookup", "20100038147", "--store", store.toString(), "--format", "jsonl");
        assertEquals(1, before.code(), before.toString());
        assertEquals(before.out(), after.out());
        assertTrue(Files.exists(store));
        assertTrue(before.out().startsWith("{\"input\":\"20100038147\""), before.out());
    }

    @Test
    void help_listsExitCodesAndCommands() {
        CliHarness.Result r = cli.run("--help");
        assertEquals(0, r.code());
        for (String word : new String[] {"lookup", "invalid", "stats", "health", "clear", "Exit codes:", "69",
            "74", "78"}) {
            assertTrue(r.out().contains(word), word + " in\n" + r.out());
        }
        CliHarness.Result sub = cli.run("lookup", "--help");
        assertEquals(0, sub.code());
        assertTrue(sub.out().contains("--require-habido") && !sub.out().contains("Exit codes:")
                && sub.out().contains("Exit codes and environment variables: see 'ruc-cache --help'"), sub.out());
    }

    @Test
    void version_printsVersionCommitBuildTimeAndTheJavaInUse() {
        CliHarness.Result r = cli.run("--version");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        java.util.regex.Matcher first = java.util.regex.Pattern.compile(
                "ruc-cache (\\d+\\.\\d+\\.\\d+\\S*) \\(commit ([0-9a-f]{12}|unknown), built (\\S+)\\)")
                .matcher(lines.get(0));
        assertTrue(first.matches(), lines.get(0));
        java.time.Instant.parse(first.group(3));
        assertEquals("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home"), lines.get(1));
    }

    @Test
    void tokenOnCommandLine_rejectedAsUnknownOption() {
        // Tokens are never accepted as arguments: they would show in ps and shell history.
        assertEquals(64, cli.run("lookup", "--token", "abc", "20100038146").code());
    }
}
