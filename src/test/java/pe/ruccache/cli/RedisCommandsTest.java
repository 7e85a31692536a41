package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.testing.RedisServer;
import pe.ruccache.upstream.RecordedBodies;
import redis.clients.jedis.Jedis;

/** Every command end to end on {@code --store redis://...}: a real redis-server, APIMIGO on MockWebServer. */
class RedisCommandsTest {

    private static final String CONTINENTAL = "20100038146";
    private static final String SUNAT = "20131312955";
    private static final String BCP = "20100047218";
    private static final String PASSWORD = "pw-Redis-7731";

    @TempDir
    static Path serverDir;

    private static RedisServer server;

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private final ObjectMapper mapper = new ObjectMapper();
    private CliHarness cli;
    private MutableClock clock;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start(serverDir.resolve("main"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        server.flushAll();
        migo.start();
        clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
        cli = machine("a");
    }

    @AfterEach
    void tearDown() {
        migo.close();
    }

    /** Returns a harness with its own home folder, as another machine sharing the Redis would have. */
    private CliHarness machine(String name) {
        CliHarness harness = new CliHarness(home.resolve(name));
        harness.clock = clock;
        harness.env.put("RUC_CACHE_STORE", server.uri());
        harness.env.put("RUC_CACHE_MIGO_TOKEN", "t0k3n");
        harness.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        harness.env.put("RUC_CACHE_HTTP_RETRIES", "0");
        return harness;
    }

    private void answer(String ruc) {
        migo.enqueue(found(ruc));
    }

    private static MockResponse found(String ruc) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(RecordedBodies.MIGO_CONTINENTAL.replace(CONTINENTAL, ruc)).build();
    }

    @Test
    void lookup_answerFromOneMachine_isAHitOnAnother() throws Exception {
        answer(CONTINENTAL);
        CliHarness.Result first = cli.run("lookup", "--store", server.uri(), CONTINENTAL);
        assertEquals(0, first.code(), first.toString());
        try (Jedis admin = server.admin()) {
            assertTrue(admin.exists("ruc-cache:migo:ruc:" + CONTINENTAL));
        }

        CliHarness.Result other = machine("b").run("lookup", "--format", "jsonl", CONTINENTAL);

        assertEquals(0, other.code(), other.toString());
        assertEquals("cache", mapper.readTree(other.out()).get("source").asText());
        assertEquals(1, migo.getRequestCount());
    }

    @Test
    void lookup_prefixFromEnvironment_keysUnderIt() {
        cli.env.put("RUC_CACHE_REDIS_PREFIX", "team-a:ruc");
        CliHarness.Result r = cli.run("lookup", "20100038147");
        assertEquals(1, r.code(), r.toString());
        try (Jedis admin = server.admin()) {
            assertTrue(admin.exists("team-a:ruc:local:ruc:20100038147"));
            assertFalse(admin.exists("ruc-cache:local:ruc:20100038147"));
        }
    }

