package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.Reason;

/** Retries, Retry-After, the circuit breaker and interrupts, against a local server with millisecond backoffs. */
class ResilienceTest {

    private final MockWebServer server = new MockWebServer();
    private UpstreamClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private Provider migo(HttpSettings http) {
        return migo(UpstreamClient.builder(http));
    }

    private Provider migo(UpstreamClient.Builder builder) {
        client = builder.build();
        return client.provider(Fixtures.settings("migo", server, "/api/v2"));
    }

    @Test
    void status500Then200_retriedAndFound() {
        Provider migo = migo(Fixtures.fast());
        server.enqueue(Fixtures.html(500));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        ProviderAnswer answer = migo.fetch(CONTINENTAL);

        assertInstanceOf(ProviderAnswer.Found.class, answer);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void tokenRefused_notRetried_andNotAskedAgainInThisRun() {
        Provider migo = migo(Fixtures.fast());
        server.enqueue(json(401, "{\"success\":false,\"message\":\"Unauthenticated.\"}"));

        ProviderAnswer.Failed first = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));
        ProviderAnswer.Failed second = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));

        assertEquals(Reason.AUTH, first.reason());
        assertEquals(Reason.AUTH, second.reason());
        assertTrue(second.detail().endsWith("(not asked again in this run)"), second.detail());
        // A refused token does not fix itself: 200 RUCs must not cost 200 refused requests.
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void burstOf500s_givesUpAfterMaxRetriesPlusOneRequests() {
        Provider migo = migo(Fixtures.fast());
        for (int i = 0; i < 5; i++) {
            server.enqueue(Fixtures.html(500));
        }

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals("migo: HTTP 500 (after 3 attempts)", f.detail());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void timeoutThen200_retriedAndFound() {
        Provider migo = migo(Fixtures.withCallTimeout(Fixtures.fast(), Duration.ofMillis(300)));
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void disconnectThen200_retriedAndFound() {
        Provider migo = migo(Fixtures.fast());
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void status429Then200_retriedAndFound() {
        Provider migo = migo(Fixtures.fast());
        server.enqueue(json(429, "{\"message\":\"Too Many Attempts.\"}"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void retryAfterZero_replacesALongBackoff() {
        // With a 5 s backoff, an answer within 2.5 s proves the Retry-After decided the delay.
        Provider migo = migo(Fixtures.withBackoff(Fixtures.fast(), Duration.ofSeconds(5), Duration.ofSeconds(10)));
        server.enqueue(Fixtures.withRetryAfter(429, "0"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        long start = System.nanoTime();
        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "took " + took);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void retryAfterHttpDateWithinMax_waitedAtLeastThatLongThenRetried() {
        // The clock sits 300 ms before the date, so the header asks for 300 ms; the backoff is only 1 ms.
        Instant at = Instant.parse("2025-03-14T20:00:00Z");
        Provider migo = migo(UpstreamClient.builder(Fixtures.fast())
                .clock(Clock.fixed(at.minusMillis(300), ZoneOffset.UTC)));
        server.enqueue(Fixtures.withRetryAfter(503, "Fri, 14 Mar 2025 20:00:00 GMT"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        long start = System.nanoTime();
        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, "took " + took);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void retryAfterBeyondMax_noRetryAndRateLimitedAtOnce() {
        Provider migo = migo(Fixtures.fast());
        server.enqueue(Fixtures.withRetryAfter(429, "3600"));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        long start = System.nanoTime();
        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(Reason.RATE_LIMITED, f.reason());
        assertEquals(Duration.ofHours(1), f.retryAfter());
        assertEquals("migo: rate limited (HTTP 429, retry after 1h)", f.detail());
        assertEquals(1, server.getRequestCount());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took);
    }

    @Test
    void status503RetryAfterBeyondMax_noRetryAndUnavailableWithTheWait() {
        Provider migo = migo(Fixtures.fast());
        server.enqueue(Fixtures.withRetryAfter(503, "600"));

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals(Duration.ofMinutes(10), f.retryAfter());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void definitiveAndConfigurationAnswers_neverRetried() {
        MockResponse[] once = {
            json(200, RecordedBodies.MIGO_CONTINENTAL),
            json(404, RecordedBodies.MIGO_NOT_FOUND),
            json(401, RecordedBodies.MIGO_UNAUTHENTICATED),
            json(403, RecordedBodies.MIGO_UNAUTHENTICATED),
            json(422, RecordedBodies.MIGO_UNPROCESSABLE),
            json(200, RecordedBodies.MIGO_SUCCESS_FALSE),
            Fixtures.html(200),
            json(400, "{\"message\":\"Bad Request\"}"),
        };
        for (int i = 0; i < once.length; i++) {
            // A fresh provider each time: after a refused token a provider is not asked again in the run.
            if (client != null) {
                client.close();
            }
            Provider migo = migo(Fixtures.fast());
            server.enqueue(once[i]);
            migo.fetch(CONTINENTAL);
            // A retry would have reached the server and raised the count.
            assertEquals(i + 1, server.getRequestCount(), "answer #" + i + " was retried");
        }
    }

    @Test
    void circuitBreaker_opensAfterThresholdAndThenSendsNoRequest() {
        Provider migo = migo(UpstreamClient.builder(Fixtures.noRetries())
                .breaker(new BreakerSettings(3, Duration.ofSeconds(30))));
        for (int i = 0; i < 3; i++) {
            server.enqueue(Fixtures.html(503));
            assertEquals(Reason.UNAVAILABLE,
                    assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL)).reason());
        }
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertTrue(f.detail().startsWith("migo: circuit open after repeated failures (last: HTTP 503)"), f.detail());
        assertNotNull(f.retryAfter());
        assertTrue(f.retryAfter().compareTo(Duration.ofSeconds(30)) <= 0, f.retryAfter().toString());
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void circuitBreaker_opensBetweenRetries_reportsTheRealFailureAndStops() {
        Provider migo = migo(UpstreamClient.builder(Fixtures.fast())
                .breaker(new BreakerSettings(2, Duration.ofSeconds(30))));
        for (int i = 0; i < 3; i++) {
            server.enqueue(Fixtures.html(500));
        }

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));

        assertEquals("migo: HTTP 500 (after 2 attempts; circuit now open)", f.detail());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void circuitBreaker_longRetryAfterKeepsItOpenThatLong() {
        Provider migo = migo(UpstreamClient.builder(Fixtures.noRetries())
                .breaker(new BreakerSettings(1, Duration.ofSeconds(30))));
        server.enqueue(Fixtures.withRetryAfter(429, "3600"));
        migo.fetch(CONTINENTAL);

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));

        assertTrue(f.detail().contains("circuit open"), f.detail());
        assertTrue(f.retryAfter().compareTo(Duration.ofMinutes(59)) > 0, f.retryAfter().toString());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void circuitBreaker_nonTransientAnswersDoNotCountTowardsOpening() {
        Provider migo = migo(UpstreamClient.builder(Fixtures.noRetries())
                .breaker(new BreakerSettings(2, Duration.ofSeconds(30))));
        server.enqueue(Fixtures.html(503));
        server.enqueue(json(404, RecordedBodies.MIGO_NOT_FOUND));
        server.enqueue(Fixtures.html(503));
        server.enqueue(json(422, RecordedBodies.MIGO_UNPROCESSABLE));
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        for (int i = 0; i < 4; i++) {
            migo.fetch(CONTINENTAL);
        }

        assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL));
        assertEquals(5, server.getRequestCount());
    }

    @Test
    void interruptDuringBackoff_returnsPromptlyWithInterruptFlagKept() throws Exception {
        // A 10 s backoff that the interrupt must cut short; the interrupt waits for the first answer, so it
        // lands after the HTTP call, before or during the backoff.
        CompletableFuture<ProviderAnswer> firstAnswer = new CompletableFuture<>();
        Provider migo = migo(UpstreamClient.builder(
                        Fixtures.withBackoff(Fixtures.fast(), Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .onAttempt(firstAnswer::complete));
        for (int i = 0; i < 3; i++) {
            server.enqueue(Fixtures.html(503));
        }

        Interrupted result = fetchThenInterrupt(migo, firstAnswer);

        assertEquals(Reason.UNAVAILABLE, result.answer().reason());
        assertTrue(result.flagKept());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void interruptDuringCall_cancelsTheCallAndReturnsPromptly() throws Exception {
        Provider migo = migo(Fixtures.withCallTimeout(Fixtures.fast(), Duration.ofSeconds(20)));
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

        CompletableFuture<Object> requestArrived = CompletableFuture.supplyAsync(() -> {
            try {
                return Fixtures.take(server);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Interrupted result = fetchThenInterrupt(migo, requestArrived);

        assertEquals(Reason.TIMEOUT, result.answer().reason());
        assertTrue(result.answer().detail().contains("interrupted"), result.answer().detail());
        assertTrue(result.flagKept());
        assertEquals(1, server.getRequestCount());
    }

    private record Interrupted(ProviderAnswer.Failed answer, boolean flagKept) {
    }

    /** Starts a fetch on its own thread, interrupts it once {@code ready} completes, and awaits the answer. */
    private Interrupted fetchThenInterrupt(Provider provider, CompletableFuture<?> ready) throws Exception {
        AtomicReference<ProviderAnswer> answer = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            answer.set(provider.fetch(CONTINENTAL));
            flag.set(Thread.currentThread().isInterrupted());
            done.complete(null);
        });
        worker.start();
        ready.get(3, TimeUnit.SECONDS);
        worker.interrupt();
        // Far less than the 10-20 s the provider would otherwise wait.
        done.get(3, TimeUnit.SECONDS);
        assertFalse(worker.isAlive() && !done.isDone());
        return new Interrupted(assertInstanceOf(ProviderAnswer.Failed.class, answer.get()), flag.get());
    }
}
