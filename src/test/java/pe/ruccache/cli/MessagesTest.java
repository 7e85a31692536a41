package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The messages a trial flagged: each is one line that says what is wrong and what to do. */
class MessagesTest {

    @TempDir
    Path home;

    private CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(home);
    }

    private static void assertOneLine(CliHarness.Result r) {
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("ruc-cache: "), r.toString());
    }

    @Test
    void helpOfUnknownCommand_namesItOnceWithoutBrokenPunctuation() {
        CliHarness.Result r = cli.run("help", "nosuch");
        assertEquals(64, r.code(), r.toString());
        assertOneLine(r);
        assertEquals("ruc-cache: unknown command 'nosuch'; see 'ruc-cache --help'\n", r.err());

        CliHarness.Result typo = cli.run("help", "lookpu");
        assertEquals("ruc-cache: unknown command 'lookpu' (did you mean lookup?); see 'ruc-cache --help'\n",
                typo.err());
    }

    @Test
    void commandAfterDoubleDash_explainsTheDoubleDash() {
        CliHarness.Result r = cli.run("--", "lookup", "20100038146");
        assertEquals(64, r.code(), r.toString());
        assertOneLine(r);
        // "did you mean lookup?" about the word 'lookup' itself helped no one: what is wrong is the '--' before it.
        assertEquals("ruc-cache: '--' ends the options, so 'lookup' after it is not read as a command; "
                + "leave out the '--' (ruc-cache lookup ...); see 'ruc-cache --help'\n", r.err());
    }

    @Test
    void rateAboveTheLimit_saysTheLimit() throws Exception {
        Path input = Files.writeString(home.resolve("in.csv"), "20100038146\n");
        CliHarness.Result r = cli.run("bulk", "--offline", "--rate", "1e9", input.toString());
        assertEquals(64, r.code(), r.toString());
        assertOneLine(r);
        assertTrue(r.err().contains("--rate must be more than 0 and at most 1000000 requests per second"), r.err());
        assertTrue(r.err().contains("not 1e9"), "the value as typed: " + r.err());

        cli.env.put("RUC_CACHE_RATE", "1e9");
        CliHarness.Result env = cli.run("bulk", "--offline", input.toString());
        assertEquals(78, env.code(), env.toString());
        assertOneLine(env);
        assertTrue(env.err().contains("at most 1000000") && env.err().contains("RUC_CACHE_RATE"), env.err());
    }

    @Test
    void ttlTooLong_saysSoAndTheLongest() {
        CliHarness.Result r = cli.run("lookup", "--offline", "--ttl-valid", "99999999999d", "20100038146");
        assertEquals(64, r.code(), r.toString());
        assertOneLine(r);
        assertTrue(r.err().contains("'99999999999d' is too long; the longest is 36525d (100 years)"), r.err());

        CliHarness.Result longer = cli.run("lookup", "--offline", "--ttl-valid", "999999999d", "20100038146");
        assertTrue(longer.err().contains("'999999999d' is too long; the longest is 36525d (100 years)"),
                longer.err());

        cli.env.put("RUC_CACHE_TTL_VALID", "99999999999d");
        CliHarness.Result env = cli.run("lookup", "--offline", "20100038146");
        assertEquals(78, env.code(), env.toString());
        assertTrue(env.err().contains("is too long") && env.err().contains("RUC_CACHE_TTL_VALID"), env.err());
    }

    @Test
    void redisPortNotANumber_saysThePortIsWrong() {
        CliHarness.Result r = cli.run("--store", "redis://host:abc", "stats");
        assertEquals(78, r.code(), r.toString());
        assertOneLine(r);
        assertTrue(r.err().contains("the port 'abc' is not a number from 1 to 65535"), r.err());

        CliHarness.Result big = cli.run("--store", "redis://host:99999", "stats");
        assertEquals(78, big.code(), big.toString());
        assertTrue(big.err().contains("the port '99999' is not a number from 1 to 65535"), big.err());
    }

    @Test
    void everyCommandsHelp_noPicocliWarning() {
        // picocli warns on the process's own stderr, not on the command line's: watch that one.
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream processErr = new java.io.ByteArrayOutputStream();
        java.util.List<String> helped = new java.util.ArrayList<>();
        try {
            System.setErr(new java.io.PrintStream(processErr, true, java.nio.charset.StandardCharsets.UTF_8));
            forEachCommand(CommandLineFactory.create(new CliContext(java.util.Map.of(), home,
                    java.io.InputStream.nullInputStream(), java.time.Clock.systemUTC(), false, false,
                    new Interrupts()), new java.io.PrintWriter(java.io.Writer.nullWriter()),
                    new java.io.PrintWriter(java.io.Writer.nullWriter())), new java.util.ArrayList<>(), helped);
        } finally {
            System.setErr(saved);
        }
        String warnings = processErr.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(helped.contains("padron import --help"), helped.toString());
        assertFalse(warnings.contains("[picocli WARN]"), warnings);
        CliHarness.Result r = cli.run("padron", "import", "--help");
        assertTrue(r.out().replaceAll("\\s+", " ").contains("fewer than 90% of the current snapshot's taxpayers"),
                r.out());
    }

    private void forEachCommand(picocli.CommandLine cmd, java.util.List<String> path, java.util.List<String> helped) {
        java.util.List<String> args = new java.util.ArrayList<>(path);
        args.add("--help");
        CliHarness.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
        helped.add(String.join(" ", args));
        for (java.util.Map.Entry<String, picocli.CommandLine> sub : cmd.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            java.util.List<String> deeper = new java.util.ArrayList<>(path);
            deeper.add(sub.getKey());
            forEachCommand(sub.getValue(), deeper, helped);
        }
    }

    @Test
    void circuitOpeningOnTheFirstAttempt_saysOneAttempt() throws Exception {
        try (MockWebServer migo = new MockWebServer()) {
            migo.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder().code(503).build();
                }
            });
            migo.start();
            cli.env.put("RUC_CACHE_MIGO_TOKEN", "t0k3n");
            cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
            cli.env.put("RUC_CACHE_HTTP_RETRIES", "1");
            // Two attempts each for the first two RUCs, then the fifth failure in a row opens the circuit on the
            // third RUC's first attempt, before its retry.
            CliHarness.Result r = cli.run("lookup", "--format", "jsonl", "20100038146", "20131312955",
                    "20100047218");
            assertEquals(69, r.code(), r.toString());
            assertTrue(r.out().contains("after 1 attempt; circuit now open"), r.out());
            assertFalse(r.out().contains("after 1 attempts"), r.out());
        }
    }

    @Test
    void zeroTtlFlag_isAUsageError64_asEveryBadOptionValue_fromTheEnvironmentAConfigError78() {
        for (String option : new String[] {"--ttl-valid", "--ttl-invalid"}) {
            CliHarness.Result r = cli.run("lookup", "--offline", option, "0s", "20100038146");
            assertEquals(64, r.code(), r.toString());
            assertOneLine(r);
            assertTrue(r.err().startsWith("ruc-cache: " + option + " must be longer than zero, not 0s; see "
                    + "'ruc-cache lookup --help'"), r.err());
        }
        cli.env.put("RUC_CACHE_TTL_VALID", "0s");
        CliHarness.Result env = cli.run("lookup", "--offline", "20100038146");
        assertEquals(78, env.code(), env.toString());
    }
}
