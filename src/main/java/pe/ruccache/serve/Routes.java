package pe.ruccache.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Policy;
import pe.ruccache.core.RucException;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.lookup.OutcomeFields;

/**
 * The server's routes, over one {@link Resolver}: {@code /v1/ruc} (one RUC, or a batch), the APIMIGO stand-ins,
 * the probes, {@code /metrics} and {@code /openapi.json}; and what every request goes through on the way: the
 * client's bearer token (when there is a clients file), its rate limit, the body limit, the metrics and the access
 * log. Errors are JSON objects {@code {"error": CODE, "message": TEXT}}, or APIMIGO's shape on its routes.
 */
final class Routes extends Handler.Abstract {

    static final String V1_ONE = "/v1/ruc/{ruc}";
    static final String V1_BATCH = "/v1/ruc";
    static final String MIGO_V2 = "/api/v2/ruc/{ruc}";
    static final String MIGO_V1 = "/api/v1/ruc";
    static final String HEALTHZ = "/healthz";
    static final String READYZ = "/readyz";
    static final String METRICS = "/metrics";
    static final String OPENAPI = "/openapi.json";
    /** Every route, as metrics label them and the OpenAPI description lists them. */
    static final List<String> ALL = List.of(V1_ONE, V1_BATCH, MIGO_V2, MIGO_V1, HEALTHZ, READYZ, METRICS, OPENAPI);

    /** How long a client is told to wait before asking again about a RUC no provider could answer. */
    static final int RETRY_AFTER_SECONDS = 30;

    private static final String JSON = "application/json";
    private static final Set<String> V1_PARAMS = Set.of("refresh", "max_age", "require");

    private final Resolver resolver;
    private final ServeSettings settings;
    private final Clients clients;
    private final ServerMetrics metrics;
    private final AccessLog accessLog;
    private final Readiness readiness;
    private final ObjectMapper mapper;
    private final byte[] openapi;
    private final Clock clock;
    private final PrintWriter err;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    Routes(Resolver resolver, ServeSettings settings, Clients clients, ServerMetrics metrics, AccessLog accessLog,
            Readiness readiness, ObjectMapper mapper, byte[] openapi, Clock clock, PrintWriter err) {
        this.resolver = resolver;
        this.settings = settings;
        this.clients = clients;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.readiness = readiness;
        this.mapper = mapper;
        this.openapi = openapi;
        this.clock = clock;
        this.err = err;
    }

