package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.testing.PadronFixture;
import pe.ruccache.upstream.RecordedBodies;

/** The padrón end to end: files in a temporary folder, SUNAT and APIMIGO on MockWebServer. */
class PadronCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
    private static final Instant FILE_DATE = Instant.parse("2026-11-24T10:30:00Z");
    private static final String LAST_MODIFIED = "Tue, 24 Nov 2026 10:30:00 GMT";

    @TempDir
    Path home;

    private final MockWebServer server = new MockWebServer();
    private final ObjectMapper json = new ObjectMapper();
    private CliHarness cli;
    private MutableClock clock;

    @BeforeEach
    void setUp() throws Exception {
        server.start();
        cli = new CliHarness(home);
        // health, stats and invalid list|show only read a cache that exists (they create none at a mistyped path).
        cli.createCache();
        clock = new MutableClock(NOW);
        cli.clock = clock;
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "0");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Path standardFile() throws IOException {
        Path file = PadronFixture.write(home.resolve("padron_reducido_ruc.txt"),
                PadronFixture.latin1(PadronFixture.standardLines()));
        Files.setLastModifiedTime(file, FileTime.from(FILE_DATE));
        return file;
    }

    private byte[] zipOf(int rows) throws IOException {
        return PadronFixture.zipBytes("padron_reducido_ruc.txt",
                PadronFixture.latin1(PadronFixture.syntheticLines(rows)));
    }

    private CliHarness.Result importStandard() throws IOException {
        CliHarness.Result r = cli.run("padron", "import", standardFile().toString());
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    private MockResponse zipResponse(byte[] zip, String etag) {
        return new MockResponse.Builder().code(200).addHeader("ETag", etag).addHeader("Last-Modified", LAST_MODIFIED)
                .addHeader("Content-Type", "application/zip").body(new Buffer().write(zip)).build();
    }

    private String url() {
        return server.url("/padron_reducido_ruc.zip").toString();
    }

    @Test
    void importThenLookupOffline_validDatedAsSnapshot_absentNotFound_nothingCached() throws Exception {
        importStandard();
        CliHarness.Result r = cli.run("lookup", "--provider", "padron", "--offline", "--format", "json",
                PadronFixture.CONTINENTAL, PadronFixture.ABSENT);
        assertEquals(1, r.code(), r.toString());
        JsonNode answers = json.readTree(r.out());
        JsonNode continental = answers.get(0);
        assertEquals("VALID", continental.get("status").asText());
        assertEquals("CONTINENTAL S.A.C.", continental.get("razon_social").asText());
        assertEquals("padron", continental.get("source").asText());
        assertEquals("2026-11-24T10:30:00Z", continental.get("data_as_of").asText());
        assertEquals("2026-11-25T15:00:00Z", continental.get("fetched_at").asText());
        assertTrue(continental.get("expires_at").isNull(), "a padrón answer is not cached, so it has no expiry");
        JsonNode absent = answers.get(1);
        assertEquals("INVALID", absent.get("status").asText());
        assertEquals("NOT_FOUND", absent.get("reason").asText());
        assertEquals("padron: not in SUNAT's padrón as of 2026-11-24T10:30:00Z", absent.get("detail").asText());
        JsonNode stats = json.readTree(cli.run("stats", "--format", "json").out());
        assertEquals(0, stats.get("entries").get("total").asInt(), "the snapshot is not copied into the cache");
    }

    @Test
    void lookupWithoutToken_afterAnImport_saysHowToAnswerFromThePadron() throws Exception {
        importStandard();
        CliHarness.Result r = cli.run("lookup", PadronFixture.CONTINENTAL);
        assertEquals(78, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no token for provider migo") && r.err().contains("--provider padron")
                && r.err().contains(home.resolve("cache").resolve("padron.db").toString()), r.err());
    }

    @Test
    void snapshotOlderThanItsMaximumAge_warnsOncePerRun_unlessQuiet() throws Exception {
        importStandard();
        CliHarness.Result fresh = cli.run("lookup", "--provider", "padron", PadronFixture.CONTINENTAL);
        assertEquals(0, fresh.code(), fresh.toString());
        assertEquals("", fresh.err(), "the default maximum age is not passed yet");
        clock.advance(Duration.ofDays(30));
        CliHarness.Result old = cli.run("lookup", "--provider", "padron", PadronFixture.CONTINENTAL,
                PadronFixture.ABSENT);
        assertEquals(1, old.code(), old.toString());
        assertEquals(1, old.err().lines().count(), "once, however many answers: " + old.err());
        assertTrue(old.err().startsWith("ruc-cache: warning: answering from a padrón snapshot ")
                && old.err().contains("older than its maximum age") && old.err().contains("padron update"), old.err());
        CliHarness.Result quiet = cli.run("-q", "lookup", "--provider", "padron", PadronFixture.CONTINENTAL);
        assertEquals("", quiet.err(), quiet.toString());
    }

    @Test
    void lookupTable_namesWithAccentsPrintedAsUtf8() throws Exception {
        importStandard();
        CliHarness.Result r = cli.run("lookup", "--provider", "padron", "--offline", PadronFixture.PENA);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("PEÑA NÚÑEZ MARÍA JOSÉ"), r.out());
        assertTrue(r.out().contains("BAJA DE OFICIO"), r.out());
        assertTrue(r.out().contains("data_as_of    2026-11-24T10:30:00Z"), r.out());
    }

    @Test
    void migoDown_padronNext_answers_andMigoIsAskedAgainNextRun() throws Exception {
        importStandard();
        cli.env.put("RUC_CACHE_MIGO_TOKEN", "tok-Secret-4242");
        cli.env.put("RUC_CACHE_MIGO_URL", server.url("/api/v2").toString());
        server.enqueue(new MockResponse.Builder().code(503).build());
        CliHarness.Result r = cli.run("lookup", "--provider", "migo,padron", "--format", "jsonl",
                PadronFixture.CONTINENTAL);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\"source\":\"padron\""), r.out());
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(RecordedBodies.MIGO_CONTINENTAL).build());
        CliHarness.Result again = cli.run("lookup", "--provider", "migo,padron", "--format", "jsonl",
                PadronFixture.CONTINENTAL);
        assertTrue(again.out().contains("\"source\":\"migo\""), again.out());
        assertEquals(2, server.getRequestCount(), "the padrón's answer was not cached in front of migo");
    }

    @Test
    void padronOnly_noSnapshot_configErrorSayingWhatToRun() {
        CliHarness.Result r = cli.run("lookup", "--provider", "padron", "--offline", PadronFixture.CONTINENTAL);
        assertEquals(78, r.code(), r.toString());
        assertEquals("ruc-cache: no padrón snapshot at " + home.resolve("cache").resolve("padron.db")
                + " for provider padron; run 'ruc-cache padron update' (or 'padron import FILE') first\n", r.err());
    }

    @Test
    void healthCheckUpstream_padronOnlyChain_nothingToCallIsHealthy() throws Exception {
        importStandard();
        CliHarness.Result r = cli.run("health", "--check-upstream", "--provider", "padron");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("no network provider in the chain"), r.out());
        // A network chain without a token still warns.
        CliHarness.Result migo = cli.run("health", "--check-upstream", "--provider", "migo,padron");
        assertEquals(1, migo.code(), migo.toString());
        assertTrue(migo.out().contains("no network provider has a token"), migo.out());
    }

    @Test
    void healthCheckUpstream_migoDownButPadronServing_warningNotCritical() throws Exception {
        importStandard();
        cli.env.put("RUC_CACHE_MIGO_TOKEN", "t0k3n");
        // A closed port: connection refused.
        cli.env.put("RUC_CACHE_MIGO_URL", "http://127.0.0.1:1/api/v2");

        CliHarness.Result r = cli.run("health", "--check-upstream", "--provider", "migo,padron");

        // The chain still answers from the padrón, so migo being down is a warning (1), not unhealthy (2).
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().startsWith("RUC-CACHE WARNING - "), r.out());
        assertTrue(r.out().contains("falls back to another provider"), r.out());
    }

    @Test
    void offlineWithoutPadronInChain_stillOfflineMiss() throws Exception {
        importStandard();
        CliHarness.Result r = cli.run("lookup", "--offline", PadronFixture.CONTINENTAL);
        assertEquals(69, r.code(), r.toString());
        assertTrue(r.out().contains("OFFLINE_MISS"), r.out());
    }

    @Test
    void import_summaryLineUnlessQuiet_malformedLinesWithVerbose() throws Exception {
        CliHarness.Result plain = importStandard();
        assertTrue(plain.err().startsWith("ruc-cache: imported 5 taxpayers from " + standardFile()), plain.err());
        assertEquals(1, plain.err().lines().count(), "one line, no per-line warnings without -v: " + plain.err());
        CliHarness.Result quiet = cli.run("-q", "padron", "import", standardFile().toString());
        assertEquals(0, quiet.code(), quiet.toString());
        assertEquals("", quiet.err(), "cron with -q gets no mail for a successful import");
        CliHarness.Result verbose = cli.run("-v", "padron", "import", standardFile().toString());
        assertEquals(0, verbose.code(), verbose.toString());
        assertTrue(verbose.err().contains("ruc-cache: line 7 skipped: too few fields"), verbose.err());
        assertTrue(verbose.err().contains("ruc-cache: imported 5 taxpayers from " + standardFile()), verbose.err());
        assertTrue(verbose.err().contains("; 5 malformed lines skipped (too few fields 1, too many fields 1, NUL "
                + "bytes 1, bad RUC 1, duplicate RUC 1); snapshot "), verbose.err());
        assertTrue(verbose.err().contains("as of 2026-11-24T10:30:00Z; +0 taxpayers since the previous snapshot"),
                verbose.err());
        assertEquals("", verbose.out(), "stdout carries results only");
    }

    @Test
    void truncatedZip_exit65_oneLine_previousSnapshotKeepsServing() throws Exception {
        importStandard();
        Path zip = home.resolve("nuevo.zip");
        Files.write(zip, zipOf(3000));
        Path cut = PadronFixture.truncated(zip, home.resolve("cortado.zip"), (int) Files.size(zip) - 100);
        CliHarness.Result r = cli.run("padron", "import", cut.toString());
        assertEquals(65, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ruc-cache: " + cut + " is not a complete zip file"), r.err());
        assertTrue(r.err().strip().endsWith("the snapshot as of 2026-11-24T10:30:00Z keeps serving"), r.err());
        CliHarness.Result lookup = cli.run("lookup", "--provider", "padron", "--offline", PadronFixture.SUNAT);
        assertEquals(0, lookup.code(), lookup.toString());
    }

    @Test
    void changedHeader_exit65_namingTheColumn() throws Exception {
        Path file = PadronFixture.write(home.resolve("raro.txt"), PadronFixture.latin1(
                pe.ruccache.padron.PadronFormat.HEADER.replace("LOTE", "LOTE NUEVO"), PadronFixture.standardLines()));
        CliHarness.Result r = cli.run("padron", "import", file.toString());
        assertEquals(65, r.code(), r.toString());
        assertEquals("ruc-cache: the padrón's columns changed: column 12 of " + file + " is 'LOTE NUEVO' where "
                + "'LOTE' was expected; this ruc-cache cannot read the new layout, so the file was not imported; "
                + "no snapshot was created\n", r.err());
    }

    @Test
    void status_tableAndJson_thenNoSnapshot_exit1() throws Exception {
        CliHarness.Result none = cli.run("padron", "status");
        assertEquals(1, none.code(), none.toString());
        assertTrue(none.out().contains("(none)"), none.out());
        Path file = standardFile();
        importStandard();
        clock.advance(Duration.ofHours(2));
        CliHarness.Result table = cli.run("padron", "status");
        assertEquals(0, table.code(), table.toString());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertTrue(table.out().contains("source       " + file + "\n"), table.out());
        assertTrue(table.out().contains("sha256 " + sha), table.out());
        assertTrue(table.out().contains("taxpayers    5\n"), table.out());
        assertTrue(table.out().contains("malformed    5 (too few fields 1, too many fields 1, NUL bytes 1, bad RUC 1, "
                + "duplicate RUC 1)"), table.out());
        assertTrue(table.out().contains("data as of   2026-11-24T10:30:00Z (1d6h old)"), table.out());
        assertTrue(table.out().contains("imported at  2026-11-25T15:00:00Z"), table.out());
        JsonNode status = json.readTree(cli.run("padron", "status", "--format", "json").out());
        assertTrue(status.get("present").asBoolean());
        assertEquals(5, status.get("rows").asInt());
        assertEquals(1, status.get("malformed").get("nul_bytes").asInt());
        assertEquals(5, status.get("malformed_total").asInt());
        assertEquals(sha, status.get("sha256").asText());
        assertEquals(Files.size(file), status.get("file_bytes").asLong());
        assertEquals(30 * 3600 + 1800, status.get("age_seconds").asLong());
        assertFalse(status.get("stale").asBoolean());
    }

    @Test
    void update_downloadsAndImports_thenUnchangedFileIsNotFetchedAgain() throws Exception {
        byte[] zip = zipOf(100);
        server.enqueue(zipResponse(zip, "\"v1\""));
        CliHarness.Result r = cli.run("-v", "padron", "update", "--url", url());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("ruc-cache: downloaded " + url()), r.err());
        assertTrue(r.err().contains("imported 100 taxpayers from " + url()), r.err());
        JsonNode status = json.readTree(cli.run("padron", "status", "--format", "json").out());
        assertEquals(url(), status.get("source").asText());
        assertEquals("2026-11-24T10:30:00Z", status.get("data_as_of").asText(), "dated by Last-Modified");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip)),
                status.get("sha256").asText());
        assertFalse(Files.exists(home.resolve("cache").resolve("padron_reducido_ruc.zip")), "the download is removed");
        server.takeRequest(1, TimeUnit.SECONDS);

        server.enqueue(new MockResponse.Builder().code(304).build());
        cli.env.put("RUC_CACHE_PADRON_URL", url());
        CliHarness.Result again = cli.run("-v", "padron", "update");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.err().contains("has not changed since the snapshot as of 2026-11-24T10:30:00Z; nothing "
                + "to do"), again.err());
        RecordedRequest conditional = server.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("\"v1\"", conditional.getHeaders().get("If-None-Match"));
    }

    @Test
    void update_droppedThenServerDown_exit69_nextRunResumesAndImports() throws Exception {
        importStandard();
        byte[] zip = zipOf(6_000);
        server.enqueue(new MockResponse.Builder(zipResponse(zip, "\"v2\""))
                .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(new MockResponse.Builder().code(503).build());
        CliHarness.Result failed = cli.run("padron", "update", "--url", url());
        assertEquals(69, failed.code(), failed.toString());
        assertTrue(failed.err().startsWith("ruc-cache: cannot download " + url() + ": the server answered HTTP 503"),
                failed.err());
        assertEquals(PadronFixture.STANDARD_ROWS, json.readTree(cli.run("padron", "status", "--format", "json").out())
                .get("rows").asInt(), "the snapshot in use is untouched");

        server.takeRequest(1, TimeUnit.SECONDS);
        server.takeRequest(1, TimeUnit.SECONDS);
        long kept = Files.size(home.resolve("cache").resolve("padron_reducido_ruc.zip.part"));
        server.enqueue(new MockResponse.Builder().code(206).addHeader("ETag", "\"v2\"")
                .addHeader("Last-Modified", LAST_MODIFIED)
                .addHeader("Content-Range", "bytes " + kept + "-" + (zip.length - 1) + "/" + zip.length)
                .body(new Buffer().write(zip, (int) kept, zip.length - (int) kept)).build());
        CliHarness.Result resumed = cli.run("-v", "padron", "update", "--url", url(), "--allow-shrink");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.err().contains("resumed at "), resumed.err());
        assertEquals("bytes=" + kept + "-", server.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Range"));
        assertEquals(6_000, json.readTree(cli.run("padron", "status", "--format", "json").out()).get("rows").asInt());
    }

    @Test
    void update_serverSendsAWebPage_exit65_snapshotKept() throws Exception {
        importStandard();
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html>Mantenimiento</html>").build());
        CliHarness.Result r = cli.run("padron", "update", "--url", url());
        assertEquals(65, r.code(), r.toString());
        assertTrue(r.err().contains("is not a zip file: it starts with '<htm' (a web page"), r.err());
        assertEquals(0, cli.run("padron", "status").code());
    }

    @Test
    void health_snapshotOlderThanLimit_warns_exit1() throws Exception {
        importStandard();
        cli.env.put("RUC_CACHE_PROVIDERS", "padron");
        CliHarness.Result fresh = cli.run("health");
        assertEquals(0, fresh.code(), fresh.toString());
        assertTrue(fresh.out().contains("OK       padron") || fresh.out().contains("OK     padron"), fresh.out());
        clock.advance(Duration.ofDays(3));
        CliHarness.Result old = cli.run("health", "--format", "json");
        assertEquals(1, old.code(), old.toString());
        JsonNode padron = null;
        for (JsonNode check : json.readTree(old.out()).get("checks")) {
            if (check.get("name").asText().equals("padron")) {
                padron = check;
            }
        }
        assertEquals("warning", padron.get("level").asText());
        assertTrue(padron.get("detail").asText().contains("(4d4h old), older than 3d"), padron.toString());
        cli.env.put("RUC_CACHE_PADRON_MAX_AGE", "7d");
        assertEquals(0, cli.run("health").code(), "the limit is configurable");
    }

    @Test
    void health_padronOnlyWithoutSnapshot_unhealthy_exit2() {
        CliHarness.Result r = cli.run("health", "--provider", "padron");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.out().contains("no padrón snapshot at"), r.out());
    }

    @Test
    void badMaxAge_configError_exit78() {
        cli.env.put("RUC_CACHE_PADRON_MAX_AGE", "una semana");
        CliHarness.Result r = cli.run("padron", "status");
        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("(from RUC_CACHE_PADRON_MAX_AGE)"), r.err());
    }

    @Test
    void configFile_padronKeys_placeTheSnapshotAndSetTheLimit() throws Exception {
        Path config = home.resolve("config").resolve("ruc-cache").resolve("config.properties");
        Files.createDirectories(config.getParent());
        Path elsewhere = home.resolve("disco2").resolve("padron.db");
        Files.writeString(config, "padron.db=" + elsewhere + "\npadron.max_age=10d\npadron.url=" + url() + "\n");
        assertEquals(0, cli.run("padron", "import", standardFile().toString()).code());
        assertTrue(Files.exists(elsewhere), "the snapshot went where the config file said");
        clock.advance(Duration.ofDays(5));
        JsonNode status = json.readTree(cli.run("padron", "status", "--format", "json").out());
        assertEquals(elsewhere.toString(), status.get("snapshot").asText());
        assertEquals(10 * 86400, status.get("max_age_seconds").asLong());
        assertFalse(status.get("stale").asBoolean());
    }

    @Test
    void padronWithoutSubcommand_usageError() {
        assertEquals(64, cli.run("padron").code());
        assertEquals(64, cli.run("padron", "update", "--url", "ftp://x/y.zip").code());
    }
}
