package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.testing.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * Separate JVMs, each with its own home folder, sharing one real redis-server, as cron hosts or ERP workers on
 * several machines would: one cache, one request rate per provider, one upstream call per RUC between them. The
 * provider is {@link RucStub} on MockWebServer; tests hold its answers back until both processes are known to be at
 * the point that matters, rather than sleeping.
 */
class TwoProcessesOnRedisTest {

    /** Far longer than any run below takes; reaching it means the condition never came. */
    private static final long PATIENCE_SECONDS = 60;

    @TempDir
    static Path serverDir;

    private static RedisServer server;

    @TempDir
    Path home;

    private final MockWebServer web = new MockWebServer();
    private final RucStub stub = new RucStub(false);
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void startServer() {
        server = RedisServer.start(serverDir.resolve("shared"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        server.flushAll();
        web.setDispatcher(stub);
        web.start();
    }

    @AfterEach
    void tearDown() {
        web.close();
    }

    @Test
    void anAnswerOneProcessPaidFor_isAHitForTheOther() throws Exception {
        String ruc = RucStub.ruc(1);

        Child first = start("first", "lookup", "--format", "jsonl", ruc);
        JsonNode paid = mapper.readTree(first.awaitSuccess());
        // Offline: the second process can only answer from the shared cache.
        Child second = start("second", "lookup", "--offline", "--format", "jsonl", ruc);
        JsonNode hit = mapper.readTree(second.awaitSuccess());

        assertEquals("migo", paid.get("source").asText());
        assertEquals("cache", hit.get("source").asText());
        assertEquals(RucStub.name(ruc), hit.get("razon_social").asText());
        assertEquals(1, stub.total.get());
    }

    @Test
    void bothLookUpOneUncachedRuc_atOnce_oneUpstreamCall_bothGetTheAnswer() throws Exception {
        String ruc = RucStub.ruc(2);
        // The first request is answered only once the other process has lost the claim and waits for the answer.
        stub.beforeEach = () -> holdUntil(TwoProcessesOnRedisTest::aProcessWaitsForAClaim);

        Child first = start("first", "lookup", "--format", "jsonl", ruc);
        Child second = start("second", "lookup", "--format", "jsonl", ruc);
        JsonNode one = mapper.readTree(first.awaitSuccess());
        JsonNode other = mapper.readTree(second.awaitSuccess());

        assertEquals(1, stub.requestsFor(ruc));
        assertEquals(Set.of("migo", "cache"), Set.of(one.get("source").asText(), other.get("source").asText()));
        for (JsonNode answer : List.of(one, other)) {
            assertEquals("VALID", answer.get("status").asText(), answer.toString());
            assertEquals("migo", answer.get("provider").asText(), answer.toString());
            assertEquals(RucStub.name(ruc), answer.get("razon_social").asText(), answer.toString());
        }
    }

    @Test
    void bothBulkTheSameUncachedFile_atOnce_eachRucAskedOnce_bothOutputsComplete() throws Exception {
        List<String> rucs = new ArrayList<>();
        for (int i = 10; i < 16; i++) {
            rucs.add(RucStub.ruc(i));
        }
        Path input = home.resolve("rucs.csv");
        Files.writeString(input, "ruc\n" + String.join("\n", rucs) + "\n");
        stub.beforeEach = () -> holdUntil(TwoProcessesOnRedisTest::aProcessWaitsForAClaim);

        Child first = start("first", "bulk", "--concurrency", "4", "--format", "jsonl", input.toString());
        Child second = start("second", "bulk", "--concurrency", "4", "--format", "jsonl", input.toString());
        String firstOut = first.awaitSuccess();
        String secondOut = second.awaitSuccess();

        for (String ruc : rucs) {
            assertEquals(1, stub.requestsFor(ruc), ruc);
        }
        assertEquals(rucs.size(), stub.total.get());
        for (String out : List.of(firstOut, secondOut)) {
            List<String> lines = out.lines().toList();
            assertEquals(rucs.size(), lines.size(), out);
            for (int i = 0; i < lines.size(); i++) {
                JsonNode row = mapper.readTree(lines.get(i));
                assertEquals("VALID", row.get("status").asText(), row.toString());
                assertEquals(RucStub.name(rucs.get(i)), row.get("razon_social").asText(), row.toString());
            }
        }
    }

    @Test
    void bothBulkWithRate8_togetherSendAtMost8InAnyOneSecond() throws Exception {
        int rate = 8;
        List<String> firstRucs = new ArrayList<>();
        List<String> secondRucs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            firstRucs.add(RucStub.ruc(100 + i));
            secondRucs.add(RucStub.ruc(200 + i));
        }
        Path firstInput = home.resolve("first.csv");
        Path secondInput = home.resolve("second.csv");
        Files.writeString(firstInput, "ruc\n" + String.join("\n", firstRucs) + "\n");
        Files.writeString(secondInput, "ruc\n" + String.join("\n", secondRucs) + "\n");
        // Answers wait until both processes have sent a request, so that they certainly run at the same time.
        CountDownLatch bothSending = new CountDownLatch(1);
        stub.beforeEach = () -> {
            if (firstRucs.stream().anyMatch(r -> stub.requestsFor(r) > 0)
                    && secondRucs.stream().anyMatch(r -> stub.requestsFor(r) > 0)) {
                bothSending.countDown();
            }
            holdUntil(() -> bothSending.getCount() == 0);
        };

        Child first = start("first", "bulk", "--rate", String.valueOf(rate), "--concurrency", "4",
                firstInput.toString());
        Child second = start("second", "bulk", "--rate", String.valueOf(rate), "--concurrency", "4",
                secondInput.toString());
        first.awaitSuccess();
        second.awaitSuccess();

        List<Long> arrivals = new ArrayList<>(stub.arrivals);
        arrivals.sort(null);
        assertEquals(24, arrivals.size());
        // Each alone would send 8 per second, together 16; sharing one bucket, any second (wherever it starts, at the
        // stub's arrival times) sees at most 8.
        int most = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < arrivals.size() && arrivals.get(j) - arrivals.get(i) < 1_000_000_000L; j++) {
                inWindow++;
            }
            most = Math.max(most, inWindow);
        }
        assertTrue(most <= rate, "requests in the busiest second: " + most + "; arrivals (ms after the first): "
                + arrivals.stream().map(t -> (t - arrivals.get(0)) / 1_000_000).toList());
    }

    /** Returns whether a process is subscribed to the channel on which released claims are announced. */
    private static boolean aProcessWaitsForAClaim() {
        try (Jedis admin = server.admin()) {
            Map<String, Long> subscribers = admin.pubsubNumSub("ruc-cache:flights");
            return subscribers.getOrDefault("ruc-cache:flights", 0L) > 0;
        }
    }

    /** Holds the stub's answer until {@code condition}, checking it every few milliseconds. */
    private static void holdUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                // Answering anyway lets the test fail on what it asserts, not on a timeout.
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Starts the command line as its own JVM with its own home folder, on the shared Redis and the stub. */
    private Child start(String name, String... args) throws IOException {
        Path folder = home.resolve(name);
        Files.createDirectories(folder);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path err = folder.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("RUC_CACHE_") || k.startsWith("XDG_"));
        env.put("HOME", folder.toString());
        env.put("RUC_CACHE_HOME", folder.resolve("cache").toString());
        env.put("RUC_CACHE_CONFIG", "/dev/null");
        env.put("RUC_CACHE_STORE", server.uri());
        env.put("RUC_CACHE_MIGO_TOKEN", "t0k3n");
        env.put("RUC_CACHE_MIGO_URL", web.url("/api/v2").toString());
        env.put("RUC_CACHE_HTTP_RETRIES", "0");
        return new Child(builder.start(), err);
    }

    /** A running child JVM and the file its stderr goes to. */
    private record Child(Process process, Path err) {

        /** Waits for the process to exit 0 and returns its stdout; fails with its stderr otherwise. */
        String awaitSuccess() throws Exception {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("still running after " + PATIENCE_SECONDS + " s; stderr: " + Files.readString(err));
            }
            assertEquals(0, process.exitValue(), "stdout:\n" + out + "stderr:\n" + Files.readString(err));
            return out;
        }
    }
}
