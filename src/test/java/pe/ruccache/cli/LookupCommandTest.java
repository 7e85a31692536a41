package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.upstream.RecordedBodies;

/** The lookup command end to end: real SQLite store in a temporary folder, APIMIGO on MockWebServer. */
class LookupCommandTest {

    private static final String TOKEN = "tok-Secret-4242";
    private static final String CONTINENTAL = "20100038146";

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private CliHarness cli;
    private MutableClock clock;

    @BeforeEach
    void setUp() throws Exception {
        migo.start();
        cli = new CliHarness(home);
        clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
        cli.clock = clock;
        cli.env.put("RUC_CACHE_MIGO_TOKEN", TOKEN);
        cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "0");
    }

    @AfterEach
    void tearDown() {
        migo.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    @Test
    void lookup_miss_callsMigoWithBearerAndPrintsRecord() throws Exception {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        CliHarness.Result r = cli.run("lookup", CONTINENTAL);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("CONTINENTAL S.A.C."), r.out());
        assertTrue(r.out().contains("ACTIVO"), r.out());
        RecordedRequest request = migo.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("/api/v2/ruc/" + CONTINENTAL, request.getTarget());
        assertEquals("Bearer " + TOKEN, request.getHeaders().get("Authorization"));
        assertEquals("application/json", request.getHeaders().get("Accept"));
    }

    @Test
    void lookup_secondRun_servedFromCacheWithoutUpstream() {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
        clock.advance(Duration.ofMinutes(30));
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"source\":\"cache\""), r.out());
        assertEquals(1, migo.getRequestCount());
    }

    @Test
    void lookup_cachedAnswer_worksWithoutToken() {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
    }

    @Test
    void lookup_jsonFormat_stableFieldsAndIsoUtcTimestamps() throws Exception {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        CliHarness.Result r = cli.run("lookup", "--format", "json", CONTINENTAL);
        JsonNode array = new ObjectMapper().readTree(r.out());
        assertEquals(1, array.size());
        JsonNode o = array.get(0);
        assertEquals(OutcomeRenderer.FIELDS, iterable(o));
        assertEquals("VALID", o.get("status").asText());
        assertEquals("migo", o.get("source").asText());
        assertEquals("2026-11-25T15:00:00Z", o.get("fetched_at").asText());
        assertEquals("2026-11-25T16:00:00Z", o.get("expires_at").asText());
        // actualizado_en is Lima time (UTC-5).
        assertEquals("2024-05-10T13:15:32Z", o.get("data_as_of").asText());
    }

    private static java.util.List<String> iterable(JsonNode o) {
        java.util.List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void lookup_csvFormat_headerAndOneRowPerRuc() {
        CliHarness.Result r = cli.run("lookup", "--format", "csv", "20100038147", "123");
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertEquals(String.join(",", OutcomeRenderer.FIELDS), lines[0]);
        assertTrue(lines[1].startsWith("20100038147,20100038147,INVALID,BAD_CHECK_DIGIT,"), lines[1]);
        assertTrue(lines[2].startsWith("123,123,INVALID,BAD_LENGTH,"), lines[2]);
    }

    @ParameterizedTest
    @CsvSource({
        "20A12333797, NOT_DIGITS",
        "2051233379, BAD_LENGTH",
        "205123337971, BAD_LENGTH",
        "20100038147, BAD_CHECK_DIGIT",
        "99512333792, BAD_PREFIX",
        "2.01000381E+10, SPREADSHEET_MANGLED",
    })
    void lookup_locallyInvalid_exit1WithReasonAndNoRequest(String input, String reason) {
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", input);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"" + reason + "\""), r.out());
        assertEquals(0, migo.getRequestCount());
    }

    @Test
    void lookup_notFound_exit1AndCachedInInvalidRegistry() {
        migo.enqueue(json(404, RecordedBodies.MIGO_NOT_FOUND));
        CliHarness.Result r = cli.run("lookup", "20131312955");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("NOT_FOUND"), r.out());
        CliHarness.Result again = cli.run("lookup", "20131312955");
        assertEquals(1, again.code());
        assertEquals(1, migo.getRequestCount());
        CliHarness.Result list = cli.run("invalid", "list", "--format", "csv");
        assertTrue(list.out().contains("20131312955,NOT_FOUND"), list.out());
    }

    @Test
    void lookup_severalRucsAndStdin_oneRowEach() {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        CliHarness.Result r = cli.runWithInput("\uFEFF20100038146\n\n 20.100.038.146 \n20100038147\n", "lookup",
                "--format", "jsonl", "-");
        assertEquals(1, r.code(), r.toString());
        assertEquals(3, r.out().lines().count(), r.out());
        assertEquals(1, migo.getRequestCount());
    }

    @Test
    void lookup_emptyStdin_exit65() {
        CliHarness.Result r = cli.runWithInput("\n  \n", "lookup", "-");
        assertEquals(65, r.code(), r.toString());
        assertEquals("ruc-cache: standard input is empty: no RUC to check\n", r.err());
    }

    @ParameterizedTest
    @CsvSource({
        "401, AUTH",
        "403, AUTH",
        "500, UNAVAILABLE",
        "503, UNAVAILABLE",
        "429, RATE_LIMITED",
    })
    void lookup_upstreamFailure_exit69_notCached_rerunAsksAgain(int status, String reason) {
        migo.enqueue(json(status, "{\"success\":false,\"message\":\"nope\"}"));
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("\"status\":\"ERROR\",\"reason\":\"" + reason + "\""), r.out());
        assertTrue(r.err().contains("could not be checked now"), r.err());
        assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN));
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
        assertEquals(2, migo.getRequestCount());
    }

    @Test
    void lookup_tokenRefused_oneRequestForManyRucs_andHint() {
        migo.enqueue(json(401, "{\"success\":false,\"message\":\"Unauthenticated.\"}"));
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL, "20131312955", "20601234565");
        assertEquals(69, r.code(), r.toString());
        assertEquals(3, r.out().lines().filter(l -> l.contains("\"reason\":\"AUTH\"")).count(), r.out());
        assertEquals(1, migo.getRequestCount());
        assertTrue(r.err().contains("refused its token"), r.err());
    }

    @Test
    void lookup_jsonSeveral_isOneValidArray() throws Exception {
        JsonNode array = new ObjectMapper().readTree(cli.run("lookup", "--format", "json", "20100038147", "x")
                .out());
        assertEquals(2, array.size());
        assertEquals("BAD_CHECK_DIGIT", array.get(0).get("reason").asText());
        assertEquals("NOT_DIGITS", array.get(1).get("reason").asText());
    }

    @Test
    void lookup_422_rejectedError() {
        migo.enqueue(json(422, RecordedBodies.MIGO_UNPROCESSABLE));
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"REJECTED\""), r.out());
    }

    @Test
    void lookup_429WithRetryAfter_waitsAndRetries() {
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "1");
        migo.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").build());
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        long start = System.nanoTime();
        CliHarness.Result r = cli.run("lookup", CONTINENTAL);
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, migo.getRequestCount());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000), "honoured Retry-After");
    }

    @Test
    void lookup_200WithHtmlBody_badResponse() {
        migo.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>Mantenimiento</body></html>").build());
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"BAD_RESPONSE\""), r.out());
    }

    @Test
    void lookup_200SuccessFalse_badResponseNotCachedAsInvalid() {
        migo.enqueue(json(200, RecordedBodies.MIGO_SUCCESS_FALSE));
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"BAD_RESPONSE\""), r.out());
        assertTrue(cli.run("invalid", "list", "--format", "jsonl").out().isEmpty());
    }

    @Test
    void lookup_timeout_errorTimeout() {
        cli.env.put("RUC_CACHE_HTTP_TIMEOUT", "300ms");
        migo.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"TIMEOUT\""), r.out());
    }

    @Test
    void lookup_connectionReset_unavailable() {
        migo.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("\"reason\":\"UNAVAILABLE\""), r.out());
    }

    @Test
    void lookup_providerDownWithExpiredAnswer_servesStale() {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
        clock.advance(Duration.ofHours(3));
        migo.enqueue(json(503, "{}"));
        CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"stale\":true"), r.out());
        assertTrue(r.err().contains("served stale"), r.err());
    }

    @Test
    void lookup_requireActive_failsPolicyWithExit1() {
        migo.enqueue(json(200, RecordedBodies.MIGO_BAJA_BRENA));
        CliHarness.Result r = cli.run("lookup", "--require-active", "--format", "jsonl", "20601234565");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("\"status\":\"VALID\""), r.out());
        assertTrue(r.out().contains("\"policy\":\"NOT_ACTIVE\""), r.out());
        // The record stays VALID in the cache; without the policy the same answer succeeds.
        assertEquals(0, cli.run("lookup", "20601234565").code());
    }

    @Test
    void lookup_offlineMiss_exit69WithoutRequest() {
        CliHarness.Result r = cli.run("lookup", "--offline", "--format", "jsonl", CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("OFFLINE_MISS"), r.out());
        assertEquals(0, migo.getRequestCount());
    }

    @Test
    void lookup_missingToken_exit78NamingTheVariable() {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        CliHarness.Result r = cli.run("lookup", CONTINENTAL);
        assertEquals(78, r.code(), r.toString());
        assertEquals("ruc-cache: no token for provider migo; set RUC_CACHE_MIGO_TOKEN, RUC_CACHE_MIGO_TOKEN_FILE "
                + "or migo.token in the config file\n", r.err());
    }

    @Test
    void lookup_verbose_logsRequestsWithoutToken() {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        CliHarness.Result r = cli.run("-v", "lookup", CONTINENTAL);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("/api/v2/ruc/" + CONTINENTAL), r.err());
        assertFalse(r.err().contains(TOKEN), r.err());
        assertFalse(r.out().contains(TOKEN), r.out());
    }

    @Test
    void lookup_tokenFile_used() throws Exception {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        Path file = home.resolve("migo.token");
        java.nio.file.Files.writeString(file, TOKEN + "\n");
        cli.env.put("RUC_CACHE_MIGO_TOKEN_FILE", file.toString());
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
        assertEquals("Bearer " + TOKEN, migo.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Authorization"));
    }

    @Test
    void lookup_configFileToken_usedWhenNoEnvironment() throws Exception {
        cli.env.remove("RUC_CACHE_MIGO_TOKEN");
        cli.env.remove("RUC_CACHE_MIGO_URL");
        Path config = home.resolve("config").resolve("ruc-cache").resolve("config.properties");
        java.nio.file.Files.createDirectories(config.getParent());
        java.nio.file.Files.writeString(config, "migo.token=" + TOKEN + "\nmigo.url=" + migo.url("/api/v2") + "\n");
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertEquals(0, cli.run("lookup", CONTINENTAL).code());
        assertEquals(1, migo.getRequestCount());
    }

    @Test
    void lookup_ttlFlags_setExpiry() throws Exception {
        migo.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        CliHarness.Result r = cli.run("lookup", "--ttl-valid", "7d", "--format", "jsonl", CONTINENTAL);
        assertTrue(r.out().contains("\"expires_at\":\"2026-12-02T15:00:00Z\""), r.out());
    }
}
