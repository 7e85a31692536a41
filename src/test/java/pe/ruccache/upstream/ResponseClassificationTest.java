package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.json;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.Reason;

/** Every HTTP outcome of item 4, one request each (no retries), through the migo provider. */
class ResponseClassificationTest {

    /** Retry-After dates are whole seconds; the fixed clock sits 40 ms before one. */
    private static final Instant RETRY_AT = Instant.parse("2025-03-14T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(RETRY_AT.minusMillis(40), ZoneOffset.UTC);

    private final MockWebServer server = new MockWebServer();
    private UpstreamClient client;
    private Provider migo;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = UpstreamClient.builder(Fixtures.noRetries()).clock(CLOCK).build();
        migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private ProviderAnswer.Failed failedFor(MockResponse response) {
        server.enqueue(response);
        return assertInstanceOf(ProviderAnswer.Failed.class, migo.fetch(CONTINENTAL));
    }

    @Test
    void status200WithSuccessFalse_badResponseEvenThoughNotADocumentedNotFound() {
        ProviderAnswer.Failed f = failedFor(json(200, RecordedBodies.MIGO_SUCCESS_FALSE));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertEquals("migo: HTTP 200 with success:false: No se pudo procesar la consulta", f.detail());
    }

    @Test
    void status200WithSuccessFalseSayingNotFound_stillBadResponse() {
        // Only the documented 404 may produce NOT_FOUND, which is cached as INVALID for a day.
        ProviderAnswer.Failed f = failedFor(json(200, "{\"success\":false,\"message\":\"RUC no encontrado\"}"));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
    }

    @Test
    void status200WithHtmlBody_badResponseNamingContentType() {
        ProviderAnswer.Failed f = failedFor(Fixtures.html(200));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertEquals("migo: HTTP 200 with a body that is not a JSON object (text/html; charset=utf-8)", f.detail());
    }

    @Test
    void status200WithEmptyBody_badResponse() {
        ProviderAnswer.Failed f = failedFor(new MockResponse.Builder().code(200).build());

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertTrue(f.detail().contains("empty body"), f.detail());
    }

    @Test
    void status200ForAnotherRuc_badResponse() {
        ProviderAnswer.Failed f = failedFor(json(200, RecordedBodies.MIGO_BAJA_BRENA));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertEquals("migo: HTTP 200 about RUC 20601234565 when asked about 20100038146", f.detail());
    }

    @Test
    void status200WithoutRuc_badResponse() {
        ProviderAnswer.Failed f = failedFor(json(200, "{\"success\":true,\"nombre_o_razon_social\":\"X\"}"));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertEquals("migo: HTTP 200 without the RUC in the body", f.detail());
    }

    @Test
    void status200WithFieldOfWrongType_badResponse() {
        ProviderAnswer.Failed f = failedFor(json(200, "{\"success\":true,\"ruc\":{\"n\":1}}"));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
    }

    @Test
    void status401_authNamingOriginNotToken() {
        ProviderAnswer.Failed f = failedFor(json(401, RecordedBodies.MIGO_UNAUTHENTICATED));

        assertEquals(Reason.AUTH, f.reason());
        assertEquals("migo: token from RUC_CACHE_MIGO_TOKEN refused (HTTP 401: Unauthenticated.)", f.detail());
    }

    @Test
    void status403_auth() {
        ProviderAnswer.Failed f = failedFor(json(403, "{\"message\":\"Plan sin consultas disponibles\"}"));

        assertEquals(Reason.AUTH, f.reason());
        assertEquals("migo: token from RUC_CACHE_MIGO_TOKEN refused (HTTP 403: Plan sin consultas disponibles)",
                f.detail());
    }

    @Test
    void status404WithHtml_badResponsePointingAtBaseUrl() {
        // A wrong base URL gives HTML 404s; treating them as NOT_FOUND would cache every RUC as INVALID.
        ProviderAnswer.Failed f = failedFor(Fixtures.html(404));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertTrue(f.detail().startsWith("migo: HTTP 404 without the provider's not-found body (text/html"),
                f.detail());
        assertTrue(f.detail().contains("check the base URL"), f.detail());
    }

    @Test
    void status404WithRoutersJsonInsteadOfMigosBody_badResponseNotNotFound() {
        // What a JSON API framework answers for an unknown route, e.g. after a wrong RUC_CACHE_MIGO_URL.
        ProviderAnswer.Failed f = failedFor(json(404,
                "{\"message\":\"The route api/v1/ruc/20100038146 could not be found.\"}"));

        assertEquals(Reason.BAD_RESPONSE, f.reason());
        assertTrue(f.detail().contains("check the base URL"), f.detail());
    }

    @Test
    void status429WithoutRetryAfter_rateLimitedWithoutWait() {
        ProviderAnswer.Failed f = failedFor(json(429, "{\"message\":\"Too Many Attempts.\"}"));

        assertEquals(Reason.RATE_LIMITED, f.reason());
        assertEquals("migo: rate limited (HTTP 429)", f.detail());
        assertNull(f.retryAfter());
    }

    @Test
    void status429WithRetryAfterSeconds_rateLimitedWithThatWait() {
        ProviderAnswer.Failed f = failedFor(Fixtures.withRetryAfter(429, "30"));

        assertEquals(Reason.RATE_LIMITED, f.reason());
        assertEquals(Duration.ofSeconds(30), f.retryAfter());
        assertEquals("migo: rate limited (HTTP 429, retry after 30s)", f.detail());
    }

    @Test
    void status429WithRetryAfterHttpDate_waitMeasuredFromClock() {
        ProviderAnswer.Failed f = failedFor(Fixtures.withRetryAfter(429, "Fri, 14 Mar 2025 20:00:00 GMT"));

        assertEquals(Reason.RATE_LIMITED, f.reason());
        assertEquals(Duration.ofMillis(40), f.retryAfter());
    }

    @Test
    void status429WithMalformedRetryAfter_rateLimitedWithoutWait() {
        ProviderAnswer.Failed f = failedFor(Fixtures.withRetryAfter(429, "soon"));

        assertEquals(Reason.RATE_LIMITED, f.reason());
        assertNull(f.retryAfter());
    }

    @Test
    void status500_unavailable() {
        ProviderAnswer.Failed f = failedFor(Fixtures.html(500));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals("migo: HTTP 500", f.detail());
        assertNull(f.retryAfter());
    }

    @Test
    void status502And504AndOther5xx_unavailable() {
        for (int code : new int[] {502, 504, 520}) {
            assertEquals(Reason.UNAVAILABLE, failedFor(Fixtures.html(code)).reason(), "HTTP " + code);
        }
    }

    @Test
    void status503WithRetryAfter_unavailableCarryingTheWait() {
        ProviderAnswer.Failed f = failedFor(Fixtures.withRetryAfter(503, "120"));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals(Duration.ofMinutes(2), f.retryAfter());
        assertEquals("migo: HTTP 503: Too Many Attempts., retry after 2m", f.detail());
    }

    @Test
    void status500WithRetryAfter_waitIgnoredBecauseOnly429And503DefineIt() {
        assertNull(failedFor(Fixtures.withRetryAfter(500, "120")).retryAfter());
    }

    @Test
    void otherStatus4xx_badResponse() {
        for (int code : new int[] {400, 405, 410}) {
            ProviderAnswer.Failed f = failedFor(json(code, "{\"message\":\"Bad Request\"}"));
            assertEquals(Reason.BAD_RESPONSE, f.reason(), "HTTP " + code);
            assertEquals("migo: unexpected HTTP " + code + ": Bad Request", f.detail());
        }
    }

    @Test
    void messageWithNewlinesAndEscapes_flattenedToOneLine() {
        ProviderAnswer.Failed f = failedFor(json(403, "{\"message\":\"línea uno\\n\\u001b[31mlínea dos\"}"));

        assertEquals("migo: token from RUC_CACHE_MIGO_TOKEN refused (HTTP 403: línea uno [31mlínea dos)", f.detail());
    }

    @Test
    void serverNeverAnswers_timeoutWithinCallTimeout() {
        try (UpstreamClient impatient = UpstreamClient.builder(
                Fixtures.withCallTimeout(Fixtures.noRetries(), Duration.ofMillis(300))).build()) {
            Provider p = impatient.provider(Fixtures.settings("migo", server, "/api/v2"));
            server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

            long start = System.nanoTime();
            ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, p.fetch(CONTINENTAL));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(Reason.TIMEOUT, f.reason());
            assertEquals("migo: no answer within 300ms (timeout)", f.detail());
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
        }
    }

