package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.upstream.RecordedBodies;

/** invalid, stats, health and clear, end to end on a real store. */
class RegistryAndMaintenanceTest {

    private static final String CONTINENTAL = "20100038146";
    private static final String SUNAT = "20131312955";

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private final ObjectMapper mapper = new ObjectMapper();
    private CliHarness cli;
    private MutableClock clock;

    @BeforeEach
    void setUp() throws Exception {
        migo.start();
        cli = new CliHarness(home);
        // health, stats and invalid list|show only read a cache that exists (they create none at a mistyped path).
        cli.createCache();
        clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
        cli.clock = clock;
        cli.env.put("RUC_CACHE_MIGO_TOKEN", "t0k3n");
        cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "0");
    }

    @AfterEach
    void tearDown() {
        migo.close();
    }

    private void answer(int code, String body) {
        migo.enqueue(new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                .build());
    }

    @Test
    void invalidAdd_markedRucNeverSentUpstream() {
        CliHarness.Result add = cli.run("invalid", "add", CONTINENTAL, "--reason", "cliente fraudulento");
        assertEquals(0, add.code(), add.toString());
        CliHarness.Result r = cli.run("lookup", "--refresh", "--format", "jsonl", CONTINENTAL);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"MANUAL\",\"detail\":\"cliente fraudulento\""), r.out());
        assertEquals(0, migo.getRequestCount());
    }

    @Test
    void invalidShow_exit1WhenInRegistry_exit0WhenNot() throws Exception {
        cli.run("invalid", "add", CONTINENTAL, "--reason", "baja", "--for", "7d");
        CliHarness.Result shown = cli.run("invalid", "show", "--format", "json", CONTINENTAL);
        assertEquals(1, shown.code(), shown.toString());
        JsonNode m = mapper.readTree(shown.out());
        assertEquals("MANUAL", m.get("reason").asText());
        assertEquals("manual", m.get("source").asText());
        assertEquals("2026-11-25T15:00:00Z", m.get("marked_at").asText());
        assertEquals("2026-12-02T15:00:00Z", m.get("expires_at").asText());
        CliHarness.Result absent = cli.run("invalid", "show", SUNAT);
        assertEquals(0, absent.code());
        assertEquals(SUNAT + " is not in the invalid registry\n", absent.out());
    }

    @Test
    void invalidList_filtersByReason_andRemoveTakesOneOut() throws Exception {
        answer(404, RecordedBodies.MIGO_NOT_FOUND);
        cli.run("lookup", SUNAT);
        cli.run("invalid", "add", CONTINENTAL, "--reason", "duplicado");
        cli.run("lookup", "20100038147");
        assertEquals(3, cli.run("invalid", "list", "--format", "jsonl").out().lines().count());
        CliHarness.Result manual = cli.run("invalid", "list", "--reason", "manual", "--format", "jsonl");
        assertEquals(1, manual.out().lines().count(), manual.out());
        assertTrue(manual.out().contains(CONTINENTAL));
        CliHarness.Result removed = cli.run("invalid", "remove", CONTINENTAL);
        assertEquals("removed 1 entry\n", removed.out());
        assertEquals(2, cli.run("invalid", "list", "--format", "jsonl").out().lines().count());
    }

    @Test
    void invalidList_hidesExpiredUnlessAsked() {
        cli.run("invalid", "add", CONTINENTAL, "--reason", "x", "--for", "1h");
        clock.advance(Duration.ofHours(2));
        assertEquals("", cli.run("invalid", "list", "--format", "jsonl").out());
        assertTrue(cli.run("invalid", "list", "--include-expired", "--format", "jsonl").out()
                .contains("\"expired\":true"));
    }

    @Test
    void invalidClear_needsYesWhenNotInteractive() {
        cli.run("invalid", "add", CONTINENTAL, "--reason", "x");
        CliHarness.Result refused = cli.run("invalid", "clear");
        assertEquals(64, refused.code(), refused.toString());
        assertTrue(refused.err().contains("--yes"), refused.err());
        assertEquals(1, cli.run("invalid", "show", CONTINENTAL).code());
        assertEquals("removed 1 entry\n", cli.run("invalid", "clear", "--yes").out());
        assertEquals(0, cli.run("invalid", "show", CONTINENTAL).code());
    }

    @Test
    void invalidAddAndClear_jsonFormat_forScripts() throws Exception {
        JsonNode added = mapper.readTree(cli.run("invalid", "add", CONTINENTAL, "--reason", "x", "--format", "json")
                .out());
        assertEquals(CONTINENTAL, added.get("ruc").asText());
        assertEquals("2026-11-26T15:00:00Z", added.get("expires_at").asText());
        assertEquals(1, mapper.readTree(cli.run("clear", "--all", "--yes", "--format", "json").out())
                .get("removed").asLong());
    }

    @Test
    void localVerdictFromOtherPrefixes_notReportedByRegistry() {
        // With only prefix 99 accepted, a good RUC fails locally and is kept as BAD_PREFIX...
        cli.env.put("RUC_CACHE_PREFIXES", "99");
        assertEquals(1, cli.run("lookup", "--offline", CONTINENTAL).code());
        assertEquals(1, cli.run("invalid", "show", CONTINENTAL).code());
        // ...but under the default prefixes lookup no longer calls it invalid, so the registry must not either.
        cli.env.remove("RUC_CACHE_PREFIXES");
        assertEquals(0, cli.run("invalid", "show", CONTINENTAL).code());
        assertEquals("", cli.run("invalid", "list", "--format", "jsonl").out());
    }

    @Test
    void invalidList_unknownReason_exit64ListingTheStoredOnes() {
        CliHarness.Result r = cli.run("invalid", "list", "--reason", "TIMEOUT");
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("use one of: NOT_FOUND, MANUAL, BAD_CHECK_DIGIT, BAD_PREFIX"), r.err());
    }

    @Test
    void invalidAdd_notARuc_exit64() {
        CliHarness.Result r = cli.run("invalid", "add", "12345", "--reason", "x");
        assertEquals(64, r.code(), r.toString());
        assertTrue(r.err().contains("'12345' is not an 11-digit RUC"), r.err());
    }

    @Test
    void stats_countsEntriesCountersAndTtls() throws Exception {
        answer(200, RecordedBodies.MIGO_CONTINENTAL);
        answer(404, RecordedBodies.MIGO_NOT_FOUND);
        cli.run("lookup", CONTINENTAL, SUNAT, "20100038147", "abc");
        cli.run("lookup", CONTINENTAL);
        JsonNode s = mapper.readTree(cli.run("stats", "--format", "json").out());
        assertEquals(1, s.at("/entries/valid").asLong());
        assertEquals(2, s.at("/entries/invalid").asLong());
        assertEquals(1, s.at("/entries/invalid_by_reason/NOT_FOUND").asLong());
        assertEquals(1, s.at("/entries/invalid_by_reason/BAD_CHECK_DIGIT").asLong());
        assertEquals(1, s.at("/entries/valid_by_estado/ACTIVO").asLong());
        assertEquals(1, s.at("/entries/valid_by_condicion/HABIDO").asLong());
        assertEquals("1h", s.at("/ttl/valid").asText());
        assertEquals("24h", s.at("/ttl/invalid").asText());
        assertEquals(5, s.at("/counters/lookups").asLong());
        assertEquals(1, s.at("/counters/cache_hits").asLong());
        assertEquals(2, s.at("/counters/cache_misses").asLong());
        assertEquals(2, s.at("/counters/saved_by_local_check").asLong());
        assertEquals(1, s.at("/counters/upstream_calls_by_provider/migo/found").asLong());
        assertEquals(1, s.at("/counters/upstream_calls_by_provider/migo/not_found").asLong());
        assertEquals(cli.cacheFile().toString(), s.at("/store/location").asText());
        assertTrue(s.at("/store/size_bytes").asLong() > 0);
    }

    @Test
    void stats_output_replacesTheFileInOneStep_andLeavesItWhenTheRunFails() throws Exception {
        answer(200, RecordedBodies.MIGO_CONTINENTAL);
        cli.run("lookup", CONTINENTAL);
        Path prom = java.nio.file.Files.createDirectories(home.resolve("textfile")).resolve("ruc_cache.prom");
        CliHarness.Result r = cli.run("stats", "--format", "prometheus", "--output", prom.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out(), "nothing on stdout");
        String written = java.nio.file.Files.readString(prom);
        assertEquals(cli.run("stats", "--format", "prometheus").out(), written);
        assertTrue(written.contains("ruc_cache_entries{state=\"valid\"} 1\n"), written);
        // Readable by node_exporter's user unless the umask says otherwise; no .part file left beside it.
        var mode = java.nio.file.Files.getPosixFilePermissions(prom);
        assertTrue(mode.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), mode.toString());
        if ((umask() & 0004) == 0) {
            assertTrue(mode.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ), mode.toString());
        }
        assertEquals(List.of("ruc_cache.prom"), List.of(prom.getParent().toFile().list()));

        // A run that fails (its store is not there) writes nothing: the collector keeps reading the last file.
        cli.env.put("RUC_CACHE_STORE", home.resolve("nowhere").resolve("cache.db").toString());
        CliHarness.Result failed = cli.run("stats", "--format", "prometheus", "-o", prom.toString());
        assertEquals(74, failed.code(), failed.toString());
        assertEquals(written, java.nio.file.Files.readString(prom));
        assertEquals(List.of("ruc_cache.prom"), List.of(prom.getParent().toFile().list()));
    }

    /** Returns this process's umask (Linux), or 022 where it cannot be read. */
    private static int umask() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!java.nio.file.Files.isReadable(status)) {
            return 022;
        }
        for (String line : java.nio.file.Files.readAllLines(status)) {
            if (line.startsWith("Umask:")) {
                return Integer.parseInt(line.substring(6).strip(), 8);
            }
        }
        return 022;
    }

    @Test
    void stats_prometheusText_wellFormed() {
        answer(200, RecordedBodies.MIGO_CONTINENTAL);
        cli.run("lookup", CONTINENTAL);
        CliHarness.Result r = cli.run("stats", "--format", "prometheus");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("ruc_cache_entries{state=\"valid\"} 1\n"), r.out());
        assertTrue(r.out().contains("ruc_cache_upstream_calls_total{provider=\"migo\",outcome=\"found\"} 1\n"),
                r.out());
        assertTrue(r.out().contains("ruc_cache_ttl_seconds{kind=\"valid\"} 3600\n"), r.out());
        for (String line : r.out().split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                    || line.matches("[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9]+"), line);
        }
    }

    @Test
    void health_noToken_warningExit1() {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        CliHarness.Result r = cli.run("health");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().startsWith("RUC-CACHE WARNING - "), r.out());
        assertTrue(r.out().contains("no token for provider migo"), r.out());
        assertTrue(r.out().contains("store.roundtrip"), r.out());
    }

    @Test
    void health_configured_healthyExit0_andCheckUpstreamCallsOnce() throws Exception {
        CliHarness.Result r = cli.run("health", "--format", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals("healthy", mapper.readTree(r.out()).get("status").asText());
        assertEquals(0, migo.getRequestCount());
        answer(200, RecordedBodies.MIGO_CONTINENTAL.replace("20100038146", SUNAT));
        CliHarness.Result up = cli.run("health", "--check-upstream");
        assertEquals(0, up.code(), up.toString());
        assertEquals(1, migo.getRequestCount());
        assertTrue(up.out().contains("upstream.migo"), up.out());
    }

    /** The Nagios plugin guidelines: one status line, text without '|', then 'label=value[uom]' figures. */
    private static final java.util.regex.Pattern NAGIOS = java.util.regex.Pattern.compile(
            "RUC-CACHE (OK|WARNING|CRITICAL|UNKNOWN) - [^|\\n]+( \\| [a-z0-9_]+=[0-9]+(\\.[0-9]+)?(ms|s)?"
                    + "( [a-z0-9_]+=[0-9]+(\\.[0-9]+)?(ms|s)?)*)?");

    @Test
    void health_firstLineIsANagiosStatusLineWithFigures_thenTheTable() {
        answer(200, RecordedBodies.MIGO_CONTINENTAL.replace("20100038146", SUNAT));
        CliHarness.Result up = cli.run("health", "--check-upstream");
        assertEquals(0, up.code(), up.toString());
        List<String> lines = up.out().lines().toList();
        assertTrue(NAGIOS.matcher(lines.get(0)).matches(), lines.get(0));
        assertTrue(lines.get(0).matches(
                "RUC-CACHE OK - \\d+ checks ok \\| store_roundtrip=\\d+ms upstream_migo=\\d+ms"), lines.get(0));
        assertTrue(lines.get(1).startsWith("LEVEL"), up.out());

        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        CliHarness.Result warn = cli.run("health");
        String first = warn.out().lines().findFirst().orElseThrow();
        assertTrue(NAGIOS.matcher(first).matches(), first);
        assertTrue(first.startsWith("RUC-CACHE WARNING - provider.migo: no token for provider migo"), first);

        // A bad option: the status line still comes, UNKNOWN, with the usage error on stderr and exit 3.
        CliHarness.Result bad = cli.run("health", "--timeout", "soon");
        assertEquals(3, bad.code(), bad.toString());
        assertEquals(1, bad.out().lines().count(), bad.toString());
        assertTrue(NAGIOS.matcher(bad.out().strip()).matches(), bad.out());
        assertTrue(bad.out().startsWith("RUC-CACHE UNKNOWN - "), bad.out());
        assertEquals(1, bad.err().lines().count(), bad.toString());
    }

    @Test
    void health_checkUpstream_noProviderConfigured_saysSoAndCallsNothing() {
        // An empty list (as "--provider ''" or RUC_CACHE_PROVIDERS=, give): a cache that no provider fills.
        CliHarness.Result r = cli.run("health", "--check-upstream", "--provider", "");
        // The configuration check warns about the empty chain; the upstream check has nothing to add to that.
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("no provider configured; only cached answers are served"), r.out());
        assertTrue(r.out().contains("no provider configured (the cache alone answers); nothing to call"), r.out());
        assertFalse(r.out().contains("padrón"), r.out());
        assertEquals(0, migo.getRequestCount());
    }

    @Test
    void health_upstreamRefusesToken_unhealthyExit2() {
        answer(401, "{\"success\":false,\"message\":\"Unauthenticated.\"}");
        CliHarness.Result r = cli.run("health", "--check-upstream");
        assertEquals(2, r.code(), r.toString());
        assertFalse(r.out().contains("t0k3n"));
    }

    @Test
    void health_oneProviderOfTheChainDown_warningNotCritical() throws Exception {
        cli.env.put("RUC_CACHE_DECOLECTA_TOKEN", "another-token");
        // A closed port: connection refused.
        cli.env.put("RUC_CACHE_DECOLECTA_URL", "http://127.0.0.1:1/v1");
        answer(200, RecordedBodies.MIGO_CONTINENTAL.replace("20100038146", SUNAT));
        CliHarness.Result r = cli.run("health", "--check-upstream", "--provider", "migo,decolecta");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("falls back to another provider"), r.out());
    }

    @Test
    void health_checkUpstream_hangingProviderAndOneThatAnswers_warningWithinTheTimeout() throws Exception {
        try (MockWebServer decolecta = new MockWebServer()) {
            decolecta.start();
            cli.env.put("RUC_CACHE_DECOLECTA_TOKEN", "another-token");
            cli.env.put("RUC_CACHE_DECOLECTA_URL", decolecta.url("/v1").toString());
            // Far beyond --timeout: only the overall timeout can end the hanging call in time.
            cli.env.put("RUC_CACHE_HTTP_TIMEOUT", "60s");
            migo.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
            decolecta.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(RecordedBodies.DECOLECTA_SUNAT).build());

            long start = System.nanoTime();
            CliHarness.Result r = cli.run("health", "--check-upstream", "--provider", "migo,decolecta",
                    "--timeout", "2s", "--format", "json");
            double seconds = (System.nanoTime() - start) / 1e9;

            assertEquals(1, r.code(), r.toString());
            JsonNode checks = mapper.readTree(r.out()).get("checks");
            JsonNode hanging = find(checks, "upstream.migo");
            assertEquals("warning", hanging.get("level").asText(), r.out());
            assertTrue(hanging.get("detail").asText().startsWith("timeout: no answer within 2s"), r.out());
            assertEquals("ok", find(checks, "upstream.decolecta").get("level").asText(), r.out());
            // Generous: the point is that it is not the 60 s HTTP timeout (or 60 s per retry).
            assertTrue(seconds < 30, seconds + " s");
        }
    }

    @Test
    void health_checkUpstream_everyProviderHangs_unhealthyAllTimedOutTogether() throws Exception {
        try (MockWebServer decolecta = new MockWebServer(); MockWebServer apisnet = new MockWebServer()) {
            decolecta.start();
            apisnet.start();
            cli.env.put("RUC_CACHE_DECOLECTA_TOKEN", "another-token");
            cli.env.put("RUC_CACHE_DECOLECTA_URL", decolecta.url("/v1").toString());
            cli.env.put("RUC_CACHE_APISNET_TOKEN", "third-token");
            cli.env.put("RUC_CACHE_APISNET_URL", apisnet.url("/v2").toString());
            cli.env.put("RUC_CACHE_HTTP_TIMEOUT", "60s");
            for (MockWebServer s : List.of(migo, decolecta, apisnet)) {
                s.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
            }

            long start = System.nanoTime();
            CliHarness.Result r = cli.run("health", "--check-upstream", "--provider", "migo,decolecta,apisnet",
                    "--timeout", "3s", "--format", "json");
            double seconds = (System.nanoTime() - start) / 1e9;

            assertEquals(2, r.code(), r.toString());
            JsonNode checks = mapper.readTree(r.out()).get("checks");
            for (String name : List.of("upstream.migo", "upstream.decolecta", "upstream.apisnet")) {
                JsonNode c = find(checks, name);
                assertEquals("critical", c.get("level").asText(), r.out());
                assertTrue(c.get("detail").asText().startsWith("timeout: no answer within 3s"), r.out());
            }
            // One overall timeout, the three waited for together: one after another they would take 9 s or more.
            assertTrue(seconds < 8, seconds + " s");
        }
    }

    @Test
    void health_timeoutNotPositive_unknownExit3() {
        CliHarness.Result r = cli.run("health", "--check-upstream", "--timeout", "0s");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("--timeout"), r.err());
    }

    private static JsonNode find(JsonNode checks, String name) {
        for (JsonNode c : checks) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + checks);
    }

    @Test
    void health_badConfiguration_unknownExit3() {
        CliHarness.Result r = cli.run("health", "--provider", "nope");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().startsWith("RUC-CACHE UNKNOWN - "), r.out());
    }

    @Test
    void clear_scopes_removeOnlyWhatTheySay() throws Exception {
        answer(200, RecordedBodies.MIGO_CONTINENTAL);
        answer(404, RecordedBodies.MIGO_NOT_FOUND);
        cli.run("lookup", CONTINENTAL, SUNAT);
        cli.run("invalid", "add", "20100038147", "--reason", "x");
        assertEquals("removed 0 entries\n", cli.run("clear", "--expired").out());
        clock.advance(Duration.ofHours(2));
        assertEquals("removed 1 entry\n", cli.run("clear", "--expired").out());
        assertEquals("removed 1 entry\n", cli.run("clear", "--provider", "migo").out());
        assertEquals("removed 0 entries\n", cli.run("clear", "--valid").out());
        assertEquals("removed 1 entry\n", cli.run("clear", "--ruc", "20-10003814-7").out());
    }

    @Test
    void clearAll_refusedWithoutYes_thenRemovesEverything() {
        cli.run("invalid", "add", CONTINENTAL, "--reason", "x");
        cli.run("lookup", "20100038147");
        CliHarness.Result refused = cli.run("clear", "--all");
        assertEquals(64, refused.code(), refused.toString());
        assertEquals("removed 2 entries\n", cli.run("clear", "--all", "--yes").out());
    }

    @Test
    void clearAll_interactive_asksAndHonoursNo() {
        cli.interactive = true;
        cli.run("invalid", "add", CONTINENTAL, "--reason", "x");
        CliHarness.Result no = cli.runWithInput("n\n", "clear", "--all");
        assertEquals(0, no.code());
        assertTrue(no.err().contains("[y/N]") && no.err().contains("nothing removed"), no.err());
        assertEquals(1, cli.run("invalid", "show", CONTINENTAL).code());
        assertEquals("removed 1 entry\n", cli.runWithInput("y\n", "clear", "--all").out());
    }

    @Test
    void clear_withoutCriterion_exit64() {
        assertEquals(64, cli.run("clear").code());
        assertEquals(64, cli.run("clear", "--all", "--valid").code());
        assertEquals(78, cli.run("clear", "--provider", "nope").code());
    }
}
