package pe.ruccache.upstream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

/**
 * The one place that turns HTTP statuses, bodies and I/O failures into {@link ProviderAnswer}s.
 *
 * <ul>
 *   <li>2xx with a JSON object holding the asked RUC: Found. A body that is not a JSON object (an HTML page from a
 *       proxy or captive portal), that says {@code success:false}, lacks the RUC, or names another RUC:
 *       BAD_RESPONSE. A 200 with {@code success:false} stays BAD_RESPONSE even when its message reads like "not
 *       found": NotFound is cached as INVALID for a day, so only the documented 404 may produce it, while an ERROR
 *       is merely retried on the next run.</li>
 *   <li>404 with the provider's documented not-found body: NotFound with the provider's message. Any other 404
 *       (an HTML page, a router's JSON "route not found") is BAD_RESPONSE: it usually means a wrong base URL,
 *       and caching every RUC as INVALID for a day would be far worse than failing.</li>
 *   <li>422: REJECTED. 401/403: AUTH, naming where the token came from. 429: RATE_LIMITED.
 *       5xx: UNAVAILABLE. 429 and 503 carry their {@code Retry-After}. Other statuses: BAD_RESPONSE.</li>
 *   <li>Timeouts: TIMEOUT. Refused or reset connections, unknown hosts, TLS failures, truncated responses:
 *       UNAVAILABLE.</li>
 * </ul>
 * Every detail is one line that starts with the provider's name and carries the HTTP status when there is one.
 */
final class ResponseClassifier {

    /** Long enough for any provider's error message, short enough for one terminal line. */
    private static final int MAX_MESSAGE_CHARS = 160;

    private final ObjectMapper mapper;
    private final Clock clock;
    private final HttpSettings http;

    ResponseClassifier(ObjectMapper mapper, Clock clock, HttpSettings http) {
        this.mapper = mapper;
        this.clock = clock;
        this.http = http;
    }

    /** Returns the answer that {@code reply} gives to the question about {@code ruc}. */
    ProviderAnswer classify(HttpProvider provider, Ruc ruc, HttpReply reply) {
        String name = provider.name();
        int code = reply.code();
        JsonNode json = jsonObject(reply);
        String message = message(json);
        if (code >= 200 && code < 300) {
            return classifySuccess(provider, ruc, reply, json, message);
        }
        return switch (code) {
            case 401, 403 -> failed(name, Reason.AUTH,
                    "token from " + provider.tokenOrigin() + " refused (" + status(code, message) + ")", null);
            case 404 -> json != null && provider.saysNotFound(json)
                    ? new ProviderAnswer.NotFound(name, name + ": " + status(code, message))
                    : failed(name, Reason.BAD_RESPONSE, "HTTP 404 without the provider's not-found body ("
                            + (json != null ? "JSON" + (message == null ? "" : ": " + message) : describeBody(reply))
                            + "); check the base URL " + provider.baseUrl(), null);
            case 422 -> failed(name, Reason.REJECTED, "refused the RUC's format (" + status(code, message) + ")", null);
            case 429 -> {
                Duration wait = retryAfter(reply);
                yield failed(name, Reason.RATE_LIMITED, "rate limited (HTTP 429" + waitNote(wait) + ")", wait);
            }
            default -> {
                if (code >= 500 && code < 600) {
                    Duration wait = code == 503 ? retryAfter(reply) : null;
                    yield failed(name, Reason.UNAVAILABLE, status(code, message) + waitNote(wait), wait);
                }
                yield failed(name, Reason.BAD_RESPONSE, "unexpected " + status(code, message), null);
            }
        };
    }

