package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.cli.RucStub.ruc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.upstream.RecordedBodies;

/**
 * The figures of the bulk summary and of {@code stats} add up on real runs: APIMIGO and decolecta on MockWebServer,
 * with retries and failover, so that a count kept per attempt or per provider instead of per RUC shows.
 */
class FiguresAddUpTest {

    private static final Pattern SUMMARY = Pattern.compile("bulk: (\\d+) rows?, (\\d+) distinct RUCs?: "
            + "(\\d+) valid.*?, (\\d+) invalid.*?, (\\d+) errors?.*?; cache hits (\\d+), upstream calls (\\d+) "
            + "\\((\\d+) RUCs? asked\\), calls saved (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private final MockWebServer decolecta = new MockWebServer();
    private final RucStub migoStub = new RucStub(false);
    private final RucStub decolectaStub = new RucStub(true);
    private CliHarness cli;

    /** The figures of one bulk summary line. */
    record Summary(long rows, long distinct, long valid, long invalid, long errors, long hits, long calls,
            long asked, long saved) {
        static Summary of(CliHarness.Result r) {
            Matcher m = SUMMARY.matcher(r.err());
            assertTrue(m.find(), r.toString());
            long[] v = new long[9];
            for (int i = 0; i < 9; i++) {
                v[i] = Long.parseLong(m.group(i + 1));
            }
            return new Summary(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        migo.setDispatcher(migoStub);
        migo.start();
        decolecta.setDispatcher(decolectaStub);
        decolecta.start();
        cli = new CliHarness(home);
        cli.clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
        cli.env.put("RUC_CACHE_MIGO_TOKEN", "tok-Figures-1");
        cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        cli.env.put("RUC_CACHE_DECOLECTA_TOKEN", "tok-Figures-2");
        cli.env.put("RUC_CACHE_DECOLECTA_URL", decolecta.url("/v1").toString());
        cli.env.put("RUC_CACHE_PROVIDERS", "migo,decolecta");
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "2");
        // ruc(1..3): APIMIGO fails once, then answers on the retry.
        for (int i = 1; i <= 3; i++) {
            migoStub.scripted.put(ruc(i), n -> n == 1 ? unavailable() : null);
        }
        // ruc(4): APIMIGO says it does not exist.
        migoStub.scripted.put(ruc(4), n -> RucStub.json(404, RecordedBodies.MIGO_NOT_FOUND));
        // ruc(5): APIMIGO is down for it (every retry), decolecta answers.
        migoStub.scripted.put(ruc(5), n -> unavailable());
        // ruc(6): both are down for it: an ERROR after every retry of both.
        migoStub.scripted.put(ruc(6), n -> unavailable());
        decolectaStub.scripted.put(ruc(6), n -> unavailable());
    }

    @AfterEach
    void tearDown() {
        migo.close();
        decolecta.close();
    }

    private static MockResponse unavailable() {
        return new MockResponse.Builder().code(503).body("busy").build();
    }

    /** Ten distinct RUCs, each twice, windows apart; three locally invalid values. */
    private static List<String> input() {
        List<String> lines = new ArrayList<>(List.of("id;ruc"));
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i <= 10; i++) {
                lines.add(round + "-" + i + ";" + ruc(i));
            }
        }
        lines.add("x;20100038147");
        lines.add("y;2.01000381E+10");
        lines.add("z;hola");
        return lines;
    }

    private Set<String> askedOfProviders() {
        Set<String> asked = new HashSet<>(migoStub.requests.keySet());
        asked.addAll(decolectaStub.requests.keySet());
        return asked;
    }

    private int requests() {
        return migoStub.total.get() + decolectaStub.total.get();
    }

    private void assertStatsAddUp() throws Exception {
        CliHarness.Result stats = cli.run("stats", "--format", "json");
        assertEquals(0, stats.code(), stats.toString());
        JsonNode c = JSON.readTree(stats.out()).get("counters");
        assertEquals(c.get("lookups").asLong(), c.get("cache_hits").asLong() + c.get("cache_misses").asLong()
                + c.get("saved_by_local_check").asLong(), stats.out());
        assertEquals(requests(), c.get("upstream_calls").asLong(), stats.out());
        CliHarness.Result list = cli.run("invalid", "list", "--format", "json");
        assertEquals(0, list.code(), list.toString());
        assertEquals(JSON.readTree(stats.out()).get("entries").get("invalid").asLong(),
                JSON.readTree(list.out()).size(), list.out() + stats.out());
        CliHarness.Result table = cli.run("stats");
        // The table shows every part of the lookups it counts.
        assertTrue(table.out().contains("local checks " + c.get("saved_by_local_check").asLong()), table.out());
    }