    @Test
    void configFile_prefixAndGrace_used() throws IOException {
        Path config = cli.home.resolve("config").resolve("ruc-cache").resolve("config.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "redis.prefix=team-b\nredis.grace=1d\n");
        answer(CONTINENTAL);

        assertEquals(0, cli.run("lookup", CONTINENTAL).code());

        try (Jedis admin = server.admin()) {
            long pttl = admin.pttl("team-b:migo:ruc:" + CONTINENTAL);
            long expected = Duration.ofHours(1).plus(Duration.ofDays(1)).toMillis();
            assertTrue(pttl <= expected && pttl > expected - 60_000, "PTTL " + pttl);
        }
    }

    @Test
    void badPrefix_configErrorNamingTheVariable() {
        cli.env.put("RUC_CACHE_REDIS_PREFIX", "team a*");

        CliHarness.Result r = cli.run("stats");

        assertEquals(78, r.code(), r.toString());
        assertTrue(r.err().contains("RUC_CACHE_REDIS_PREFIX"), r.err());
    }

    @Test
    void invalidRegistry_addShowListRemove_onRedis() throws Exception {
        assertEquals(0, cli.run("invalid", "add", CONTINENTAL, "--reason", "cliente dado de baja").code());
        assertEquals(1, machine("b").run("invalid", "show", CONTINENTAL).code());

        JsonNode listed = mapper.readTree(cli.run("invalid", "list", "--format", "json").out());
        assertEquals(1, listed.size());
        assertEquals("MANUAL", listed.get(0).get("reason").asText());
        // A mark made on one machine keeps the RUC from being sent upstream on another.
        CliHarness.Result lookup = machine("b").run("lookup", "--refresh", CONTINENTAL);
        assertEquals(1, lookup.code(), lookup.toString());
        assertEquals(0, migo.getRequestCount());

        assertEquals(0, cli.run("invalid", "remove", CONTINENTAL).code());
        assertEquals(0, cli.run("invalid", "show", CONTINENTAL).code());
    }

    @Test
    void stats_countsFromRedis_andNamesTheServerWithoutPassword() throws Exception {
        answer(CONTINENTAL);
        cli.run("lookup", CONTINENTAL, "20100038147");
        machine("b").run("lookup", CONTINENTAL);

        JsonNode s = mapper.readTree(cli.run("stats", "--format", "json").out());

        assertEquals(1, s.at("/entries/valid").asLong());
        assertEquals(1, s.at("/entries/invalid_by_reason/BAD_CHECK_DIGIT").asLong());
        // Counters accumulate across machines: 2 lookups on a, 1 on b, which was a hit.
        assertEquals(3, s.at("/counters/lookups").asLong());
        assertEquals(1, s.at("/counters/cache_hits").asLong());
        assertEquals(server.uri() + "/0 (prefix ruc-cache)", s.at("/store/location").asText());
        assertTrue(s.at("/store/size_bytes").isNull());
    }

    @Test
    void clear_scopes_onRedis() {
        answer(CONTINENTAL);
        cli.run("lookup", CONTINENTAL, "20100038147");
        cli.run("invalid", "add", SUNAT, "--reason", "x");
        assertEquals("removed 0 entries\n", cli.run("clear", "--expired").out());
        clock.advance(Duration.ofHours(2));
        // Expired by the tool's clock, yet still in Redis (grace period): clear --expired removes it.
        assertEquals("removed 1 entry\n", cli.run("clear", "--expired").out());
        assertEquals("removed 1 entry\n", cli.run("clear", "--provider", "local").out());
        CliHarness.Result all = cli.run("clear", "--all", "--yes");
        assertEquals("removed 1 entry\n", all.out(), all.toString());
    }

    @Test
    void health_onRedis_everyStoreCheckOk() throws Exception {
        CliHarness.Result r = cli.run("health", "--format", "json");

        assertEquals(0, r.code(), r.toString());
        JsonNode checks = mapper.readTree(r.out()).get("checks");
        int storeChecks = 0;
        for (JsonNode c : checks) {
            if (c.get("name").asText().startsWith("store.")) {
                storeChecks++;
                assertEquals("ok", c.get("level").asText(), c.toString());
            }
        }
        assertEquals(5, storeChecks, r.out());
    }

    @Test
    void password_fromEnvironment_works_andIsNeverPrinted() throws Exception {
        try (RedisServer secured = RedisServer.start(serverDir.resolve("secured"), "--requirepass", PASSWORD)) {
            cli.env.put("RUC_CACHE_STORE", secured.uri());
            cli.env.put("RUC_CACHE_REDIS_PASSWORD", PASSWORD);
            answer(CONTINENTAL);
            assertEquals(0, cli.run("lookup", CONTINENTAL).code());
            for (String[] args : new String[][] {{"stats"}, {"stats", "--format", "json"}, {"health"},
                {"invalid", "list"}, {"-v", "lookup", CONTINENTAL}}) {
                CliHarness.Result r = cli.run(args);
                assertFalse((r.out() + r.err()).contains(PASSWORD), r.toString());
            }

            cli.env.put("RUC_CACHE_REDIS_PASSWORD", "wrong-" + PASSWORD);
            CliHarness.Result wrong = cli.run("lookup", CONTINENTAL);
            assertEquals(74, wrong.code(), wrong.toString());
            assertEquals(1, wrong.err().lines().count(), wrong.err());
            assertTrue(wrong.err().contains("WRONGPASS"), wrong.err());
            assertFalse(wrong.err().contains(PASSWORD), wrong.err());

            cli.env.remove("RUC_CACHE_REDIS_PASSWORD");
            CliHarness.Result inUri = cli.run("stats", "--store", "redis://:wrong-" + PASSWORD + "@127.0.0.1:"
                    + secured.port());
            assertEquals(74, inUri.code(), inUri.toString());
            assertFalse(inUri.err().contains(PASSWORD), inUri.err());
        }
    }

    @Test
    void passwordInAConfigFileOthersCanRead_healthWarnsWithoutShowingIt() throws IOException {
        try (RedisServer secured = RedisServer.start(serverDir.resolve("secured-config"), "--requirepass", PASSWORD)) {
            cli.env.remove("RUC_CACHE_STORE");
            Path config = cli.home.resolve("config").resolve("ruc-cache").resolve("config.properties");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "store=redis://:" + PASSWORD + "@127.0.0.1:" + secured.port() + "\n");
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

            CliHarness.Result r = cli.run("health");

            assertEquals(1, r.code(), r.toString());
            assertTrue(r.out().contains("holds the Redis password, is readable by other users"), r.out());
            assertFalse((r.out() + r.err()).contains(PASSWORD), r.toString());
        }
    }

