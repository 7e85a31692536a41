package pe.ruccache.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import pe.ruccache.core.Ruc;

/** Settings, responses and RUCs the upstream tests share; everything points at loopback. */
final class Fixtures {

    static final Ruc CONTINENTAL = new Ruc("20100038146");
    static final Ruc SUNAT = new Ruc("20131312955");
    static final Ruc BAJA = new Ruc("20601234565");
    static final Ruc PERSON = new Ruc("10072345679");

    static final String TOKEN = "tok-9f8e7d6c5b4a-SECRET";
    static final String TOKEN_ORIGIN = "RUC_CACHE_MIGO_TOKEN";

    private Fixtures() {
    }

    /** Returns settings with tiny backoffs: 2 retries from 1 ms, Retry-After honoured up to 500 ms. */
    static HttpSettings fast() {
        return new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(1),
                Duration.ofMillis(500), false);
    }

    /** Returns {@link #fast()} without retries, to look at one classification at a time. */
    static HttpSettings noRetries() {
        return withRetries(fast(), 0);
    }

    static HttpSettings withRetries(HttpSettings s, int retries) {
        return new HttpSettings(s.connectTimeout(), s.callTimeout(), retries, s.initialBackoff(), s.maxRetryWait(),
                s.logHttp());
    }

    static HttpSettings withCallTimeout(HttpSettings s, Duration callTimeout) {
        return new HttpSettings(s.connectTimeout(), callTimeout, s.maxRetries(), s.initialBackoff(),
                s.maxRetryWait(), s.logHttp());
    }

    static HttpSettings withBackoff(HttpSettings s, Duration initialBackoff, Duration maxRetryWait) {
        return new HttpSettings(s.connectTimeout(), s.callTimeout(), s.maxRetries(), initialBackoff, maxRetryWait,
                s.logHttp());
    }

    static HttpSettings withLog(HttpSettings s) {
        return new HttpSettings(s.connectTimeout(), s.callTimeout(), s.maxRetries(), s.initialBackoff(),
                s.maxRetryWait(), true);
    }

    /** Returns the settings of provider {@code name} served by {@code server} under {@code basePath}. */
    static ProviderSettings settings(String name, MockWebServer server, String basePath) {
        return new ProviderSettings(name, server.url(basePath).uri(),
                new Token(TOKEN, "RUC_CACHE_" + name.toUpperCase(Locale.ROOT) + "_TOKEN"));
    }

    /** Returns a JSON response. */
    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json; charset=utf-8")
                .body(body).build();
    }

    /** Returns a response with {@code Retry-After}. */
    static MockResponse withRetryAfter(int code, String retryAfter) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", retryAfter).body("{\"message\":\"Too Many Attempts.\"}").build();
    }

    /** Returns an HTML response, as proxies, gateways and captive portals send. */
    static MockResponse html(int code) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "text/html; charset=utf-8")
                .body(RecordedBodies.HTML_PAGE).build();
    }

    /** Returns the next request the server received, failing the test if none arrives within a second. */
    static RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request reached the server");
        }
        return request;
    }

    /** Returns a loopback URI on a port nothing listens on, so connecting is refused. */
    static URI refusedUri() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + "/api/v2");
    }
}
