package pe.ruccache.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.logging.HttpLoggingInterceptor;
import pe.ruccache.core.ConfigException;

/**
 * Builds providers that share one HTTP client and one JSON mapper, and releases them on {@link #close()}. The
 * OkHttpClient is created on the first request, so commands that never call a provider do not pay for it.
 *
 * <pre>{@code
 * try (UpstreamClient upstream = UpstreamClient.builder(http).httpLog(err::println).build()) {
 *     Provider providers = upstream.chain(settings.providers());
 *     ProviderAnswer answer = providers.fetch(ruc);
 * }
 * }</pre>
 */
public final class UpstreamClient implements AutoCloseable {

    /**
     * Above any sensible bulk concurrency; OkHttp's default of 5 per host would queue calls outside the call
     * timeout's reach.
     */
    private static final int MAX_CONCURRENT_CALLS = 256;

    /** How long an idle connection is kept for the next call: OkHttp's default. */
    private static final Duration IDLE_CONNECTION_LIFE = Duration.ofMinutes(5);

    private final HttpSettings http;
    private final BreakerSettings breakerSettings;
    private final Consumer<String> httpLog;
    private final ObjectMapper mapper;
    private final HttpProvider.Shared shared;
    private final RateBuckets buckets;

    /** The body types whose reading is prepared (see {@link #prepareReading}). */
    private final Set<Class<?>> prepared = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private OkHttpClient okHttp;
    private ExecutorService callThreads;
    private boolean closed;

    private UpstreamClient(Builder builder) {
        this.http = builder.http;
        this.breakerSettings = builder.breakerSettings;
        this.httpLog = builder.httpLog;
        this.mapper = builder.mapper != null ? builder.mapper
                : new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.buckets = builder.buckets;
        this.shared = new HttpProvider.Shared(new HttpTransport(this::okHttp),
                new ResponseClassifier(mapper, builder.clock, http), builder.onAttempt);
    }

    /** Creates a client with the given HTTP settings and every other default (HTTP log, if on, to stderr). */
    public UpstreamClient(HttpSettings http) {
        this(builder(http));
    }

    /** Returns a builder for a client that calls providers with {@code http}. */
    public static Builder builder(HttpSettings http) {
        return new Builder(http);
    }

    /** Returns the HTTP settings every provider of this client uses. */
    public HttpSettings httpSettings() {
        return http;
    }

    /** Returns the client's JSON mapper, for callers that want to share it. */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    /**
     * Returns the named provider wrapped in its own retry policy and circuit breaker, and paced by its request-rate
     * bucket when {@link HttpSettings#requestsPerSecond()} is set. Call it once per provider and reuse the result:
     * the circuit breaker's memory lives in it. Throws ConfigException for an unknown name,
     * a missing token, or a base URL that is not http(s) or carries credentials or a query.
     */
    public Provider provider(ProviderSettings settings) {
        Objects.requireNonNull(settings, "settings");
        String name = ProviderCatalog.requireKnown(settings.name());
        if (!ProviderCatalog.isNetworkProvider(name)) {
            throw new IllegalArgumentException(name + " is not a network provider");
        }
        if (settings.token() == null) {
            throw new ConfigException(ProviderCatalog.missingTokenMessage(name));
        }
        HttpUrl base = HttpUrl.parse(settings.baseUrl().toString());
        String fix = "; fix " + ProviderCatalog.urlEnv(name) + " or " + ProviderCatalog.urlKey(name);
        if (base == null) {
            throw new ConfigException("the base URL of provider " + name + " is not an http or https URL: "
                    + settings.baseUrl() + fix);
        }
        // Credentials or a query in the URL would be printed in the HTTP log and in error messages.
        if (!base.username().isEmpty() || !base.password().isEmpty() || base.query() != null
                || base.fragment() != null) {
            throw new ConfigException("the base URL of provider " + name + " must be scheme, host and path only, "
                    + "without credentials, query or fragment; the token belongs in " + ProviderCatalog.tokenEnv(name)
                    + fix);
        }
        HttpProvider provider = ProviderCatalog.create(name, base, settings.token(), shared);
        prepareReading(provider.bodyType());
        // The limiter sits inside the retry policy, so every attempt waits for its turn.
        Provider paced = http.requestsPerSecond() > 0
                ? new ThrottledProvider(provider, buckets.bucket(name,
                        ThrottledProvider.configuration(http.requestsPerSecond())))
                : provider;
        return new ResilientProvider(paced, http, breakerSettings);
    }

    /**
     * Returns the providers of {@code settings} as one provider that tries them in order (see
     * {@link ProviderChain}); a list of one returns that provider alone. Throws ConfigException for a provider
     * listed twice or any problem {@link #provider(ProviderSettings)} finds, and IllegalArgumentException for an
     * empty list: having no provider is an ERROR outcome ({@code NO_PROVIDER}) the caller decides without a chain.
     */
    public Provider chain(List<ProviderSettings> settings) {
        if (settings == null || settings.isEmpty()) {
            throw new IllegalArgumentException("no provider to chain");
        }
        Set<String> seen = new HashSet<>();
        List<Provider> providers = new ArrayList<>(settings.size());
        for (ProviderSettings s : settings) {
            Provider p = provider(s);
            if (!seen.add(p.name())) {
                throw new ConfigException("provider " + p.name() + " is listed twice");
            }
            providers.add(p);
        }
        return providers.size() == 1 ? providers.get(0) : new ProviderChain(providers);
    }

