package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.cli.RucStub.json;
import static pe.ruccache.cli.RucStub.ruc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReaderBuilder;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.bulk.ResultWriter;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.testing.PadronFixture;

/** The bulk command end to end: a real SQLite store in a temporary folder, providers on MockWebServer. */
class BulkCommandTest {

    private static final String TOKEN = "tok-Bulk-777";

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
        cli.env.put("RUC_CACHE_MIGO_TOKEN", TOKEN);
        cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "0");
    }

    @AfterEach
    void tearDown() {
        migo.close();
    }

    private static List<String[]> csv(String text, char delimiter) throws Exception {
        try (var reader = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(new CSVParserBuilder().withSeparator(delimiter).build()).build()) {
            return reader.readAll();
        }
    }

    private static int col(List<String[]> rows, String name) {
        return List.of(rows.get(0)).indexOf(name);
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void requests_equalDistinctLocallyValidUncachedRucs_andRowsKeepTheirOrder() throws Exception {
        // Three RUCs are cached beforehand by a lookup.
        assertEquals(0, cli.run("lookup", ruc(1), ruc(2), ruc(3)).code());
        stub.requests.clear();
        List<String> input = new ArrayList<>();
        input.add("id,ruc");
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            int n = i % 15;     // 15 distinct RUCs, each four times
            String value = n % 5 == 0 ? ruc(n).substring(0, 2) + "." + ruc(n).substring(2) : ruc(n);
            input.add(i + "," + value);
            if (n > 3) {
                expected.add(ruc(n));
            }
        }
        input.add("60,20100038147");    // bad check digit
        input.add("61,2.01000381E+10"); // spreadsheet-mangled
        input.add("62,");               // empty
        CliHarness.Result r = cli.runWithInput(String.join("\n", input) + "\n", "bulk", "--window-rows", "7", "-");
        assertEquals(1, r.code(), r.toString());
        // ruc(0) is 2000000000x: prefix 20 and valid; 1..3 are cached; every other distinct RUC is asked once.
        expected.add(ruc(0));
        assertEquals(expected, stub.requests.keySet());
        stub.requests.values().forEach(n -> assertEquals(1, n.get()));
        List<String[]> rows = csv(r.out(), ',');
        assertEquals(64, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(String.valueOf(i - 1), rows.get(i)[0]);
        }
        int status = col(rows, "status");
        assertEquals("VALID", rows.get(1)[status]);
        assertEquals("INVALID", rows.get(61)[status]);
        assertEquals("BAD_CHECK_DIGIT", rows.get(61)[col(rows, "reason")]);
        assertEquals("SPREADSHEET_MANGLED", rows.get(62)[col(rows, "reason")]);
        assertEquals("EMPTY", rows.get(63)[col(rows, "reason")]);
        assertEquals("cache", rows.get(2)[col(rows, "source")]);
    }

    @Test
    void header_isInputColumnsThenResultColumns() throws Exception {
        CliHarness.Result r = cli.runWithInput(lines("nombre;RUC", "ACME;" + ruc(1)), "bulk");
        assertEquals(0, r.code(), r.toString());
        List<String[]> rows = csv(r.out(), ';');
        List<String> header = new ArrayList<>(List.of("nombre", "RUC"));
        header.addAll(ResultWriter.RESULT_COLUMNS);
        assertEquals(header, List.of(rows.get(0)));
        assertEquals(List.of("ACME", ruc(1), ruc(1), "VALID", "", RucStub.name(ruc(1)), "ACTIVO", "HABIDO"),
                List.of(rows.get(1)).subList(0, 8));
        assertEquals("2026-11-25T15:00:00Z", rows.get(1)[col(rows, "fetched_at")]);
        assertEquals("migo", rows.get(1)[col(rows, "source")]);
    }

    @Test
    void repeatsAcrossWindows_andErrors_askedOnceAndAnsweredAlike() throws Exception {
        stub.scripted.put(ruc(2), n -> json(503, "{}"));
        String input = lines(ruc(1), ruc(2), ruc(3), ruc(4), ruc(1), ruc(2), ruc(5), ruc(6), ruc(1), ruc(2));
        CliHarness.Result r = cli.runWithInput(input, "bulk", "--no-header", "--window-rows", "2",
                "--format", "jsonl");
        assertEquals(69, r.code(), r.toString());
        assertEquals(1, stub.requestsFor(ruc(1)));
        assertEquals(1, stub.requestsFor(ruc(2)));
        List<JsonNode> rows = jsonl(r.out());
        assertEquals(10, rows.size());
        for (int i : new int[] {1, 5, 9}) {
            assertEquals("UNAVAILABLE", rows.get(i).get("reason").asText());
            assertEquals("migo", rows.get(i).get("source").asText());
        }
        for (int i : new int[] {0, 4, 8}) {
            assertEquals(RucStub.name(ruc(1)), rows.get(i).get("razon_social").asText());
            assertEquals("migo", rows.get(i).get("source").asText());
        }
        assertEquals(ruc(1), rows.get(0).get("column_1").asText());
        assertTrue(r.err().contains("3 errors (UNAVAILABLE 3)"), r.err());
    }

    @Test
    void repeatsInAdjacentWindows_readAhead_askedOnceCountedOnce() throws Exception {
        // Windows of two rows: each RUC repeats in the very next window, prepared before this one is dispatched.
        stub.scripted.put(ruc(3), n -> json(503, "{}"));
        String input = lines(ruc(1), ruc(2), ruc(2), ruc(3), ruc(3), ruc(1), ruc(4), ruc(4), ruc(5), ruc(1));
        CliHarness.Result r = cli.runWithInput(input, "bulk", "--no-header", "--window-rows", "2",
                "--format", "jsonl");
        assertEquals(69, r.code(), r.toString());
        for (int n = 1; n <= 5; n++) {
            assertEquals(1, stub.requestsFor(ruc(n)), "requests for ruc(" + n + ")");
        }
        List<JsonNode> rows = jsonl(r.out());
        assertEquals(10, rows.size());
        int[][] same = {{0, 5, 9}, {1, 2}, {3, 4}, {6, 7}};
        for (int[] group : same) {
            for (int i : group) {
                assertEquals(rows.get(group[0]).get("status").asText(), rows.get(i).get("status").asText());
                assertEquals(rows.get(group[0]).get("razon_social"), rows.get(i).get("razon_social"));
                assertEquals(rows.get(group[0]).get("column_1"), rows.get(i).get("column_1"));
            }
        }
        assertEquals("UNAVAILABLE", rows.get(4).get("reason").asText());
        assertEquals(RucStub.name(ruc(1)), rows.get(9).get("razon_social").asText());
        assertTrue(r.err().contains("10 rows, 5 distinct RUCs"), r.err());
        assertTrue(r.err().contains("2 errors (UNAVAILABLE 2)"), r.err());
    }

    private static List<JsonNode> jsonl(String out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            rows.add(mapper.readTree(line));
        }
        return rows;
    }

    @Test
    void jsonFormat_oneArrayWithInputKeysAndNullsForAbsentFields() throws Exception {
        CliHarness.Result r = cli.runWithInput(lines("ruc,status", ruc(1), "123"), "bulk", "--format", "json");
        assertEquals(1, r.code(), r.toString());
        JsonNode array = new ObjectMapper().readTree(r.out());
        assertEquals(2, array.size());
        List<String> keys = new ArrayList<>();
        array.get(0).fieldNames().forEachRemaining(keys::add);
        // An input column named like a result field keeps its value under NAME_N.
        assertEquals("ruc", keys.get(0));
        assertEquals("status_2", keys.get(1));
        assertEquals("", array.get(0).get("status_2").asText());
        assertEquals("VALID", array.get(0).get("status").asText());
        assertTrue(array.get(0).get("reason").isNull());
        assertEquals("BAD_LENGTH", array.get(1).get("reason").asText());
    }

    @Test
    void summary_onStderr_quietSilencesIt() {
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(1), ruc(2), "20100038147"), "bulk");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("ruc-cache: bulk: 4 rows, 2 distinct RUCs: 3 valid, 1 invalid "
                + "(BAD_CHECK_DIGIT 1), 0 errors; cache hits 1, upstream calls 2 (2 RUCs asked), calls saved 2; "),
                r.err());
        assertTrue(r.err().matches("(?s).*; [0-9.]+ s, [0-9]+ rows/s\\.\n"), r.err());
        CliHarness.Result quiet = cli.runWithInput(lines("ruc", ruc(1)), "bulk", "-q");
        assertEquals("", quiet.err());
        CliHarness.Result stats = cli.run("stats", "--format", "json");
        // The run's counts reach the persistent counters that stats reports.
        assertTrue(stats.out().contains("\"upstream_calls\" : 2,"), stats.out());
        assertTrue(stats.out().contains("\"lookups\" : 5,"), stats.out());
    }

    @Test
    void formulaInjection_upstreamCellsNeutralised_inputCellsUntouched() throws Exception {
        stub.scripted.put(ruc(1), n -> json(200, RucStub.migoBody(ruc(1), "=HYPERLINK(\"http://x\")")));
        CliHarness.Result r = cli.runWithInput(lines("nota,ruc", "=1+1," + ruc(1)), "bulk");
        List<String[]> rows = csv(r.out(), ',');
        assertEquals("=1+1", rows.get(1)[0]);
        assertEquals("'=HYPERLINK(\"http://x\")", rows.get(1)[col(rows, "razon_social")]);
    }

    @Test
    void output_writtenWhole_underItsNameOnlyWhenComplete() throws Exception {
        Path out = home.resolve("revisado.csv");
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2)), "bulk", "--output", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals(3, Files.readAllLines(out).size());
        assertEquals(List.of(out), listFolder());
    }

    @Test
    void maxErrors_abortsEarly_exit69_noOutputFile_answersKept() throws Exception {
        Path out = home.resolve("revisado.csv");
        Files.writeString(out, "old contents\n");
        for (int i = 10; i < 20; i++) {
            stub.scripted.put(ruc(i), n -> json(500, "{}"));
        }
        List<String> input = new ArrayList<>(List.of("ruc"));
        for (int i = 1; i < 40; i++) {
            input.add(ruc(i));
        }
        CliHarness.Result r = cli.runWithInput(String.join("\n", input), "bulk", "--concurrency", "1",
                "--max-errors", "2", "--window-rows", "5", "--output", out.toString());
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.err().contains("ruc-cache: stopped early: more than 2 errors (--max-errors 2); last: "
                + "UNAVAILABLE migo: HTTP 500"), r.err());
        assertTrue(r.err().contains(out + " was not written"), r.err());
        assertEquals("old contents\n", Files.readString(out));
        assertEquals(List.of(out), listFolder());
        assertTrue(stub.total.get() < 20, "stopped early: " + stub.total.get());
        // Answers paid for before the stop are in the cache: offline, they answer.
        CliHarness.Result offline = cli.run("lookup", "--offline", ruc(1), ruc(9));
        assertEquals(0, offline.code(), offline.toString());
    }

    private List<Path> listFolder() throws Exception {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(p -> !Files.isDirectory(p) && !p.getFileName().toString().endsWith(".token"))
                    .sorted().toList();
        }
    }

    @Test
    void interruptedMidway_rerunAsksOnlyForWhatWasNotAnswered() throws Exception {
        int distinct = 40;
        List<String> input = new ArrayList<>(List.of("ruc"));
        for (int i = 1; i <= distinct; i++) {
            input.add(ruc(i));
        }
        String text = String.join("\n", input) + "\n";
        Path out = home.resolve("out.csv");
        AtomicReference<Thread> runner = new AtomicReference<>();
        AtomicInteger answered = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        stub.afterEach = () -> {
            if (answered.incrementAndGet() == 10) {
                runner.get().interrupt();   // as Ctrl-C does through the shutdown hook
            }
        };
        AtomicReference<CliHarness.Result> first = new AtomicReference<>();
        Thread t = new Thread(() -> {
            started.countDown();
            first.set(cli.runWithInput(text, "bulk", "--concurrency", "3", "--output", out.toString()));
        });
        runner.set(t);
        t.start();
        started.await();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(t.isAlive());
        assertEquals(69, first.get().code(), first.get().toString());
        assertTrue(first.get().err().contains("stopped early: interrupted"), first.get().err());
        assertFalse(Files.exists(out));
        stub.afterEach = () -> { };

        Set<String> cached = new HashSet<>();
        for (int i = 1; i <= distinct; i++) {
            if (cli.run("lookup", "--offline", ruc(i)).code() == 0) {
                cached.add(ruc(i));
            }
        }
        assertTrue(cached.size() >= 1 && cached.size() < distinct, "cached " + cached.size());
        stub.requests.clear();
        CliHarness.Result rerun = cli.runWithInput(text, "bulk", "--output", out.toString());
        assertEquals(0, rerun.code(), rerun.toString());
        Set<String> asked = stub.requests.keySet();
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= distinct; i++) {
            if (!cached.contains(ruc(i))) {
                expected.add(ruc(i));
            }
        }
        assertEquals(expected, asked);
        assertEquals(distinct + 1, Files.readAllLines(out).size());
    }

    @Test
    void status429WithRetryAfter_waitsAndRetries() {
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "1");
        stub.scripted.put(ruc(1), n -> n == 1 ? new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                .build() : null);
        long start = System.nanoTime();
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2)), "bulk");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, stub.requestsFor(ruc(1)));
        assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(1), "honoured Retry-After");
    }

    @Test
    void burstOf500s_retriedWithBackoff_thenAnswered() {
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "2");
        for (int i = 1; i <= 3; i++) {
            stub.scripted.put(ruc(i), n -> n <= 2 ? json(500, "{}") : null);
        }
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2), ruc(3), ruc(4)), "bulk",
                "--concurrency", "2");
        assertEquals(0, r.code(), r.toString());
        assertEquals(3 * 3 + 1, stub.total.get());
        assertTrue(r.err().contains("upstream calls 10 (4 RUCs asked)"), r.err());
    }

    @Test
    void slowAndResetResponses_becomeErrorRows_othersAnswered() throws Exception {
        cli.env.put("RUC_CACHE_HTTP_TIMEOUT", "300ms");
        stub.scripted.put(ruc(1), n -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        stub.scripted.put(ruc(2), n -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket())
                .build());
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2), ruc(3)), "bulk", "--format", "jsonl");
        assertEquals(69, r.code(), r.toString());
        List<JsonNode> rows = jsonl(r.out());
        assertEquals("TIMEOUT", rows.get(0).get("reason").asText());
        assertEquals("UNAVAILABLE", rows.get(1).get("reason").asText());
        assertEquals("VALID", rows.get(2).get("status").asText());
    }

    @Test
    void concurrency_boundedAndReached() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch four = new CountDownLatch(4);
        for (int i = 1; i <= 12; i++) {
            stub.scripted.put(ruc(i), n -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                four.countDown();
                try {
                    // The first four answers wait for each other: proof that four calls run at once.
                    four.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inFlight.decrementAndGet();
                return null;
            });
        }
        List<String> input = new ArrayList<>(List.of("ruc"));
        for (int i = 1; i <= 12; i++) {
            input.add(ruc(i));
        }
        CliHarness.Result r = cli.runWithInput(String.join("\n", input), "bulk", "--concurrency", "4");
        assertEquals(0, r.code(), r.toString());
        assertEquals(4, most.get());
    }

    @Test
    void failover_migoUnavailable_decolectaAnswers() throws Exception {
        try (MockWebServer decolecta = new MockWebServer()) {
            decolecta.setDispatcher(new RucStub(true));
            decolecta.start();
            cli.env.put("RUC_CACHE_DECOLECTA_TOKEN", TOKEN);
            cli.env.put("RUC_CACHE_DECOLECTA_URL", decolecta.url("/v1").toString());
            // The 401 leaves migo out for the rest of the run, so it is answered only once migo has been asked about
            // the last two (the RUCs go out at once; on a loaded machine the fourth once left after the 401 came back).
            java.util.concurrent.CountDownLatch lastTwoAsked = new java.util.concurrent.CountDownLatch(2);
            stub.scripted.put(ruc(1), n -> json(503, "{}"));
            stub.scripted.put(ruc(2), n -> {
                try {
                    lastTwoAsked.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return json(401, "{\"message\":\"Unauthenticated.\"}");
            });
            stub.scripted.put(ruc(3), n -> {
                lastTwoAsked.countDown();
                return json(404, "{\"success\":false,\"message\":\"No existe\"}");
            });
            stub.scripted.put(ruc(4), n -> {
                lastTwoAsked.countDown();
                return null;
            });
            CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2), ruc(3), ruc(4)), "bulk",
                    "--provider", "migo,decolecta", "--format", "jsonl");
            assertEquals(1, r.code(), r.toString());
            List<JsonNode> rows = jsonl(r.out());
            assertEquals("decolecta", rows.get(0).get("source").asText());
            assertEquals("decolecta", rows.get(1).get("source").asText());
            // NOT_FOUND is definitive: decolecta is not asked.
            assertEquals("NOT_FOUND", rows.get(2).get("reason").asText());
            assertEquals("migo", rows.get(3).get("source").asText());
            assertEquals(2, decolecta.getRequestCount());
        }
    }

    @Test
    void rate_spacesRequests() {
        List<String> input = new ArrayList<>(List.of("ruc"));
        for (int i = 1; i <= 6; i++) {
            input.add(ruc(i));
        }
        long start = System.nanoTime();
        CliHarness.Result r = cli.runWithInput(String.join("\n", input), "bulk", "--rate", "20");
        assertEquals(0, r.code(), r.toString());
        // Six requests at 20 per second: the first at once, then one every 50 ms.
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "paced");
    }

    @Test
    void policy_requireActive_failsWithExit1() throws Exception {
        stub.scripted.put(ruc(1), n -> json(200, RucStub.migoBody(ruc(1), "BAJA SAC")
                .replace("\"ACTIVO\"", "\"BAJA DE OFICIO\"")));
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2)), "bulk", "--require-active");
        assertEquals(1, r.code(), r.toString());
        List<String[]> rows = csv(r.out(), ',');
        assertEquals("NOT_ACTIVE", rows.get(1)[col(rows, "policy")]);
        assertEquals("OK", rows.get(2)[col(rows, "policy")]);
        assertTrue(r.err().contains("2 valid (1 failing --require-*)"), r.err());
    }

    @Test
    void padronOffline_missesAnsweredInBatchesFromTheSnapshot_notStored_noRequest() throws Exception {
        Path file = PadronFixture.write(home.resolve("padron_reducido_ruc.txt"),
                PadronFixture.latin1(PadronFixture.standardLines()));
        assertEquals(0, cli.run("padron", "import", file.toString()).code());
        String input = lines("ruc", PadronFixture.CONTINENTAL, PadronFixture.NANDU, PadronFixture.ABSENT,
                PadronFixture.CONTINENTAL, PadronFixture.NANDU, PadronFixture.CONTINENTAL);
        CliHarness.Result r = cli.runWithInput(input, "bulk", "--provider", "padron,migo", "--offline",
                "--window-rows", "2", "--format", "jsonl");
        assertEquals(1, r.code(), r.toString());
        List<JsonNode> rows = jsonl(r.out());
        assertEquals(6, rows.size());
        assertEquals("padron", rows.get(0).get("source").asText());
        assertEquals("CONTINENTAL S.A.C.", rows.get(0).get("razon_social").asText());
        assertEquals("NOT_FOUND", rows.get(2).get("reason").asText());
        // Repeats in later windows give the same answer, though padrón answers are not stored in the cache.
        assertEquals("padron", rows.get(5).get("source").asText());
        assertEquals("CONTINENTAL S.A.C.", rows.get(5).get("razon_social").asText());
        assertEquals(0, stub.total.get());
        assertEquals(69, cli.run("lookup", "--offline", "--provider", "migo", PadronFixture.CONTINENTAL).code());
    }

    @Test
    void offline_missesAreErrors_exit69_noRequest() {
        CliHarness.Result r = cli.runWithInput(lines(ruc(1)), "bulk", "--offline");
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("OFFLINE_MISS"), r.out());
        assertEquals(0, stub.total.get());
    }

    @Test
    void excelFile_windows1252Semicolons_outputKeepsDelimiterAndGetsBom() throws Exception {
        Path in = home.resolve("clientes.csv");
        Files.write(in, ("Razón social;RUC\r\nPANADERÍA ÑUSTA;" + ruc(1) + "\r\n").getBytes(
                Charset.forName("windows-1252")));
        CliHarness.Result r = cli.run("bulk", in.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("\uFEFFRazón social;RUC;ruc_normalized;"), r.out());
        assertTrue(r.out().contains("\r\nPANADERÍA ÑUSTA;" + ruc(1) + ";" + ruc(1) + ";VALID;"), r.out());
    }

    @Test
    void raggedRow_inALaterWindow_warningNamesItsLine() {
        CliHarness.Result r = cli.runWithInput(lines("ruc,a", ruc(1) + ",x", ruc(2) + ",x", ruc(3) + ",\"two\nlines\"",
                ruc(4) + ",x,extra", ruc(5) + ",x", ruc(6) + ",x"), "bulk", "--window-rows", "2");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("1 row had more fields than the header (first at line 6)"), r.err());
    }

    @Test
    void raggedRows_paddedOrKept_noRowLost() throws Exception {
        CliHarness.Result r = cli.runWithInput(lines("ruc,a,b", ruc(1), ruc(2) + ",x,y,z,w"), "bulk");
        assertEquals(0, r.code(), r.toString());
        List<String[]> rows = csv(r.out(), ',');
        assertEquals(3, rows.size());
        assertEquals("", rows.get(1)[2]);
        assertEquals("y,z,w", rows.get(2)[2]);
        assertEquals("VALID", rows.get(2)[col(rows, "status")]);
        assertTrue(r.err().contains("1 row had more fields than the header (first at line 3)"), r.err());
    }

    @Test
    void junkInRucCell_rowSaysWhy() throws Exception {
        CliHarness.Result r = cli.runWithInput(lines("ruc;nombre", "RUC: 20-A;x", "20100038146 / 2;y"), "bulk",
                "--column", "ruc");
        assertEquals(1, r.code(), r.toString());
        List<String[]> rows = csv(r.out(), ';');
        assertEquals("NOT_DIGITS", rows.get(1)[col(rows, "reason")]);
        assertEquals("NOT_DIGITS", rows.get(2)[col(rows, "reason")]);
    }

    @Test
    void headerOnly_exit0_headerWrittenAndWarned() {
        CliHarness.Result r = cli.runWithInput("ruc;nombre\r\n", "bulk");
        assertEquals(0, r.code(), r.toString());
        assertEquals("ruc;nombre;" + String.join(";", ResultWriter.RESULT_COLUMNS) + "\r\n", r.out());
        assertTrue(r.err().contains("warning: the input has a header but no rows"), r.err());
    }

    @Test
    void badInput_exit65WithOneLine() throws Exception {
        assertEquals("ruc-cache: standard input is empty: no rows to check\n",
                cli.runWithInput("", "bulk", "-").err());
        assertEquals(65, cli.runWithInput("\n \n\n", "bulk", "-").code());
        CliHarness.Result missing = cli.run("bulk", home.resolve("nope.csv").toString());
        assertEquals(65, missing.code());
        assertEquals("ruc-cache: cannot read " + home.resolve("nope.csv") + ": no such file\n", missing.err());
        CliHarness.Result binary = cli.runWithBytes(new byte[] {'P', 'K', 3, 4, 0, 0}, "bulk");
        assertEquals(65, binary.code());
        assertTrue(binary.err().contains("Excel .xlsx"), binary.err());
        CliHarness.Result column = cli.runWithInput(lines("nombre,ruc_cliente", "a,1"), "bulk", "--column",
                "documento");
        assertEquals(65, column.code());
        assertEquals("ruc-cache: no column named 'documento' in standard input; columns found: 1='nombre', "
                + "2='ruc_cliente'\n", column.err());
        assertEquals(0, stub.total.get());
    }

    @Test
    void usageErrors_exit64() {
        assertEquals(64, cli.runWithInput("x", "bulk", "--no-header", "--column", "ruc").code());
        assertEquals(64, cli.runWithInput("x", "bulk", "--delimiter", ";;").code());
        assertEquals(64, cli.runWithInput("x", "bulk", "--concurrency", "0").code());
        assertEquals(64, cli.runWithInput("x", "bulk", "--encoding", "klingon").code());
        assertEquals(64, cli.runWithInput("x", "bulk", "--format", "table").code());
        assertEquals(64, cli.runWithInput("x", "bulk", "--rate", "0").code());
    }

    @Test
    void rateFromEnvironment_malformed_exit78NamingTheVariable() {
        cli.env.put("RUC_CACHE_RATE", "fast");
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1)), "bulk");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("(from RUC_CACHE_RATE)"), r.err());
    }

    @Test
    void missingToken_exit78() {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1)), "bulk");
        assertEquals(78, r.code(), r.toString());
    }

    @Test
    void progressForced_drawnOnStderr_neverOnStdout() {
        CliHarness.Result r = cli.runWithInput(lines("ruc", ruc(1), ruc(2)), "bulk", "--progress", "always");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("hits 0 calls 2 errors 0"), r.err());
        assertFalse(r.out().contains("hits"), r.out());
        cli.stderrTerminal = true;
        assertTrue(cli.runWithInput(lines("ruc", ruc(1)), "bulk").err().contains("hits 1 calls 0"));
        cli.stderrTerminal = false;
        assertFalse(cli.runWithInput(lines("ruc", ruc(1)), "bulk").err().contains("calls 0 errors"));
    }

    @Test
    void windows1252Output_keepsUtf8() {
        CliHarness.Result r = cli.runWithBytes(("ruc\n" + ruc(1) + "\n").getBytes(StandardCharsets.UTF_8), "bulk");
        assertFalse(r.out().startsWith("\uFEFF"), r.out());
    }
}
