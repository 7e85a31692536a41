package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.json;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

class ProviderChainTest {

    /** A provider that gives the answers it was handed, in order, and counts the questions. */
    private static class ScriptedProvider implements Provider {
        private final String name;
        private final Deque<ProviderAnswer> answers = new ArrayDeque<>();
        private int calls;

        ScriptedProvider(String name, ProviderAnswer... answers) {
            this.name = name;
            this.answers.addAll(List.of(answers));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ProviderAnswer fetch(Ruc ruc) {
            calls++;
            return answers.removeFirst();
        }
    }

    private static ProviderAnswer.Failed failed(String provider, Reason reason, String what, Duration retryAfter) {
        return new ProviderAnswer.Failed(provider, reason, provider + ": " + what, retryAfter);
    }

    private static ProviderAnswer.Found found(String provider) {
        return new ProviderAnswer.Found(provider, new TaxpayerRecord(CONTINENTAL.value(), "CONTINENTAL S.A.C.",
                "ACTIVO", "HABIDO", "150131", null, "LIMA", "LIMA", "SAN ISIDRO", null));
    }

    @Test
    void name_joinsProviderNamesWithCommas() {
        ProviderChain chain = new ProviderChain(List.of(new ScriptedProvider("migo"),
                new ScriptedProvider("decolecta"), new ScriptedProvider("apisnet")));

        assertEquals("migo,decolecta,apisnet", chain.name());
    }

    @Test
    void answersLocally_onlyWhenEveryProviderSaysSo_notByItsName() {
        Provider snapshot = new ScriptedProvider("another-snapshot") {
            @Override
            public boolean answersLocally() {
                return true;
            }
        };
        Provider padron = new ScriptedProvider("padron") {
            @Override
            public boolean answersLocally() {
                return true;
            }
        };

        assertEquals(true, new ProviderChain(List.of(padron, snapshot)).answersLocally());
        assertEquals(false, new ProviderChain(List.of(padron, new ScriptedProvider("migo"))).answersLocally());
        // A network provider is not made local by a name.
        assertEquals(false, new ProviderChain(List.of(new ScriptedProvider("padron"))).answersLocally());
    }

