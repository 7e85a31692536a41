package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.cli.RucStub.ruc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.testing.MutableClock;

/**
 * Runs stopped early by a signal or a closed output, and runs that fail on their configuration: what they leave in
 * the output, the store and the counters. Signals are delivered by hand, as the process's handlers would.
 */
class StopTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private final RucStub stub = new RucStub(false);
    private CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        migo.setDispatcher(stub);
        migo.start();
        cli = new CliHarness(home);
        cli.clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
        cli.env.put("RUC_CACHE_MIGO_TOKEN", "tok-Stop-123");
        cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "0");
    }

    @AfterEach
    void tearDown() {
        migo.close();
    }

    private static String list(int distinct) {
        StringBuilder text = new StringBuilder("ruc\n");
        for (int i = 1; i <= distinct; i++) {
            text.append(ruc(i)).append('\n');
        }
        return text.toString();
    }

    /** Returns how many of the RUCs the stub was asked about answer from the cache alone. */
    private int cachedOf(Iterable<String> rucs) {
        // A new process: the signal that stopped the last one is gone.
        cli.interrupts = new Interrupts();
        int n = 0;
        for (String r : rucs) {
            if (cli.run("lookup", "--offline", r).code() == 0) {
                n++;
            }
        }
        return n;
    }

    @Test
    void sigint_midBulk_jsonIsAClosedArrayOfWholeWindows_exit130() throws Exception {
        stub.afterEach = () -> {
            if (stub.total.get() == 12) {
                cli.interrupts.deliver("INT", 2);
            }
        };
        CliHarness.Result r = cli.runWithInput(list(40), "bulk", "--format", "json", "--window-rows", "5",
                "--concurrency", "2", "-");
        assertEquals(130, r.code(), r.toString());
        JsonNode rows = JSON.readTree(r.out());
        assertTrue(rows.isArray(), r.out());
        // Windows are written whole and in order (the first holds the header line): the first rows of the input.
        assertTrue(rows.size() < 40 && (rows.size() + 1) % 5 == 0, "rows " + rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(ruc(i + 1), rows.get(i).get("ruc").asText());
        }
        assertTrue(r.err().contains("ruc-cache: stopped early: interrupted (SIGINT)"), r.err());
        // Nothing new was asked after the signal: at most the two calls already in flight.
        assertTrue(stub.total.get() <= 12 + 2, "requests " + stub.total.get());
        assertEquals(stub.requests.size(), cachedOf(stub.requests.keySet()));
    }

    @Test
    void sigterm_withRequestsInFlight_theirAnswersAreWaitedForAndStored_exit143() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoHeld = new CountDownLatch(2);
        stub.beforeEach = () -> {
            if (stub.total.get() > 10) {
                twoHeld.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AtomicReference<CliHarness.Result> result = new AtomicReference<>();
        Thread run = new Thread(() -> result.set(cli.runWithInput(list(40), "bulk", "--format", "jsonl",
                "--concurrency", "2", "-")));
        run.start();
        assertTrue(twoHeld.await(30, TimeUnit.SECONDS));
        cli.interrupts.deliver("TERM", 15);
        release.countDown();
        run.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(run.isAlive());
        CliHarness.Result r = result.get();
        assertEquals(143, r.code(), r.toString());
        for (String line : r.out().split("\n", -1)) {
            if (!line.isEmpty()) {
                assertTrue(JSON.readTree(line).isObject(), line);
            }
        }
        assertTrue(r.out().isEmpty() || r.out().endsWith("}\n"), r.out());
        // The two answers that were on their way when the signal came are stored, and nothing more was asked.
        assertEquals(12, stub.total.get());
        assertEquals(12, cachedOf(stub.requests.keySet()));
    }

    @Test
    void sigint_midLookupOfAList_jsonClosed_nothingAskedAfter() throws Exception {
        stub.afterEach = () -> {
            if (stub.total.get() == 3) {
                cli.interrupts.deliver("INT", 2);
            }
        };
        StringBuilder in = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            in.append(ruc(i)).append('\n');
        }
        CliHarness.Result r = cli.runWithInput(in.toString(), "lookup", "--format", "json", "-");
        assertEquals(130, r.code(), r.toString());
        JsonNode rows = JSON.readTree(r.out());
        assertEquals(3, rows.size(), r.out());
        assertEquals(3, stub.total.get());
    }

    @Test
    void outputClosed_midBulk_stopsWith141() {
        stub.afterEach = () -> {
            if (stub.total.get() == 4) {
                cli.interrupts.outputClosed();
            }
        };
        CliHarness.Result r = cli.runWithInput(list(40), "bulk", "--window-rows", "2", "--concurrency", "1", "-");
        assertEquals(141, r.code(), r.toString());
        assertTrue(stub.total.get() <= 5, "requests " + stub.total.get());
    }

    @Test
    void secondSignal_endsTheProcessAtOnce_andASignalWithNoRunExits() {
        List<String> ended = new ArrayList<>();
        Interrupts interrupts = new Interrupts(code -> ended.add("exit " + code), code -> ended.add("halt " + code));
        interrupts.begin();
        interrupts.deliver("INT", 2);
        assertEquals(List.of(), ended);
        interrupts.deliver("INT", 2);
        assertEquals(List.of("halt 130"), ended);

        List<String> idle = new ArrayList<>();
        new Interrupts(code -> idle.add("exit " + code), code -> idle.add("halt " + code)).deliver("TERM", 15);
        assertEquals(List.of("exit 143"), idle);
    }

    @Test
    void bulkWithoutAToken_writesNothing_storesAndCountsNothing() throws Exception {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        String input = "ruc\n" + ruc(1) + "\n20100038147\n";
        CliHarness.Result r = cli.runWithInput(input, "bulk", "-");
        assertEquals(78, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("ruc-cache: no token for provider migo"), r.err());
        Path out = home.resolve("out.csv");
        CliHarness.Result toFile = cli.runWithInput(input, "bulk", "--output", out.toString(), "-");
        assertEquals(78, toFile.code(), toFile.toString());
        assertFalse(Files.exists(out));
        assertNothingCounted();
    }

    @Test
    void bulkOverThePadronWithoutASnapshot_writesNothing() {
        CliHarness.Result r = cli.runWithInput("ruc\n" + ruc(1) + "\n", "bulk", "--provider", "padron",
                "--offline", "-");
        assertEquals(78, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("no padrón snapshot"), r.err());
    }

    @Test
    void lookupWithoutAToken_printsNothing_countsNothing() throws Exception {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        for (String format : List.of("table", "json", "csv")) {
            CliHarness.Result r = cli.run("--format", format, "lookup", "20100038147", ruc(1));
            assertEquals(78, r.code(), r.toString());
            assertEquals("", r.out(), format);
        }
        assertNothingCounted();
    }

    @Test
    void lookupWithoutAToken_ofACachedRuc_stillAnswers() {
        assertEquals(0, cli.run("lookup", ruc(1)).code());
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        CliHarness.Result r = cli.run("--format", "jsonl", "lookup", ruc(1), "20100038147");
        assertEquals(1, r.code(), r.toString());
        assertEquals(2, r.out().lines().count(), r.out());
    }

    private void assertNothingCounted() throws Exception {
        JsonNode stats = JSON.readTree(cli.run("stats", "--format", "json").out());
        assertEquals(0, stats.at("/counters/lookups").asLong(), stats.toString());
        assertEquals(0, stats.at("/counters/upstream_calls").asLong(), stats.toString());
    }
}
