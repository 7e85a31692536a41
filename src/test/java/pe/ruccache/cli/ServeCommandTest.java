package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.upstream.RecordedBodies;

/**
 * {@code serve} end to end: the command started as a user starts it (on a free loopback port), a real HTTP client
 * over real sockets, APIMIGO on MockWebServer as the upstream, the SQLite store in a temporary folder.
 */
class ServeCommandTest {

    private static final String TOKEN = "tok-Provider-Secret-4242";
    private static final String CONTINENTAL = "20100038146";
    private static final Pattern LISTENING = Pattern.compile("serving on (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private final RucStub stub = new RucStub(false);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Served> servers = new ArrayList<>();
    private CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        migo.setDispatcher(stub);
        migo.start();
        cli = harness();
    }

    private CliHarness harness() {
        CliHarness h = new CliHarness(home);
        h.env.put("RUC_CACHE_MIGO_TOKEN", TOKEN);
        h.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        h.env.put("RUC_CACHE_HTTP_RETRIES", "0");
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Served s : servers) {
            s.stop();
        }
        migo.close();
    }

    /** A running {@code serve}: its base URL and the future of its exit. */
    private final class Served {
        final CliHarness harness;
        final CompletableFuture<CliHarness.Result> exit = new CompletableFuture<>();
        final CompletableFuture<URI> base = new CompletableFuture<>();

        Served(CliHarness harness) {
            this.harness = harness;
        }

        URI uri(String path) throws Exception {
            return base.get(20, TimeUnit.SECONDS).resolve(path);
        }

        CliHarness.Result stop() throws Exception {
            if (!exit.isDone()) {
                harness.interrupts.deliver("TERM", 15);
            }
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code serve} with {@code args} and returns once it listens (or has ended, failing). */
    private Served serve(CliHarness h, String... args) throws Exception {
        Served s = new Served(h);
        h.errListener = err -> {
            Matcher m = LISTENING.matcher(err);
            if (m.find()) {
                s.base.complete(URI.create(m.group(1) + "/"));
            }
        };
        List<String> line = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0"));
        line.addAll(List.of(args));
        Thread t = new Thread(() -> {
            try {
                s.exit.complete(h.run(line.toArray(String[]::new)));
            } catch (Throwable e) {
                s.exit.completeExceptionally(e);
            }
        }, "serve-under-test");
        t.setDaemon(true);
        t.start();
        CompletableFuture.anyOf(s.base, s.exit).get(20, TimeUnit.SECONDS);
        servers.add(s);
        return s;
    }

    private HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    @Test
    void get_missThenHit_oneUpstreamCall_sameObjectAsLookupJson() throws Exception {
        Served s = serve(cli);
        HttpResponse<String> first = get(s.uri("v1/ruc/" + CONTINENTAL));
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("application/json", first.headers().firstValue("Content-Type").orElse(""));
        JsonNode one = json(first);
        assertEquals("VALID", one.get("status").asText());
        assertEquals("migo", one.get("source").asText());
        assertEquals("EMPRESA " + CONTINENTAL + " S.A.C.", one.get("razon_social").asText());
        HttpResponse<String> second = get(s.uri("v1/ruc/" + CONTINENTAL));
        assertEquals(200, second.statusCode());
        assertEquals("cache", json(second).get("source").asText(), "the second answer is the cached one");
        assertEquals(1, stub.requestsFor(CONTINENTAL), "one paid call for two requests");
        assertEquals(0, s.stop().code());

        // The same RUC through the command line, from the store the server filled: the very same fields.
        CliHarness.Result lookup = harness().run("--format", "json", "lookup", CONTINENTAL);
        JsonNode cliAnswer = JSON.readTree(lookup.out()).get(0);
        List<String> names = new ArrayList<>();
        cliAnswer.fieldNames().forEachRemaining(names::add);
        List<String> served = new ArrayList<>();
        json(second).fieldNames().forEachRemaining(served::add);
        assertEquals(names, served);
        assertEquals(cliAnswer, json(second));
        assertEquals(1, stub.requestsFor(CONTINENTAL));
    }

    @Test
    void get_invalidValues_200WithReason_andNotFoundIsCachedAsInvalid() throws Exception {
        String notFound = RucStub.ruc(404);
        stub.scripted.put(notFound, n -> RucStub.json(404, RecordedBodies.MIGO_NOT_FOUND));
        Served s = serve(cli);
        JsonNode badDigit = json(get(s.uri("v1/ruc/20100038147")));
        assertEquals("INVALID", badDigit.get("status").asText());
        assertEquals("BAD_CHECK_DIGIT", badDigit.get("reason").asText());
        assertEquals("local", badDigit.get("source").asText());
        HttpResponse<String> nf = get(s.uri("v1/ruc/" + notFound));
        assertEquals(200, nf.statusCode());
        assertEquals("NOT_FOUND", json(nf).get("reason").asText());
        assertEquals("NOT_FOUND", json(get(s.uri("v1/ruc/" + notFound))).get("reason").asText());
        assertEquals(1, stub.total.get(), "no call for the bad check digit, one for the unknown RUC");
    }

    @Test
    void get_providerFails_503WithRetryAfter_andNothingCached() throws Exception {
        String ruc = RucStub.ruc(500);
        stub.scripted.put(ruc, n -> RucStub.json(500, "{\"message\":\"Server Error\"}"));
        Served s = serve(cli);
        HttpResponse<String> r = get(s.uri("v1/ruc/" + ruc));
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("30", r.headers().firstValue("Retry-After").orElse(null));
        assertEquals("ERROR", json(r).get("status").asText());
        assertEquals(503, get(s.uri("v1/ruc/" + ruc)).statusCode());
        assertEquals(2, stub.requestsFor(ruc), "an ERROR is never cached: the next request asks again");
    }

    @Test
    void batch_inOrder_deduplicated_localChecksFirst() throws Exception {
        Served s = serve(cli);
        String a = RucStub.ruc(1);
        String b = RucStub.ruc(2);
        HttpResponse<String> r = post(s.uri("v1/ruc"), "application/json",
                "[\"" + a + "\", \"123\", \"" + b + "\", \"" + a + "\", " + RucStub.ruc(3) + "]");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode arr = json(r);
        assertEquals(5, arr.size());
        assertEquals(a, arr.get(0).get("ruc").asText());
        assertEquals("BAD_LENGTH", arr.get(1).get("reason").asText());
        assertEquals(b, arr.get(2).get("ruc").asText());
        assertEquals(a, arr.get(3).get("input").asText());
        assertEquals("VALID", arr.get(3).get("status").asText());
        assertEquals(RucStub.ruc(3), arr.get(4).get("ruc").asText(), "a RUC sent as a JSON number");
        assertEquals(3, stub.total.get(), "one call per distinct RUC");
        assertEquals(1, stub.requestsFor(a));
    }

    @Test
    void batch_badBodies_400or413WithJsonError() throws Exception {
        Served s = serve(cli, "--max-batch", "3", "--max-body", "2048");
        String[][] cases = {
            {"[\"" + CONTINENTAL + "\",", "400", "bad_json"},
            {"{\"ruc\": \"" + CONTINENTAL + "\"}", "400", "bad_request"},
            {"[]", "400", "bad_request"},
            {"[{\"ruc\": 1}]", "400", "bad_request"},
            {"[\"1\",\"2\",\"3\",\"4\"]", "413", "batch_too_large"},
            {"[\"" + "1".repeat(3000) + "\"]", "413", "body_too_large"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post(s.uri("v1/ruc"), "application/json", c[0]);
            assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0] + " -> " + r.body());
            JsonNode body = json(r);
            assertEquals(c[2], body.get("error").asText(), r.body());
            assertFalse(body.get("message").asText().isBlank());
        }
        assertEquals(405, get(s.uri("v1/ruc")).statusCode());
        assertEquals(404, get(s.uri("v2/nothing")).statusCode());
        assertEquals(0, stub.total.get());
    }

    @Test
    void parameters_refreshMaxAgeRequire_andUnknownOnes400() throws Exception {
        Served s = serve(cli);
        assertEquals(200, get(s.uri("v1/ruc/" + CONTINENTAL)).statusCode());
        assertEquals(1, stub.total.get());
        assertEquals("migo", json(get(s.uri("v1/ruc/" + CONTINENTAL + "?refresh"))).get("source").asText());
        assertEquals(2, stub.total.get(), "refresh asks the provider again");
        assertEquals("cache", json(get(s.uri("v1/ruc/" + CONTINENTAL + "?max_age=1h"))).get("source").asText());
        assertEquals(2, stub.total.get(), "an answer younger than max_age is served");
        JsonNode policy = json(get(s.uri("v1/ruc/" + CONTINENTAL + "?require=active,habido")));
        assertEquals("OK", policy.get("policy").asText());
        for (String bad : new String[] {"?max-age=1h", "?max_age=soon", "?require=rich", "?refresh=maybe"}) {
            HttpResponse<String> r = get(s.uri("v1/ruc/" + CONTINENTAL + bad));
            assertEquals(400, r.statusCode(), bad + " -> " + r.body());
            assertEquals("bad_request", json(r).get("error").asText());
        }
        assertEquals(2, stub.total.get());
    }

    @Test
    void migoRoutes_answerInApimigosShapeAndStatuses() throws Exception {
        String notFound = RucStub.ruc(404);
        stub.scripted.put(notFound, n -> RucStub.json(404, RecordedBodies.MIGO_NOT_FOUND));
        Served s = serve(cli);
        HttpResponse<String> ok = get(s.uri("api/v2/ruc/" + CONTINENTAL), "Authorization", "Bearer whatever");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode body = json(ok);
        JsonNode recorded = JSON.readTree(RecordedBodies.MIGO_CONTINENTAL);
        List<String> expected = new ArrayList<>();
        recorded.fieldNames().forEachRemaining(expected::add);
        List<String> actual = new ArrayList<>();
        body.fieldNames().forEachRemaining(actual::add);
        assertEquals(expected, actual, "APIMIGO's fields, in its order");
        assertTrue(body.get("success").asBoolean());
        assertEquals("ACTIVO", body.get("estado_del_contribuyente").asText());
        assertTrue(body.get("actualizado_en").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        HttpResponse<String> nf = get(s.uri("api/v2/ruc/" + notFound));
        assertEquals(404, nf.statusCode());
        assertFalse(json(nf).get("success").asBoolean());
        HttpResponse<String> bad = get(s.uri("api/v2/ruc/2010003814X"));
        assertEquals(422, bad.statusCode());
        assertTrue(json(bad).has("errors"));
        HttpResponse<String> form = post(s.uri("api/v1/ruc"), "application/x-www-form-urlencoded",
                "token=anything&ruc=" + CONTINENTAL);
        assertEquals(200, form.statusCode(), form.body());
        assertEquals(CONTINENTAL, json(form).get("ruc").asText());
        HttpResponse<String> js = post(s.uri("api/v1/ruc"), "application/json",
                "{\"token\": \"anything\", \"ruc\": \"" + CONTINENTAL + "\"}");
        assertEquals(200, js.statusCode(), js.body());
        HttpResponse<String> missing = post(s.uri("api/v1/ruc"), "application/json", "{\"token\": \"x\"}");
        assertEquals(422, missing.statusCode());
        assertEquals(2, stub.total.get(), "one call for CONTINENTAL, one for the unknown RUC");
        // A client's token is never passed on to the provider: the provider gets the configured one.
        for (int i = 0; i < migo.getRequestCount(); i++) {
            assertEquals("Bearer " + TOKEN, migo.takeRequest().getHeaders().get("Authorization"));
        }
    }

    private Path clientsFile(String... lines) throws IOException {
        Path file = home.resolve("clients");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void clients_tokenRequired_hashesOnly_nameInLog_noTokenAnywhere() throws Exception {
        Path file = home.resolve("clients");
        CliHarness.Result added = cli.run("serve", "add-client", "erp", "--clients", file.toString());
        assertEquals(0, added.code(), added.toString());
        String token = added.out().strip();
        assertTrue(token.startsWith("rct_") && token.length() > 40, token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.readString(file).contains(token), "the file keeps the hash, not the token");
        assertEquals(78, cli.run("serve", "add-client", "erp", "--clients", file.toString()).code(),
                "a name is taken once");

        Served s = serve(cli, "--clients", file.toString());
        HttpResponse<String> none = get(s.uri("v1/ruc/" + CONTINENTAL));
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals("unauthorized", json(none).get("error").asText());
        assertEquals(401, get(s.uri("v1/ruc/" + CONTINENTAL), "Authorization", "Bearer " + token + "x")
                .statusCode());
        assertEquals(401, get(s.uri("v1/ruc/" + CONTINENTAL), "Authorization", "Bearer " + TOKEN).statusCode(),
                "the provider's token is not a client token");
        HttpResponse<String> ok = get(s.uri("v1/ruc/" + CONTINENTAL), "Authorization", "Bearer " + token);
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> v1 = post(s.uri("api/v1/ruc"), "application/x-www-form-urlencoded",
                "token=" + token + "&ruc=" + CONTINENTAL);
        assertEquals(200, v1.statusCode(), "APIMIGO v1 carries the token in its body: " + v1.body());
        assertEquals(401, post(s.uri("api/v1/ruc"), "application/x-www-form-urlencoded",
                "token=wrong&ruc=" + CONTINENTAL).statusCode());
        assertEquals(200, get(s.uri("healthz")).statusCode(), "the probes need no token");
        HttpResponse<String> metrics = get(s.uri("metrics"));
        CliHarness.Result result = s.stop();
        assertEquals(0, result.code(), result.toString());
        String all = result.out() + result.err() + ok.body() + v1.body() + metrics.body();
        assertFalse(all.contains(token), "no client token in logs or answers");
        assertFalse(all.contains(TOKEN), "no provider token in logs or answers");
        assertTrue(result.err().contains("- erp ["), "the access log names the client: " + result.err());
    }

    @Test
    void clients_fileOpenToOthers_orPublicAddressWithoutOne_refusedWith78() throws Exception {
        Path file = clientsFile("erp sha256:" + "a".repeat(64));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CliHarness.Result open = cli.run("serve", "--listen", "127.0.0.1:0", "--clients", file.toString());
        assertEquals(78, open.code(), open.toString());
        assertTrue(open.err().contains("chmod 600"), open.err());
        CliHarness.Result bad = cli.run("serve", "--listen", "127.0.0.1:0", "--clients",
                clientsFile("erp sha256:nothex").toString());
        assertEquals(78, bad.code(), bad.toString());
        assertTrue(bad.err().contains("line 1"), bad.err());
        CliHarness.Result wide = cli.run("serve", "--listen", "0.0.0.0:0");
        assertEquals(78, wide.code(), wide.toString());
        assertTrue(wide.err().contains("--clients"), wide.err());
        CliHarness.Result notAddress = cli.run("serve", "--listen", "8080");
        assertEquals(64, notAddress.code(), notAddress.toString());
        assertEquals(0, stub.total.get());
    }

    @Test
    void clientRate_overTheLimit_429WithRetryAfter() throws Exception {
        Path file = home.resolve("clients");
        String slow = cli.run("serve", "add-client", "slow", "--rate", "1", "--clients", file.toString()).out()
                .strip();
        String fast = cli.run("serve", "add-client", "fast", "--clients", file.toString()).out().strip();
        Served s = serve(cli, "--clients", file.toString());
        assertEquals(200, get(s.uri("v1/ruc/" + CONTINENTAL), "Authorization", "Bearer " + slow).statusCode());
        // One request per second: the second, right after the first, is over it.
        HttpResponse<String> over = get(s.uri("v1/ruc/" + CONTINENTAL), "Authorization", "Bearer " + slow);
        assertEquals(429, over.statusCode(), over.body());
        assertTrue(Integer.parseInt(over.headers().firstValue("Retry-After").orElse("0")) >= 1);
        assertEquals("rate_limited", json(over).get("error").asText());
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(s.uri("v1/ruc/" + CONTINENTAL), "Authorization", "Bearer " + fast).statusCode(),
                    "another client's limit is its own");
        }
    }

    @Test
    void concurrentRequestsForOneUncachedRuc_oneUpstreamCall() throws Exception {
        String ruc = RucStub.ruc(77);
        CountDownLatch release = new CountDownLatch(1);
        stub.beforeEach = () -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        // No memory in front of the store: only the coalescing of requests in flight can save the calls.
        Served s = serve(cli, "--memory-ttl", "0s");
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(s.uri("v1/ruc/" + ruc)).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        awaitInFlight(s, 10);
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("VALID", json(r).get("status").asText());
        }
        assertEquals(1, stub.requestsFor(ruc), "ten requests in flight at once, one paid call");
    }

    @Test
    void containerMode_listenAddressAndLogFromTheEnvironment_logOnStdout() throws Exception {
        cli.env.put("RUC_CACHE_LISTEN", "127.0.0.1:0");
        cli.env.put("RUC_CACHE_ACCESS_LOG", "stdout");
        Served s = new Served(cli);
        cli.errListener = err -> {
            Matcher m = LISTENING.matcher(err);
            if (m.find()) {
                s.base.complete(URI.create(m.group(1) + "/"));
            }
        };
        Thread t = new Thread(() -> s.exit.complete(cli.run("serve")), "serve-under-test");
        t.setDaemon(true);
        t.start();
        servers.add(s);
        assertEquals(200, get(s.uri("v1/ruc/" + CONTINENTAL)).statusCode());
        CliHarness.Result result = s.stop();
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("\"GET /v1/ruc/" + CONTINENTAL + " HTTP/1.1\" 200"), result.toString());
        assertFalse(result.err().contains("GET /v1/ruc"), "the access log is on stdout only");
        cli.env.put("RUC_CACHE_ACCESS_LOG", "syslog");
        cli.interrupts = new Interrupts();
        CliHarness.Result bad = cli.run("serve");
        assertEquals(78, bad.code(), bad.toString());
        assertTrue(bad.err().contains("RUC_CACHE_ACCESS_LOG"), bad.err());
        cli.env.put("RUC_CACHE_ACCESS_LOG", "off");
        cli.env.put("RUC_CACHE_LISTEN", "nowhere");
        CliHarness.Result badListen = cli.run("serve");
        assertEquals(78, badListen.code(), badListen.toString());
        assertTrue(badListen.err().contains("RUC_CACHE_LISTEN"), badListen.err());
    }

    @Test
    void twoServersOnOneRedis_shareTheCacheAndClaims_oneUpstreamCall() throws Exception {
        try (pe.ruccache.testing.RedisServer redis = pe.ruccache.testing.RedisServer.start(home.resolve("redis"))) {
            CliHarness a = harness();
            CliHarness b = harness();
            a.env.put("RUC_CACHE_STORE", redis.uri());
            b.env.put("RUC_CACHE_STORE", redis.uri());
            Served first = serve(a);
            Served second = serve(b);
            String ruc = RucStub.ruc(99);
            CountDownLatch release = new CountDownLatch(1);
            stub.beforeEach = () -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            CompletableFuture<HttpResponse<String>> viaA = http.sendAsync(HttpRequest.newBuilder(
                    first.uri("v1/ruc/" + ruc)).build(), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> viaB = http.sendAsync(HttpRequest.newBuilder(
                    second.uri("v1/ruc/" + ruc)).build(), HttpResponse.BodyHandlers.ofString());
            awaitInFlight(first, 1);
            awaitInFlight(second, 1);
            release.countDown();
            assertEquals("VALID", json(viaA.get(30, TimeUnit.SECONDS)).get("status").asText());
            assertEquals("VALID", json(viaB.get(30, TimeUnit.SECONDS)).get("status").asText());
            assertEquals(1, stub.requestsFor(ruc), "one server claimed the RUC and asked; the other waited for it");
            String other = RucStub.ruc(98);
            assertEquals("migo", json(get(first.uri("v1/ruc/" + other))).get("source").asText());
            assertEquals("cache", json(get(second.uri("v1/ruc/" + other))).get("source").asText());
            assertEquals(1, stub.requestsFor(other));
            assertEquals(0, first.stop().code());
            assertEquals(0, second.stop().code());
        }
    }

    /** Waits until the server has at least {@code n} requests besides the one asking in flight. */
    private void awaitInFlight(Served s, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Pattern gauge = Pattern.compile("(?m)^ruc_cache_http_requests_in_flight (\\S+)$");
        while (true) {
            Matcher m = gauge.matcher(get(s.uri("metrics")).body());
            assertTrue(m.find(), "the in-flight gauge is in /metrics");
            if (Double.parseDouble(m.group(1)) >= n + 1) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the requests reached the server");
            Thread.onSpinWait();
        }
    }

    @Test
    void sigterm_finishesTheRequestInFlight_storesItsAnswer_exits0() throws Exception {
        String ruc = RucStub.ruc(88);
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stub.beforeEach = () -> {
            arrived.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Served s = serve(cli);
        URI uri = s.uri("v1/ruc/" + ruc);
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(arrived.await(20, TimeUnit.SECONDS));
        cli.interrupts.deliver("TERM", 15);
        assertFalse(s.exit.isDone(), "still finishing the request in flight");
        // Held past Jetty's default 1 s idle timeout of a stopping server: the request must survive it.
        Thread.sleep(1500);
        assertFalse(s.exit.isDone(), "still finishing the request in flight after 1.5 s");
        release.countDown();
        HttpResponse<String> r = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        CliHarness.Result result = s.exit.get(30, TimeUnit.SECONDS);
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.err().contains("stopping (interrupted (SIGTERM))"), result.err());
        CliHarness.Result offline = harness().run("--format", "json", "lookup", "--offline", ruc);
        assertEquals(0, offline.code(), offline.toString());
        assertEquals("cache", JSON.readTree(offline.out()).get(0).get("source").asText(), "the answer was stored");
        assertEquals(1, stub.requestsFor(ruc));
    }

    @Test
    void slowClients_areCutOffByTheIdleTimeout_andHoldNoThread() throws Exception {
        Served s = serve(cli, "--idle-timeout", "1s");
        URI base = s.uri("/");
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                OutputStream out = socket.getOutputStream();
                out.write("GET /v1/ruc/20100038146 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            // 300 half-sent requests, more than the server's 200 threads: a whole request still gets its answer.
            assertEquals(200, get(s.uri("healthz")).statusCode());
            Socket first = slow.get(0);
            first.setSoTimeout(15_000);
            InputStream in = first.getInputStream();
            long started = System.nanoTime();
            try {
                while (in.read() >= 0) {
                    Thread.onSpinWait();
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("a client that stopped sending was not cut off", e);
            } catch (IOException reset) {
                // Closed by the server: what is expected.
            }
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10));
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** Lints the metrics with Prometheus' own promtool, when installed (CI installs it). */
    private void assertPromtoolAccepts(String metrics) throws Exception {
        Path promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                promtool = Path.of(dir, "promtool");
                break;
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(promtool != null, "promtool is not installed");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
        assertEquals("", said.strip(), "no lint warning");
    }

    @Test
    void probesMetricsAndOpenApi() throws Exception {
        Served s = serve(cli);
        assertEquals(200, get(s.uri("v1/ruc/" + CONTINENTAL)).statusCode());
        assertEquals(200, get(s.uri("v1/ruc/" + CONTINENTAL)).statusCode());
        HttpResponse<String> health = get(s.uri("healthz"));
        assertEquals(200, health.statusCode());
        assertEquals("ok", json(health).get("status").asText());
        HttpResponse<String> ready = get(s.uri("readyz"));
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("ready", json(ready).get("status").asText());
        assertTrue(json(ready).get("checks").size() > 2, ready.body());
        HttpResponse<String> metrics = get(s.uri("metrics"));
        assertEquals(200, metrics.statusCode());
        String text = metrics.body();
        assertTrue(text.contains("ruc_cache_http_requests_total{method=\"GET\",route=\"/v1/ruc/{ruc}\",status=\"200\"}"
                + " 2"), text);
        assertTrue(text.contains("ruc_cache_http_request_duration_seconds_bucket{route=\"/v1/ruc/{ruc}\""), text);
        assertTrue(text.contains("ruc_cache_upstream_calls_total{outcome=\"found\",provider=\"migo\"} 1"), text);
        assertTrue(text.contains("ruc_cache_cache_hits_total 1"), text);
        assertTrue(text.contains("ruc_cache_lookups_total 2"), text);
        assertPromtoolAccepts(text);
        HttpResponse<String> openapi = get(s.uri("openapi.json"));
        assertEquals(200, openapi.statusCode());
        JsonNode doc = json(openapi);
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        for (String path : List.of("/v1/ruc/{ruc}", "/v1/ruc", "/api/v2/ruc/{ruc}", "/api/v1/ruc", "/healthz",
                "/readyz", "/metrics", "/openapi.json")) {
            assertNotNull(doc.get("paths").get(path), path);
        }
        CliHarness.Result result = s.stop();
        assertEquals(0, result.code());
        Pattern combined = Pattern.compile("(?m)^127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}"
                + ":\\d\\d:\\d\\d:\\d\\d \\+0000\\] "
                + "\"GET /v1/ruc/20100038146 HTTP/1\\.1\" 200 \\d+ \"-\" \"[^\"]+\" \\d+\\.\\d$");
        assertTrue(combined.matcher(result.err()).find(), result.err());
        // The counters were saved: stats shows the server's lookups.
        CliHarness.Result stats = harness().run("--format", "json", "stats");
        assertEquals(2, JSON.readTree(stats.out()).get("counters").get("lookups").asLong(), stats.out());
    }
}