    @Test
    void bulk_withRetriesAndFailover_askedCountsDistinctRucsSent_andStatsAddUp() throws Exception {
        List<String> input = input();
        String text = String.join("\n", input) + "\n";
        CliHarness.Result first = cli.runWithInput(text, "bulk", "--window-rows", "4", "-");
        assertEquals(69, first.code(), first.toString());
        Summary s = Summary.of(first);
        assertEquals(input.size() - 1, s.rows());
        assertEquals(10, s.distinct());
        assertEquals(s.rows(), s.valid() + s.invalid() + s.errors());
        // Every distinct RUC went to a provider once, however many attempts and providers it took.
        assertEquals(askedOfProviders().size(), s.asked());
        assertEquals(10, s.asked());
        assertEquals(requests(), s.calls(), migoStub.requests + " " + decolectaStub.requests + first.err());
        assertEquals(s.rows() - s.asked(), s.saved());
        assertStatsAddUp();

        // A rerun: only the ERROR, never cached, is asked again.
        migoStub.requests.clear();
        decolectaStub.requests.clear();
        int before = requests();
        CliHarness.Result second = cli.runWithInput(text, "bulk", "--window-rows", "4", "-");
        Summary again = Summary.of(second);
        assertEquals(input.size() - 1, again.rows());
        assertEquals(Set.of(ruc(6)), askedOfProviders());
        assertEquals(1, again.asked());
        assertEquals(requests() - before, again.calls());
        assertStatsAddUp();
    }

    @Test
    void bulk_noProvider_noRucAsked() throws Exception {
        cli.env.put("RUC_CACHE_PROVIDERS", ",");
        CliHarness.Result r = cli.runWithInput(String.join("\n", input()) + "\n", "bulk", "-");
        Summary s = Summary.of(r);
        assertEquals(0, s.asked(), r.err());
        assertEquals(0, s.calls());
        assertEquals(s.rows(), s.saved());
        assertStatsAddUp();
    }

    @Test
    void bulk_offline_noRucAsked() throws Exception {
        CliHarness.Result r = cli.runWithInput(String.join("\n", input()) + "\n", "bulk", "--offline", "-");
        Summary s = Summary.of(r);
        assertEquals(0, s.asked(), r.err());
        assertEquals(0, requests());
        assertStatsAddUp();
    }

    @Test
    void lookup_repeatedErrorAndLocalChecks_statsAddUp() throws Exception {
        CliHarness.Result r = cli.run("lookup", ruc(6), ruc(6), ruc(1), ruc(1), ruc(4), "20100038147", "hola");
        assertEquals(69, r.code(), r.toString());
        assertStatsAddUp();
        JsonNode c = JSON.readTree(cli.run("stats", "--format", "json").out()).get("counters");
        assertEquals(7, c.get("lookups").asLong());
        assertEquals(2, c.get("saved_by_local_check").asLong());
    }

    @Test
    void bulk_stoppedByMaxErrors_distinctAtMostRows_errorsAsCounted() throws Exception {
        List<String> lines = new ArrayList<>(List.of("ruc"));
        lines.add(ruc(6));
        for (int i = 10; i < 60; i++) {
            lines.add(ruc(i));
        }
        CliHarness.Result r = cli.runWithInput(String.join("\n", lines) + "\n", "bulk", "--window-rows", "2",
                "--max-errors", "0", "-");
        assertEquals(69, r.code(), r.toString());
        Summary s = Summary.of(r);
        assertTrue(s.distinct() <= s.rows(), r.err());
        assertTrue(s.asked() <= s.distinct(), r.err());
        assertEquals(s.rows(), s.valid() + s.invalid() + s.errors(), r.err());
        // The run stopped for the one error it counted, and the summary counts it.
        assertEquals(1, s.errors(), r.err());
        assertTrue(r.err().contains("more than 0 errors (--max-errors 0); last: UNAVAILABLE"), r.err());
        assertEquals(requests(), s.calls(), r.err());
        // What was prepared but never looked up counts as no lookup.
        assertStatsAddUp();
    }

    @Test
    void stats_localVerdictTheRulesNoLongerReach_notCountedInvalid_asInvalidList() throws Exception {
        String first = "1612345678";
        String ruc16 = first + pe.ruccache.core.Ruc.checkDigit(first);
        cli.env.put("RUC_CACHE_PREFIXES", "10,15,17,20");
        assertEquals(1, cli.run("lookup", "--offline", ruc16, "20100038147").code());
        // Prefix 16 is accepted again: lookup and the registry ignore the BAD_PREFIX verdict, and so must stats.
        cli.env.remove("RUC_CACHE_PREFIXES");
        assertStatsAddUp();
        JsonNode entries = JSON.readTree(cli.run("stats", "--format", "json").out()).get("entries");
        assertEquals(1, entries.get("invalid").asLong(), entries.toString());
        assertEquals(1, entries.get("invalid_by_reason").get("BAD_CHECK_DIGIT").asLong(), entries.toString());
        assertTrue(entries.get("invalid_by_reason").path("BAD_PREFIX").isMissingNode(), entries.toString());
    }
}