    /** Returns the answer for a request that failed without an HTTP response. */
    ProviderAnswer classify(HttpProvider provider, IOException e) {
        String name = provider.name();
        String hostPort = provider.baseUrl().host() + ":" + provider.baseUrl().port();
        String text = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        // SocketTimeoutException is an InterruptedIOException; OkHttp's call timeout is a plain one.
        if (e instanceof InterruptedIOException) {
            if (text.contains("connect")) {
                return failed(name, Reason.TIMEOUT, "could not connect to " + hostPort + " within "
                        + DurationText.format(http.connectTimeout()) + " (timeout)", null);
            }
            return failed(name, Reason.TIMEOUT,
                    "no answer within " + DurationText.format(http.callTimeout()) + " (timeout)", null);
        }
        if (e instanceof UnknownHostException) {
            return failed(name, Reason.UNAVAILABLE, "unknown host " + provider.baseUrl().host(), null);
        }
        if (e instanceof ConnectException) {
            return failed(name, Reason.UNAVAILABLE, anyMessageSays(e, "refused")
                    ? "connection refused by " + hostPort
                    : "could not connect to " + hostPort + ": " + describe(e), null);
        }
        if (e instanceof SSLException) {
            return failed(name, Reason.UNAVAILABLE, "TLS failure with " + hostPort + ": " + describe(e), null);
        }
        return failed(name, Reason.UNAVAILABLE, "connection failed: " + describe(e), null);
    }

    private ProviderAnswer classifySuccess(HttpProvider provider, Ruc ruc, HttpReply reply, JsonNode json,
            String message) {
        String name = provider.name();
        String status = "HTTP " + reply.code();
        if (json == null) {
            return failed(name, Reason.BAD_RESPONSE,
                    status + " with a body that is not a JSON object (" + describeBody(reply) + ")", null);
        }
        JsonNode success = json.get("success");
        if (success != null && success.isBoolean() && !success.booleanValue()) {
            return failed(name, Reason.BAD_RESPONSE,
                    status + " with success:false" + (message == null ? "" : ": " + message), null);
        }
        TaxpayerRecord record;
        try {
            record = provider.toRecord(mapper, json);
        } catch (JacksonException | IllegalArgumentException e) {
            return failed(name, Reason.BAD_RESPONSE, status + " with fields of unexpected types", null);
        }
        String answered = record == null ? null : TaxpayerRecord.clean(record.ruc());
        if (answered == null) {
            return failed(name, Reason.BAD_RESPONSE, status + " without the RUC in the body", null);
        }
        if (!answered.equals(ruc.value())) {
            return failed(name, Reason.BAD_RESPONSE,
                    status + " about RUC " + oneLine(answered) + " when asked about " + ruc.value(), null);
        }
        return new ProviderAnswer.Found(name, record);
    }

    private JsonNode jsonObject(HttpReply reply) {
        if (reply.truncated() || reply.body() == null || reply.body().isBlank()) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(reply.body());
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private Duration retryAfter(HttpReply reply) {
        return RetryAfter.parse(reply.retryAfter(), clock.instant());
    }

    /** Returns the provider's own explanation ({@code message}, else {@code error}) as one short line, or null. */
    private static String message(JsonNode json) {
        if (json == null) {
            return null;
        }
        for (String field : new String[] {"message", "error"}) {
            JsonNode node = json.get(field);
            if (node != null && node.isTextual() && !node.asText().isBlank()) {
                return oneLine(node.asText());
            }
        }
        return null;
    }

    private static String status(int code, String message) {
        return "HTTP " + code + (message == null ? "" : ": " + message);
    }

    private static String waitNote(Duration wait) {
        return wait == null ? "" : ", retry after " + DurationText.format(wait);
    }

    private static String describeBody(HttpReply reply) {
        if (reply.truncated()) {
            return "body over " + (HttpTransport.MAX_BODY_BYTES >> 20) + " MiB";
        }
        if (reply.body() == null || reply.body().isEmpty()) {
            return "empty body";
        }
        return reply.contentType() == null ? "no content type" : oneLine(reply.contentType());
    }

    /** Returns whether {@code e} or a cause mentions {@code word}; OkHttp wraps the JDK's "Connection refused". */
    private static boolean anyMessageSays(Throwable e, String word) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        return oneLine(IoMessages.reason(e));
    }

    private static ProviderAnswer.Failed failed(String provider, Reason reason, String what, Duration retryAfter) {
        return new ProviderAnswer.Failed(provider, reason, provider + ": " + what, retryAfter);
    }

    /**
     * Returns {@code text} on one line without control characters, cut to a readable length; upstream text is
     * untrusted and may hold newlines or terminal escape sequences.
     */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_MESSAGE_CHARS + 3));
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = out.length() > 0;
                continue;
            }
            if (out.length() >= MAX_MESSAGE_CHARS) {
                return out.append("...").toString();
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }
}