    @Test
    void disconnectAtRequestStart_unavailable() {
        ProviderAnswer.Failed f = failedFor(
                new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());

        assertEquals(Reason.UNAVAILABLE, f.reason(), f.detail());
        assertTrue(f.detail().startsWith("migo: connection failed: "), f.detail());
    }

    @Test
    void disconnectAtResponseStart_unavailable() {
        ProviderAnswer.Failed f = failedFor(
                new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

        assertEquals(Reason.UNAVAILABLE, f.reason(), f.detail());
        assertTrue(f.detail().startsWith("migo: connection failed: "), f.detail());
    }

    @Test
    void connectionRefused_unavailableNamingHostAndPort() throws Exception {
        ProviderSettings closedPort = new ProviderSettings("migo", Fixtures.refusedUri(),
                new Token(Fixtures.TOKEN, "RUC_CACHE_MIGO_TOKEN"));
        Provider p = client.provider(closedPort);

        ProviderAnswer.Failed f = assertInstanceOf(ProviderAnswer.Failed.class, p.fetch(CONTINENTAL));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertTrue(f.detail().startsWith("migo: connection refused by 127.0.0.1:"), f.detail());
    }

    /** Classifies {@code e} directly, for failures a loopback server cannot produce on demand. */
    private ProviderAnswer.Failed classifyDirectly(IOException e) {
        ResponseClassifier classifier = new ResponseClassifier(client.objectMapper(), CLOCK, Fixtures.fast());
        MigoProvider provider = new MigoProvider(HttpUrl.get("https://api.migo.example/api/v2"),
                new Token(Fixtures.TOKEN, "RUC_CACHE_MIGO_TOKEN"),
                new HttpProvider.Shared(null, classifier, a -> { }));
        return assertInstanceOf(ProviderAnswer.Failed.class, classifier.classify(provider, e));
    }

    @Test
    void unknownHost_unavailableNamingHost() {
        // Resolving a made-up name for real would query the network's DNS.
        ProviderAnswer.Failed f = classifyDirectly(new UnknownHostException("api.migo.example"));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals("migo: unknown host api.migo.example", f.detail());
    }

    @Test
    void connectionReset_unavailable() {
        ProviderAnswer.Failed f = classifyDirectly(new SocketException("Connection reset"));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertEquals("migo: connection failed: Connection reset", f.detail());
    }

    @Test
    void connectTimeout_timeoutNamingTheConnectLimit() {
        ProviderAnswer.Failed f = classifyDirectly(new SocketTimeoutException("Connect timed out"));

        assertEquals(Reason.TIMEOUT, f.reason());
        assertEquals("migo: could not connect to api.migo.example:443 within 2s (timeout)", f.detail());
    }

    @Test
    void tlsFailure_unavailable() {
        ProviderAnswer.Failed f = classifyDirectly(new SSLHandshakeException("PKIX path building failed"));

        assertEquals(Reason.UNAVAILABLE, f.reason());
        assertTrue(f.detail().startsWith("migo: TLS failure with api.migo.example:443"), f.detail());
    }
}