    /** Makes the probes say the server is stopping; requests in flight finish. */
    void stopping() {
        stopping = true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback);
        try {
            route(ex);
        } catch (Failure f) {
            ex.error(f.status, f.code, f.getMessage(), f.headers);
        } catch (RuntimeException e) {
            internal(ex, e);
        }
        return true;
    }

    private void route(Exchange ex) {
        String path = ex.path;
        String method = ex.request.getMethod();
        if (path.startsWith("/v1/ruc/") && path.length() > "/v1/ruc/".length()) {
            ex.route = V1_ONE;
            requireMethod(ex, "GET");
            authenticate(ex, null);
            Query q = v1Query(ex);
            String input = path.substring("/v1/ruc/".length());
            answer(ex, List.of(input), q, outcomes -> one(ex, outcomes.get(0), q.policy));
        } else if (path.equals(V1_BATCH)) {
            ex.route = V1_BATCH;
            requireMethod(ex, "POST");
            authenticate(ex, null);
            Query q = v1Query(ex);
            readBody(ex, body -> {
                List<String> inputs = batch(body);
                answer(ex, inputs, q, outcomes -> {
                    List<Map<String, Object>> out = new ArrayList<>(outcomes.size());
                    for (Outcome o : outcomes) {
                        out.add(OutcomeFields.of(o, q.policy));
                    }
                    ex.json(200, out, Map.of());
                });
            });
        } else if (path.startsWith("/api/v2/ruc/") && path.length() > "/api/v2/ruc/".length()) {
            ex.route = MIGO_V2;
            ex.migo = true;
            requireMethod(ex, "GET");
            authenticate(ex, null);
            String input = path.substring("/api/v2/ruc/".length());
            answer(ex, List.of(input), Query.DEFAULT, outcomes -> migo(ex, outcomes.get(0)));
        } else if (path.equals(MIGO_V1)) {
            ex.route = MIGO_V1;
            ex.migo = true;
            requireMethod(ex, "POST");
            readBody(ex, body -> {
                Map<String, String> form = migoForm(ex, body);
                authenticate(ex, form.get("token"));
                String input = form.get("ruc");
                if (input == null) {
                    throw new Failure(422, "bad_request", "the field ruc is required");
                }
                answer(ex, List.of(input), Query.DEFAULT, outcomes -> migo(ex, outcomes.get(0)));
            });
        } else if (path.equals(HEALTHZ)) {
            ex.route = HEALTHZ;
            requireMethod(ex, "GET");
            ex.json(stopping ? 503 : 200, Map.of("status", stopping ? "stopping" : "ok"), Map.of());
        } else if (path.equals(READYZ)) {
            ex.route = READYZ;
            requireMethod(ex, "GET");
            ready(ex);
        } else if (path.equals(METRICS)) {
            ex.route = METRICS;
            requireMethod(ex, "GET");
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            try {
                metrics.write(out);
            } catch (IOException | RucException e) {
                throw new Failure(503, "unavailable", "cannot read the counters: " + e.getMessage());
            }
            ex.send(200, metrics.contentType(), out.toByteArray(), Map.of());
        } else if (path.equals(OPENAPI)) {
            ex.route = OPENAPI;
            requireMethod(ex, "GET");
            ex.send(200, JSON, openapi, Map.of());
        } else {
            ex.route = "other";
            throw new Failure(404, "no_route", "no route " + path + "; see /openapi.json");
        }
    }

    private static void requireMethod(Exchange ex, String method) {
        if (!ex.request.getMethod().equals(method)) {
            throw new Failure(405, "method_not_allowed", ex.route + " answers " + method + " only",
                    Map.of("Allow", method));
        }
    }

    /**
     * Returns the client that sent the request, or the anonymous one when the server has no clients file; with one,
     * a request without a known token is refused (401), as is one over its client's rate (429).
     *
     * @param bodyToken the token the request body carries (APIMIGO v1), or null
     */
    private Client authenticate(Exchange ex, String bodyToken) {
        Client client;
        if (clients == null) {
            client = new Client(null, settings.clientRate(), "ip:" + ex.remote());
        } else {
            String token = bearer(ex.request.getHeaders().get(HttpHeader.AUTHORIZATION));
            if (token == null) {
                token = bodyToken;
            }
            if (token == null) {
                throw new Failure(401, "unauthorized", "this server needs a client token: send 'Authorization: "
                        + "Bearer TOKEN'", Map.of("WWW-Authenticate", "Bearer realm=\"ruc-cache\""));
            }
            Clients.Client known = clients.authenticate(token);
            if (known == null) {
                throw new Failure(401, "unauthorized", "the client token is not in this server's clients file",
                        Map.of("WWW-Authenticate", "Bearer realm=\"ruc-cache\", error=\"invalid_token\""));
            }
            client = new Client(known.name(), known.rate() > 0 ? known.rate() : settings.clientRate(),
                    "client:" + known.name());
        }
        ex.client = client.name;
        if (client.rate > 0) {
            Bucket bucket = buckets.computeIfAbsent(client.bucketKey, k -> bucket(client.rate));
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
                throw new Failure(429, "rate_limited", "over this client's limit of " + rateText(client.rate)
                        + " requests per second; retry in " + seconds + " s",
                        Map.of("Retry-After", Long.toString(seconds)));
            }
        }
        return client;
    }

    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = h.substring(7).strip();
            return t.isEmpty() ? null : t;
        }
        return null;
    }

    /** Returns a bucket that lets {@code rate} requests a second through, in bursts of up to one second's worth. */
    private static Bucket bucket(double rate) {
        long capacity = Math.max(1, (long) Math.ceil(rate));
        Duration period = Duration.ofNanos((long) (capacity / rate * 1e9));
        return Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period)).build();
    }

    private static String rateText(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    /** What a {@code /v1} request asks beyond its RUCs. */
    private record Query(Resolver.Freshness freshness, Policy policy) {
        static final Query DEFAULT = new Query(Resolver.Freshness.DEFAULT, Policy.NONE);
    }

    private static Query v1Query(Exchange ex) {
        if (ex.request.getHttpURI().getQuery() == null) {
            return Query.DEFAULT;
        }
        Fields params = Request.extractQueryParameters(ex.request);
        for (String name : params.getNames()) {
            if (!V1_PARAMS.contains(name)) {
                throw new Failure(400, "bad_request", "unknown parameter '" + name + "'; use refresh, max_age or "
                        + "require");
            }
        }
        boolean refresh = false;
        String r = params.getValue("refresh");
        if (r != null) {
            switch (r.toLowerCase(Locale.ROOT)) {
                case "", "1", "true", "yes" -> refresh = true;
                case "0", "false", "no" -> refresh = false;
                default -> throw new Failure(400, "bad_request", "refresh=" + r + ": use refresh, refresh=true or "
                        + "refresh=false");
            }
        }
        Duration maxAge = null;
        String m = params.getValue("max_age");
        if (m != null) {
            try {
                maxAge = DurationText.parse(m);
            } catch (IllegalArgumentException e) {
                throw new Failure(400, "bad_request", "max_age=" + m + " is not a duration such as 30m, 12h or 7d");
            }
        }
        boolean active = false;
        boolean habido = false;
        String q = params.getValue("require");
        if (q != null) {
            for (String part : q.split(",")) {
                switch (part.strip().toLowerCase(Locale.ROOT)) {
                    case "active", "activo" -> active = true;
                    case "habido" -> habido = true;
                    default -> throw new Failure(400, "bad_request", "require=" + q + ": use active, habido or "
                            + "active,habido");
                }
            }
        }
        return new Query(new Resolver.Freshness(refresh, maxAge), new Policy(active, habido));
    }

    /** Reads the body (up to the body limit; beyond it, 413) and hands it to {@code then}. */
    private void readBody(Exchange ex, Consumer<byte[]> then) {
        long declared = ex.request.getLength();
        if (declared > settings.maxBodyBytes()) {
            throw new Failure(413, "body_too_large", "the body is " + declared + " bytes; this server takes up to "
                    + settings.maxBodyBytes());
        }
        Content.Source.asByteArrayAsync(ex.request, settings.maxBodyBytes()).whenComplete((body, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                        throw new Failure(413, "body_too_large", "the body is over this server's limit of "
                                + settings.maxBodyBytes() + " bytes");
                    }
                    throw new Failure(400, "bad_request", "cannot read the request body: " + cause.getMessage());
                }
                then.accept(body);
            } catch (Failure f) {
                ex.error(f.status, f.code, f.getMessage(), f.headers);
            } catch (RuntimeException e) {
                internal(ex, e);
            }
        });
    }

    /** Returns the RUCs of a batch body: a JSON array of strings (or of whole numbers), or {"rucs": [...]}. */
    private List<String> batch(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new Failure(400, "bad_json", "the body is not JSON: " + firstLine(e));
        }
        if (root != null && root.isObject() && root.has("rucs") && root.size() == 1) {
            root = root.get("rucs");
        }
        if (root == null || !root.isArray()) {
            throw new Failure(400, "bad_request", "the body must be a JSON array of RUCs, e.g. [\"20100038146\"]");
        }
        if (root.isEmpty()) {
            throw new Failure(400, "bad_request", "the array of RUCs is empty");
        }
        if (root.size() > settings.maxBatch()) {
            throw new Failure(413, "batch_too_large", root.size() + " RUCs in one request; this server takes up to "
                    + settings.maxBatch() + " (split the list)");
        }
        List<String> inputs = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode n = root.get(i);
            if (n.isTextual()) {
                inputs.add(n.asText());
            } else if (n.isIntegralNumber()) {
                inputs.add(n.asText());
            } else {
                throw new Failure(400, "bad_request", "element " + i + " of the array is " + n.getNodeType()
                        .name().toLowerCase(Locale.ROOT) + ", not a RUC string");
            }
        }
        return inputs;
    }

    /** Returns APIMIGO v1's fields, from a form or a JSON object, as text. */
    private Map<String, String> migoForm(Exchange ex, byte[] body) {
        String type = ex.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        Map<String, String> out = new LinkedHashMap<>();
        if (type != null && type.toLowerCase(Locale.ROOT).contains("json")) {
            JsonNode root;
            try {
                root = mapper.readTree(body);
            } catch (IOException e) {
                throw new Failure(400, "bad_json", "the body is not JSON: " + firstLine(e));
            }
            if (root == null || !root.isObject()) {
                throw new Failure(400, "bad_request", "the body must be a JSON object with token and ruc");
            }
            root.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().isValueNode()
                    ? f.getValue().asText() : f.getValue().toString()));
            return out;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(k, v);
            } catch (IllegalArgumentException e) {
                throw new Failure(400, "bad_request", "the form body is malformed: " + e.getMessage());
            }
        }
        return out;
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Resolves {@code inputs} and hands the answers to {@code then}; a store or configuration failure is 503. */
    private void answer(Exchange ex, List<String> inputs, Query q, Consumer<List<Outcome>> then) {
        CompletableFuture<List<Outcome>> answers;
        try {
            answers = resolver.resolve(inputs, q.freshness);
        } catch (RucException e) {
            unavailable(ex, e);
            return;
        }
        if (answers.isDone() && !answers.isCompletedExceptionally()) {
            then.accept(answers.join());
            return;
        }
        answers.whenComplete((outcomes, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof RucException r) {
                        unavailable(ex, r);
                    } else {
                        internal(ex, cause);
                    }
                    return;
                }
                then.accept(outcomes);
            } catch (Failure f) {
                ex.error(f.status, f.code, f.getMessage(), f.headers);
            } catch (RuntimeException e) {
                internal(ex, e);
            }
        });
    }

    private void unavailable(Exchange ex, RucException e) {
        String code = e instanceof StoreException ? "store_unavailable" : e instanceof ConfigException
                ? "misconfigured" : "unavailable";
        ex.error(503, code, e.getMessage(), Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }

    private void internal(Exchange ex, Throwable e) {
        err.println("ruc-cache: serve: internal error on " + ex.request.getMethod() + " " + ex.path + ": " + e);
        err.flush();
        ex.error(500, "internal", "internal error; the server's log says more", Map.of());
    }

    /** Answers {@code GET /v1/ruc/{ruc}}: 200 for VALID and INVALID, 503 with Retry-After for ERROR. */
    private void one(Exchange ex, Outcome o, Policy policy) {
        Map<String, Object> body = OutcomeFields.of(o, policy);
        if (o.status() == Status.ERROR) {
            ex.json(503, body, Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
        } else {
            ex.json(200, body, Map.of());
        }
    }

    private void migo(Exchange ex, Outcome o) {
        int status = MigoBody.status(o);
        ex.json(status, MigoBody.of(o), status == 500 ? Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                : Map.of());
    }

    private void ready(Exchange ex) {
        if (stopping) {
            ex.json(503, Map.of("status", "stopping"), Map.of());
            return;
        }
        Readiness.Report report = readiness.report();
        ex.json(report.ready() ? 200 : 503, report.body(), Map.of());
    }

    /** The client a request comes from; {@code name} is null for the anonymous one of a server without clients. */
    private record Client(String name, double rate, String bucketKey) {
    }

    /** A failed request: its status, error code, message and extra headers. */
    private static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        private final transient Map<String, String> headers;

        Failure(int status, String code, String message) {
            this(status, code, message, Map.of());
        }

        Failure(int status, String code, String message, Map<String, String> headers) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.headers = headers;
        }
    }

    /** One request and its answer; the answer is sent once, then logged and counted. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final long started = System.nanoTime();
        final String path;
        String route = "other";
        String client;
        boolean migo;
        private boolean sent;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.path = request.getHttpURI().getDecodedPath();
            metrics.arrived();
        }

        String remote() {
            return Request.getRemoteAddr(request);
        }

        void json(int status, Object body, Map<String, String> headers) {
            byte[] bytes;
            try {
                bytes = mapper.writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
            send(status, JSON, bytes, headers);
        }

        void error(int status, String code, String message, Map<String, String> headers) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (migo) {
                body.put("success", false);
                body.put("message", message);
            } else {
                body.put("error", code);
                body.put("message", message);
            }
            json(status, body, headers);
        }

        void send(int status, String contentType, byte[] body, Map<String, String> headers) {
            synchronized (this) {
                if (sent) {
                    return;
                }
                sent = true;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            headers.forEach((k, v) -> response.getHeaders().put(k, v));
            long nanos = System.nanoTime() - started;
            metrics.record(route, request.getMethod(), status, nanos);
            String target = request.getHttpURI().getPathQuery();
            accessLog.log(remote(), client, clock.instant(), request.getMethod(), target == null ? path : target,
                    request.getConnectionMetaData().getProtocol(), status, body.length,
                    request.getHeaders().get(HttpHeader.REFERER), request.getHeaders().get(HttpHeader.USER_AGENT),
                    nanos / 1e6);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