    @Test
    void emptyList_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new ProviderChain(List.of()));
    }

    @Test
    void fetchAll_eachProviderAskedOnlyAboutWhatTheOnesBeforeFailed_inOneBatch() {
        Ruc sunat = new Ruc("20131312955");
        Ruc absent = new Ruc("20100038154");
        List<List<Ruc>> batches = new java.util.ArrayList<>();
        Provider padron = new Provider() {
            @Override
            public String name() {
                return "padron";
            }

            @Override
            public ProviderAnswer fetch(Ruc ruc) {
                throw new AssertionError("asked one by one");
            }

            @Override
            public java.util.Map<Ruc, ProviderAnswer> fetchAll(java.util.Collection<Ruc> rucs) {
                batches.add(List.copyOf(rucs));
                java.util.Map<Ruc, ProviderAnswer> answers = new java.util.HashMap<>();
                answers.put(CONTINENTAL, found("padron"));
                answers.put(sunat, failed("padron", Reason.BAD_RESPONSE, "malformed line", null));
                answers.put(absent, new ProviderAnswer.NotFound("padron", "padron: absent"));
                return answers;
            }
        };
        ScriptedProvider migo = new ScriptedProvider("migo",
                failed("migo", Reason.UNAVAILABLE, "HTTP 503", Duration.ofSeconds(2)));

        java.util.Map<Ruc, ProviderAnswer> answers = new ProviderChain(List.of(padron, migo))
                .fetchAll(List.of(CONTINENTAL, sunat, absent, CONTINENTAL));

        assertEquals(List.of(List.of(CONTINENTAL, sunat, absent)), batches, "one batch, each RUC once");
        assertEquals(1, migo.calls, "only the RUC the padrón could not answer goes on");
        assertEquals("padron", answers.get(CONTINENTAL).provider());
        assertInstanceOf(ProviderAnswer.NotFound.class, answers.get(absent));
        ProviderAnswer.Failed both = assertInstanceOf(ProviderAnswer.Failed.class, answers.get(sunat));
        assertEquals("padron: malformed line; migo: HTTP 503", both.detail());
        assertEquals(Duration.ofSeconds(2), both.retryAfter());
    }

    @Test
    void fetchAll_default_asksOneAtATimeOncePerRuc() {
        ScriptedProvider migo = new ScriptedProvider("migo", found("migo"));

        java.util.Map<Ruc, ProviderAnswer> answers = migo.fetchAll(List.of(CONTINENTAL, CONTINENTAL));

        assertEquals(1, migo.calls);
        assertEquals(1, answers.size());
    }

    @Test
    void firstFound_secondNotAsked() {
        ScriptedProvider migo = new ScriptedProvider("migo", found("migo"));
        ScriptedProvider decolecta = new ScriptedProvider("decolecta", found("decolecta"));

        ProviderAnswer answer = new ProviderChain(List.of(migo, decolecta)).fetch(CONTINENTAL);

        assertEquals("migo", answer.provider());
        assertEquals(0, decolecta.calls);
    }

    @Test
    void firstNotFound_finalAndSecondNotAsked() {
        ScriptedProvider migo = new ScriptedProvider("migo", new ProviderAnswer.NotFound("migo", "migo: HTTP 404"));
        ScriptedProvider decolecta = new ScriptedProvider("decolecta", found("decolecta"));

        ProviderAnswer answer = new ProviderChain(List.of(migo, decolecta)).fetch(CONTINENTAL);

        assertInstanceOf(ProviderAnswer.NotFound.class, answer);
        assertEquals(0, decolecta.calls);
    }

    @Test
    void everyKindOfFailure_movesOnToTheNext() {
        for (Reason reason : List.of(Reason.UNAVAILABLE, Reason.TIMEOUT, Reason.RATE_LIMITED, Reason.AUTH,
                Reason.REJECTED, Reason.BAD_RESPONSE)) {
            ScriptedProvider migo = new ScriptedProvider("migo", failed("migo", reason, "x", null));
            ScriptedProvider decolecta = new ScriptedProvider("decolecta", found("decolecta"));

            ProviderAnswer answer = new ProviderChain(List.of(migo, decolecta)).fetch(CONTINENTAL);

            assertEquals("decolecta", assertInstanceOf(ProviderAnswer.Found.class, answer).provider(), reason.name());
        }
    }

    @Test
    void allFail_firstReasonSummaryOfEachAndLongestRetryAfter() {
        ScriptedProvider migo = new ScriptedProvider("migo",
                failed("migo", Reason.UNAVAILABLE, "HTTP 503", Duration.ofSeconds(5)));
        ScriptedProvider decolecta = new ScriptedProvider("decolecta",
                failed("decolecta", Reason.AUTH, "token refused (HTTP 401)", null));
        ScriptedProvider apisnet = new ScriptedProvider("apisnet",
                failed("apisnet", Reason.RATE_LIMITED, "rate limited (HTTP 429, retry after 1m)",
                        Duration.ofMinutes(1)));

        ProviderAnswer answer = new ProviderChain(List.of(migo, decolecta, apisnet)).fetch(CONTINENTAL);

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, answer);
        assertEquals("migo,decolecta,apisnet", f.provider());
        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals("migo: HTTP 503; decolecta: token refused (HTTP 401); "
                + "apisnet: rate limited (HTTP 429, retry after 1m)", f.detail());
        assertEquals(Duration.ofMinutes(1), f.retryAfter());
    }

    @Test
    void singleProviderFails_itsAnswerUnchanged() {
        ProviderAnswer.Failed only = failed("migo", Reason.TIMEOUT, "no answer within 15s (timeout)", null);

        ProviderAnswer answer = new ProviderChain(List.of(new ScriptedProvider("migo", only))).fetch(CONTINENTAL);

        assertSame(only, answer);
    }

    @Test
    void interruptedWhileAskingFirst_nextNotAsked() {
        Provider interrupting = new Provider() {
            @Override
            public String name() {
                return "migo";
            }

            @Override
            public ProviderAnswer fetch(Ruc ruc) {
                Thread.currentThread().interrupt();
                return failed("migo", Reason.TIMEOUT, "interrupted while waiting for an answer", null);
            }
        };
        ScriptedProvider decolecta = new ScriptedProvider("decolecta", found("decolecta"));

        try {
            ProviderAnswer answer = new ProviderChain(List.of(interrupting, decolecta)).fetch(CONTINENTAL);

            assertInstanceOf(ProviderAnswer.Failed.class, answer);
            assertEquals(0, decolecta.calls);
        } finally {
            Thread.interrupted();
        }
    }

    /** The chain as UpstreamClient builds it, over two local servers. */
    @Nested
    class OverHttp {
        private final MockWebServer migoServer = new MockWebServer();
        private final MockWebServer decolectaServer = new MockWebServer();
        private UpstreamClient client;
        private Provider chain;

        @BeforeEach
        void start() throws Exception {
            migoServer.start();
            decolectaServer.start();
            client = UpstreamClient.builder(Fixtures.fast()).build();
            chain = client.chain(List.of(Fixtures.settings("migo", migoServer, "/api/v2"),
                    Fixtures.settings("decolecta", decolectaServer, "/v1")));
        }

        @AfterEach
        void stop() {
            client.close();
            migoServer.close();
            decolectaServer.close();
        }

        @Test
        void first503Throughout_secondAnswers() {
            for (int i = 0; i < 3; i++) {
                migoServer.enqueue(Fixtures.html(503));
            }
            decolectaServer.enqueue(json(200, RecordedBodies.DECOLECTA_CONTINENTAL));

            ProviderAnswer answer = chain.fetch(CONTINENTAL);

            assertEquals("decolecta", assertInstanceOf(ProviderAnswer.Found.class, answer).provider());
            assertEquals(3, migoServer.getRequestCount());
            assertEquals(1, decolectaServer.getRequestCount());
        }

        @Test
        void first429BeyondMaxWait_secondAnswersAtOnce() {
            migoServer.enqueue(Fixtures.withRetryAfter(429, "3600"));
            decolectaServer.enqueue(json(200, RecordedBodies.DECOLECTA_CONTINENTAL));

            assertInstanceOf(ProviderAnswer.Found.class, chain.fetch(CONTINENTAL));
            assertEquals(1, migoServer.getRequestCount());
        }

        @Test
        void first401_secondAnswers() {
            migoServer.enqueue(json(401, RecordedBodies.MIGO_UNAUTHENTICATED));
            decolectaServer.enqueue(json(200, RecordedBodies.DECOLECTA_CONTINENTAL));

            assertEquals("decolecta", chain.fetch(CONTINENTAL).provider());
            assertEquals(1, migoServer.getRequestCount());
        }

        @Test
        void first404_secondNeverAsked() {
            migoServer.enqueue(json(404, RecordedBodies.MIGO_NOT_FOUND));

            assertInstanceOf(ProviderAnswer.NotFound.class, chain.fetch(CONTINENTAL));
            assertEquals(0, decolectaServer.getRequestCount());
        }

        @Test
        void bothFail_summaryNamesBoth() {
            migoServer.enqueue(Fixtures.withRetryAfter(503, "3600"));
            decolectaServer.enqueue(json(401, "{\"message\":\"Unauthorized\"}"));

            ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, chain.fetch(CONTINENTAL));

            assertEquals(Reason.UNAVAILABLE, f.reason());
            assertEquals("migo: HTTP 503: Too Many Attempts., retry after 1h; "
                    + "decolecta: token from RUC_CACHE_DECOLECTA_TOKEN refused (HTTP 401: Unauthorized)", f.detail());
            assertEquals(Duration.ofHours(1), f.retryAfter());
        }
    }
}
