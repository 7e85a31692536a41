package pe.ruccache.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

/**
 * A provider reached with one authenticated GET per RUC. Subclasses say only where to send the request and how
 * to read a successful body; statuses, failures and secrecy are handled here and in {@link ResponseClassifier}.
 */
abstract class HttpProvider implements Provider {

    /**
     * What every provider of one {@link UpstreamClient} shares.
     *
     * @param transport runs the requests over the client's single OkHttpClient
     * @param classifier turns replies and I/O failures into answers, reading bodies with the client's ObjectMapper
     * @param onAttempt told of every answer that cost a request, for call statistics
     */
    record Shared(HttpTransport transport, ResponseClassifier classifier, Consumer<ProviderAnswer> onAttempt) {
    }

    private static final String USER_AGENT = "ruc-cache";

    private final String name;
    private final HttpUrl baseUrl;
    private final Token token;
    private final Pattern secretPattern;
    private final Shared shared;

    HttpProvider(String name, HttpUrl baseUrl, Token token, Shared shared) {
        this.name = Objects.requireNonNull(name, "name");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.token = Objects.requireNonNull(token, "token");
        this.secretPattern = Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(token.reveal()) + "(?![A-Za-z0-9])");
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    @Override
    public final String name() {
        return name;
    }

    /** Returns the base URL requests are built on. */
    final HttpUrl baseUrl() {
        return baseUrl;
    }

    /** Returns where the token came from, for messages; never the token. */
    final String tokenOrigin() {
        return token.origin();
    }

    /** Returns the URL that asks about {@code ruc}. */
    abstract HttpUrl url(HttpUrl base, Ruc ruc);

    /** A provider's 200 body, as Jackson reads it: the fields the record needs. */
    interface Body {
        /** Returns the record, with the RUC exactly as the provider wrote it. */
        TaxpayerRecord toRecord();
    }

    /** Returns the type a 200 body is read as. */
    abstract Class<? extends Body> bodyType();

    /**
     * Returns the record in a 200 body, with the RUC exactly as the provider wrote it (the classifier compares it
     * with the one asked); throws when fields have unexpected types.
     */
    final TaxpayerRecord toRecord(ObjectMapper mapper, JsonNode body) throws JsonProcessingException {
        return mapper.treeToValue(body, bodyType()).toRecord();
    }

    /**
     * Returns whether a 404 body is this provider's documented "no such RUC" answer; anything else (a router's
     * "route not found" from a wrong base URL) must not become NOT_FOUND, which is cached as INVALID for a day.
     * By default a body with a {@code message} text qualifies.
     */
    boolean saysNotFound(JsonNode body) {
        JsonNode message = body.get("message");
        return message != null && message.isTextual();
    }

    @Override
    public final ProviderAnswer fetch(Ruc ruc) {
        if (shared.transport().isStopped()) {
            // Nothing is sent, so nothing is paid or counted; the flag makes the retry policy and the chain stop.
            Thread.currentThread().interrupt();
            return new ProviderAnswer.Failed(name, Reason.TIMEOUT, name + ": not asked, the run is stopping", null);
        }
        Request request = new Request.Builder()
                .url(url(baseUrl, ruc))
                .header("Authorization", "Bearer " + token.reveal())
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .get()
                .build();
        ProviderAnswer answer;
        try {
            answer = shared.classifier().classify(this, ruc, shared.transport().execute(request));
        } catch (IOException e) {
            answer = shared.classifier().classify(this, e);
        } catch (InterruptedException e) {
            // Keep the flag so the retry policy and the chain stop too.
            Thread.currentThread().interrupt();
            answer = new ProviderAnswer.Failed(name, Reason.TIMEOUT,
                    name + ": interrupted while waiting for an answer", null);
        }
        answer = withoutSecret(answer);
        shared.onAttempt().accept(answer);
        return answer;
    }

    /**
     * Returns {@code answer} with every occurrence of the token masked; a provider that echoes the Authorization
     * header in an error message must not make the token reach a terminal or a log.
     */
    private ProviderAnswer withoutSecret(ProviderAnswer answer) {
        if (answer instanceof ProviderAnswer.Failed f && f.detail() != null && f.detail().contains(token.reveal())) {
            return new ProviderAnswer.Failed(f.provider(), f.reason(), mask(f.detail()), f.retryAfter());
        }
        if (answer instanceof ProviderAnswer.NotFound n && n.detail() != null && n.detail().contains(token.reveal())) {
            return new ProviderAnswer.NotFound(n.provider(), mask(n.detail()));
        }
        return answer;
    }

    /**
     * Returns {@code text} with the token replaced by {@code ***} wherever it stands on its own: a short test token
     * such as {@code y} must not turn "by" into "b***".
     */
    private String mask(String text) {
        return secretPattern.matcher(text).replaceAll("***");
    }

    @Override
    public String toString() {
        return name + "[" + baseUrl + "]";
    }
}
