package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.TOKEN;
import static pe.ruccache.upstream.Fixtures.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.TaxpayerRecord;

class UpstreamClientTest {

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void provider_unknownName_configExceptionListingKnownProviders() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            ProviderSettings sunat = new ProviderSettings("sunat", URI.create("https://example.invalid"),
                    new Token(TOKEN, "RUC_CACHE_SUNAT_TOKEN"));

            ConfigException e = assertThrows(ConfigException.class, () -> client.provider(sunat));

            assertEquals("unknown provider 'sunat'; known providers: migo, decolecta, apisnet, padron", e.getMessage());
        }
    }

    @Test
    void provider_noToken_configExceptionNamingWhereToSetIt() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            ProviderSettings noToken = new ProviderSettings("migo", ProviderCatalog.defaultBaseUrl("migo"), null);

            ConfigException e = assertThrows(ConfigException.class, () -> client.provider(noToken));

            assertEquals("no token for provider migo; set RUC_CACHE_MIGO_TOKEN, RUC_CACHE_MIGO_TOKEN_FILE "
                    + "or migo.token in the config file", e.getMessage());
        }
    }

    @Test
    void provider_baseUrlNotHttp_configExceptionNamingTheSetting() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            ProviderSettings ftp = new ProviderSettings("decolecta", URI.create("ftp://api.decolecta.com/v1"),
                    new Token(TOKEN, "decolecta.token"));

            ConfigException e = assertThrows(ConfigException.class, () -> client.provider(ftp));

            assertTrue(e.getMessage().contains("RUC_CACHE_DECOLECTA_URL"), e.getMessage());
        }
    }

    @Test
    void provider_baseUrlWithCredentialsOrQuery_configExceptionWithoutEchoingIt() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            for (String url : List.of("https://user:hunter2@api.migo.pe/api/v2",
                    "https://api.migo.pe/api/v2?token=hunter2")) {
                ProviderSettings leaky = new ProviderSettings("migo", URI.create(url), new Token(TOKEN, "migo.token"));

                ConfigException e = assertThrows(ConfigException.class, () -> client.provider(leaky));

                assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
                assertTrue(e.getMessage().contains("RUC_CACHE_MIGO_TOKEN"), e.getMessage());
            }
        }
    }

    @Test
    void provider_nameInCapitals_acceptedAndNormalised() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            Provider p = client.provider(new ProviderSettings(" MIGO ", ProviderCatalog.defaultBaseUrl("migo"),
                    new Token(TOKEN, "migo.token")));

            assertEquals("migo", p.name());
        }
    }

    @Test
    void provider_built_readsABodyOfItsTypeOnAnotherThreadBeforeAnyRequest() throws Exception {
        List<String> reads = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch read = new CountDownLatch(1);
        ObjectMapper recording = new ObjectMapper() {
            @Override
            public <T> T treeToValue(TreeNode n, Class<T> valueType) throws JsonProcessingException {
                T value = super.treeToValue(n, valueType);
                reads.add(valueType.getSimpleName() + " on " + Thread.currentThread().getName());
                read.countDown();
                return value;
            }
        }.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        String test = Thread.currentThread().getName();
        try (UpstreamClient client = UpstreamClient.builder(Fixtures.noRetries()).objectMapper(recording).build()) {
            Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));

            assertTrue(read.await(10, TimeUnit.SECONDS), "no body read after the provider was built");
            assertEquals(0, server.getRequestCount());
            assertEquals(List.of("Body on ruc-cache-json-prepare"), reads);
            assertFalse(reads.get(0).endsWith(" on " + test));

            // The prepared reading is the one answers go through.
            server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
            ProviderAnswer answer = migo.fetch(CONTINENTAL);
            TaxpayerRecord record = assertInstanceOf(ProviderAnswer.Found.class, answer).record();
            assertEquals("20100038146", record.ruc());
            assertEquals("Body on " + test, reads.get(1));
        }
    }

    @Test
    void callsThatEndTogether_keepTheirConnectionsForTheNextCalls() throws Exception {
        int calls = 8;
        List<Integer> connections = Collections.synchronizedList(new ArrayList<>());
        server.setDispatcher(new Dispatcher() {
            private CountDownLatch round = new CountDownLatch(calls);

            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                CountDownLatch mine;
                synchronized (this) {
                    mine = round;
                    connections.add(request.getConnectionIndex());
                    if (connections.size() % calls == 0) {
                        round = new CountDownLatch(calls);
                    }
                }
                // Each call of a round is answered once all have arrived, so each has a connection of its own.
                mine.countDown();
                mine.await(10, TimeUnit.SECONDS);
                return json(200, RecordedBodies.MIGO_CONTINENTAL);
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        try (UpstreamClient client = UpstreamClient.builder(Fixtures.noRetries()).build()) {
            Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
            for (int round = 0; round < 2; round++) {
                List<Future<ProviderAnswer>> answers = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    answers.add(threads.submit(() -> migo.fetch(CONTINENTAL)));
                }
                for (Future<ProviderAnswer> answer : answers) {
                    assertInstanceOf(ProviderAnswer.Found.class, answer.get(20, TimeUnit.SECONDS));
                }
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(2 * calls, connections.size());
        assertEquals(calls, new HashSet<>(connections).size(), "connections opened: " + connections);
    }

    @Test
    void chain_sameProviderTwice_configException() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            ProviderSettings migo = Fixtures.settings("migo", server, "/api/v2");

            assertThrows(ConfigException.class, () -> client.chain(List.of(migo, migo)));
        }
    }

    @Test
    void chain_ofOne_isThatProvider() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            Provider p = client.chain(List.of(Fixtures.settings("apisnet", server, "/v2")));

            assertEquals("apisnet", p.name());
            assertFalse(p instanceof ProviderChain);
        }
    }

    @Test
    void chain_ofTwo_namedByBoth() {
        try (UpstreamClient client = new UpstreamClient(Fixtures.fast())) {
            Provider p = client.chain(List.of(Fixtures.settings("migo", server, "/api/v2"),
                    Fixtures.settings("decolecta", server, "/v1")));

            assertEquals("migo,decolecta", p.name());
        }
    }

    @Test
    void close_beforeAnyRequest_isHarmlessAndIdempotent() {
        UpstreamClient client = new UpstreamClient(Fixtures.fast());
        client.provider(Fixtures.settings("migo", server, "/api/v2"));

        client.close();
        client.close();
    }

    @Test
    void fetch_afterClose_illegalState() {
        UpstreamClient client = new UpstreamClient(Fixtures.noRetries());
        Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));

        client.close();

        assertThrows(IllegalStateException.class, () -> migo.fetch(CONTINENTAL));
    }

    @Test
    void close_stopsTheCallThreads() throws Exception {
        UpstreamClient client = new UpstreamClient(Fixtures.noRetries());
        Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
        migo.fetch(CONTINENTAL);

        client.close();

        // Daemon or not, no call thread should outlive the client by more than a moment.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ruc-cache-http-")) {
                t.join(2000);
                assertFalse(t.isAlive(), t.getName() + " still running");
            }
        }
    }

    @Test
    void onAttempt_toldOfEveryRequestIncludingRetries() {
        List<ProviderAnswer> attempts = Collections.synchronizedList(new ArrayList<>());
        try (UpstreamClient client = UpstreamClient.builder(Fixtures.fast()).onAttempt(attempts::add).build()) {
            Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
            server.enqueue(Fixtures.html(500));
            server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

            migo.fetch(CONTINENTAL);

            assertEquals(2, attempts.size());
            assertInstanceOf(ProviderAnswer.Failed.class, attempts.get(0));
            assertInstanceOf(ProviderAnswer.Found.class, attempts.get(1));
        }
    }

    @Test
    void token_neverInAnyDetailEvenWhenTheProviderEchoesIt() {
        String echo = "{\"success\":false,\"message\":\"token " + TOKEN + " no es válido\"}";
        List<MockResponse> responses = List.of(
                json(200, echo), json(401, echo), json(403, echo), json(404, echo), json(422, echo),
                json(429, echo), json(500, echo), json(503, echo), json(400, echo),
                Fixtures.html(200), Fixtures.html(404));
        try (UpstreamClient client = new UpstreamClient(Fixtures.noRetries())) {
            Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
            for (MockResponse response : responses) {
                server.enqueue(response);

                ProviderAnswer answer = migo.fetch(CONTINENTAL);

                // A record's toString includes every component, the detail among them.
                assertFalse(answer.toString().contains(TOKEN), answer.toString());
            }
        }
    }

    @Test
    void httpLog_onePairOfLinesPerRequestWithoutToken() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (UpstreamClient client = UpstreamClient.builder(Fixtures.withLog(Fixtures.noRetries()))
                .httpLog(lines::add).build()) {
            Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
            server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));
            server.enqueue(json(401, RecordedBodies.MIGO_UNAUTHENTICATED));

            migo.fetch(CONTINENTAL);
            migo.fetch(CONTINENTAL);
        }

        // The token did travel, so its absence from the log is redaction, not luck.
        assertEquals("Bearer " + TOKEN, Fixtures.take(server).getHeaders().get("Authorization"));
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("--> GET http://"), lines.get(0));
        assertTrue(lines.get(1).startsWith("<-- 200"), lines.get(1));
        for (String line : lines) {
            assertFalse(line.contains(TOKEN), line);
        }
    }

    @Test
    void httpLogOff_nothingLogged() {
        List<String> lines = new ArrayList<>();
        try (UpstreamClient client = UpstreamClient.builder(Fixtures.noRetries()).httpLog(lines::add).build()) {
            Provider migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
            server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

            migo.fetch(CONTINENTAL);
        }

        assertTrue(lines.isEmpty(), lines.toString());
    }
}