    @Test
    void unreachable_exit74_andNoProviderIsCalledInstead() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        answer(CONTINENTAL);
        cli.env.put("RUC_CACHE_STORE", "redis://:" + PASSWORD + "@127.0.0.1:" + port);

        CliHarness.Result r = cli.run("lookup", CONTINENTAL);

        assertEquals(74, r.code(), r.toString());
        assertEquals("ruc-cache: cannot connect to the Redis server at redis://127.0.0.1:" + port + "/0 (connection "
                + "refused); check that Redis runs there and that --store names the right host and port\n", r.err());
        // Without its cache the tool does not quietly pay for every lookup.
        assertEquals(0, migo.getRequestCount());
        CliHarness.Result health = cli.run("health");
        assertEquals(2, health.code(), health.toString());
        assertFalse(health.out().contains(PASSWORD), health.out());
    }

    @Test
    void badStoreUri_configErrorWithoutPassword() {
        CliHarness.Result r = cli.run("lookup", "--store", "redis://:" + PASSWORD + "@cache:port", CONTINENTAL);

        assertEquals(78, r.code(), r.toString());
        assertFalse(r.err().contains(PASSWORD), r.err());
    }

    @Test
    void redisKilledMidRun_exit74_andAnswersAlreadyStoredSurvive() throws Exception {
        try (RedisServer durable = RedisServer.startDurable(serverDir.resolve("durable"))) {
            cli.env.put("RUC_CACHE_STORE", durable.uri());
            AtomicInteger calls = new AtomicInteger();
            migo.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String ruc = request.getTarget().substring(request.getTarget().lastIndexOf('/') + 1);
                    if (calls.incrementAndGet() == 3) {
                        // Redis dies while the third answer is on its way: that answer cannot be stored.
                        durable.kill();
                    }
                    return found(ruc);
                }
            });

            CliHarness.Result r = cli.run("lookup", "--format", "jsonl", CONTINENTAL, SUNAT, BCP);

            assertEquals(74, r.code(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(durable.uri()), r.err());
            assertEquals(2, r.out().lines().count(), r.out());

            durable.restart();
            CliHarness.Result again = cli.run("lookup", "--offline", "--format", "jsonl", CONTINENTAL, SUNAT);
            assertEquals(0, again.code(), again.toString());
            again.out().lines().forEach(line -> assertTrue(line.contains("\"source\":\"cache\""), line));
            assertEquals(3, migo.getRequestCount());
        }
    }

    @Test
    void bulk_redisKilledMidRun_exit74_andAnswersAlreadyStoredSurvive() throws Exception {
        try (RedisServer durable = RedisServer.startDurable(serverDir.resolve("durable-bulk"))) {
            cli.env.put("RUC_CACHE_STORE", durable.uri());
            AtomicInteger calls = new AtomicInteger();
            migo.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String ruc = request.getTarget().substring(request.getTarget().lastIndexOf('/') + 1);
                    if (calls.incrementAndGet() == 3) {
                        durable.kill();
                    }
                    return found(ruc);
                }
            });
            Path input = home.resolve("rucs.csv");
            Files.writeString(input, "ruc\n" + CONTINENTAL + "\n" + SUNAT + "\n" + BCP + "\n");

            // One at a time, in file order: the third answer arrives with Redis gone.
            CliHarness.Result r = cli.run("bulk", "--concurrency", "1", "--format", "jsonl", input.toString());

            assertEquals(74, r.code(), r.toString());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("ruc-cache: ")).count(), r.err());
            assertTrue(r.err().contains(durable.uri()), r.err());

            durable.restart();
            CliHarness.Result again = cli.run("lookup", "--offline", "--format", "jsonl", CONTINENTAL, SUNAT);
            assertEquals(0, again.code(), again.toString());
            again.out().lines().forEach(line -> assertTrue(line.contains("\"source\":\"cache\""), line));
            assertEquals(3, migo.getRequestCount());
        }
    }
}