    /**
     * Returns a downloader of large files over this client's connections (its timeouts adapted to long transfers);
     * the OkHttpClient is still built only when the first download starts.
     */
    public FileDownloader downloader() {
        return new FileDownloader(this::okHttp, http);
    }

    /**
     * Prepares, on a thread of its own, what reading {@code type}'s bodies needs, once per type: Jackson builds the
     * deserializer of a type by reflection the first time it reads one (a tenth of a second and more on a fresh JVM),
     * and every call thread with an answer in hand would wait for it. A provider is built right before its first
     * request, so this work overlaps the first requests' way to the provider and back.
     */
    private void prepareReading(Class<?> type) {
        if (!prepared.add(type)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                mapper.treeToValue(mapper.readTree("{}"), type);
            } catch (JsonProcessingException | RuntimeException e) {
                // The first answer builds it instead, and reports there whatever goes wrong.
            }
        }, "ruc-cache-json-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns the shared OkHttpClient, building it on first use; throws IllegalStateException once closed. */
    OkHttpClient okHttp() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the upstream client is closed");
            }
            if (okHttp == null) {
                okHttp = buildOkHttp();
            }
            return okHttp;
        }
    }

    private OkHttpClient buildOkHttp() {
        callThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads());
        Dispatcher dispatcher = new Dispatcher(callThreads);
        dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
        dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_CALLS);
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // OkHttp keeps 5 idle connections by default: when the calls of a bulk run end together (its first
                // ones always do), the pool closed all but 5 of them, and the next calls opened new ones.
                .connectionPool(new ConnectionPool(MAX_CONCURRENT_CALLS, IDLE_CONNECTION_LIFE.toMinutes(),
                        TimeUnit.MINUTES))
                .connectTimeout(http.connectTimeout())
                .readTimeout(http.callTimeout())
                .writeTimeout(http.callTimeout())
                .callTimeout(http.callTimeout())
                // The retry policy is the one place that decides about another attempt, so every attempt is counted
                // and paced; OkHttp's silent reconnect would hide some.
                .retryOnConnectionFailure(false);
        if (http.logHttp()) {
            HttpLoggingInterceptor logging = new HttpLoggingInterceptor(httpLog::accept);
            logging.setLevel(HttpLoggingInterceptor.Level.BASIC);
            // BASIC prints no headers; the redaction guards against someone raising the level.
            logging.redactHeader("Authorization");
            builder.addInterceptor(logging);
        }
        return builder.build();
    }

    /** Daemon threads, so a caller that forgets {@link #close()} does not keep the JVM alive for a minute. */
    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "ruc-cache-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Sends no new request from now on, retries included: a stopping run lets the requests already sent finish (their
     * answers are paid for and get stored) but buys nothing more. Fetches after this answer TIMEOUT at once.
     */
    public void stopSending() {
        shared.transport().stopSending();
    }

    /** Cancels calls in flight, stops the call threads and closes pooled connections; later fetches fail. */
    @Override
    public void close() {
        OkHttpClient client;
        ExecutorService threads;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            client = okHttp;
            threads = callThreads;
        }
        if (client != null) {
            client.dispatcher().cancelAll();
            threads.shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** Collects the optional parts of an {@link UpstreamClient}. */
    public static final class Builder {
        private final HttpSettings http;
        private BreakerSettings breakerSettings = BreakerSettings.defaults();
        private Consumer<String> httpLog;
        private Clock clock = Clock.systemUTC();
        private ObjectMapper mapper;
        private Consumer<ProviderAnswer> onAttempt = answer -> { };
        private RateBuckets buckets = RateBuckets.local();

        private Builder(HttpSettings http) {
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(http.connectTimeout(), "connectTimeout");
            Objects.requireNonNull(http.callTimeout(), "callTimeout");
            Objects.requireNonNull(http.initialBackoff(), "initialBackoff");
            Objects.requireNonNull(http.maxRetryWait(), "maxRetryWait");
            this.http = http;
            this.httpLog = System.err::println;
        }

        /**
         * Sets where the HTTP log lines go when {@link HttpSettings#logHttp()} is on; stderr by default. Lines
         * arrive on HTTP threads, so the sink must be thread-safe (a PrintWriter's println is).
         */
        public Builder httpLog(Consumer<String> sink) {
            this.httpLog = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Sets the clock that turns a {@code Retry-After} date into a wait; tests fix it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets when each provider's circuit breaker opens and for how long. */
        public Builder breaker(BreakerSettings settings) {
            this.breakerSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Shares the application's ObjectMapper instead of creating one. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Sets a listener told of the answer to every HTTP request, retries included (each one is a paid call),
         * for statistics; it runs on the calling thread and must be thread-safe and quick.
         */
        public Builder onAttempt(Consumer<ProviderAnswer> listener) {
            this.onAttempt = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets where the providers' request-rate buckets live; in this process by default. A shared implementation
         * lets several processes split one provider's allowance.
         */
        public Builder rateBuckets(RateBuckets source) {
            this.buckets = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Returns the client. */
        public UpstreamClient build() {
            return new UpstreamClient(this);
        }
    }
}
