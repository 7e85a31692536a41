package pe.ruccache.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;
import pe.ruccache.lookup.Counters;

/**
 * What {@code /metrics} shows, in Prometheus' text format: requests by route, method and status, their latency as a
 * histogram, and the counters {@code stats} reports (lookups, cache hits and misses, calls saved, upstream calls by
 * provider and outcome), as the store holds them, so on a shared Redis store they are every process's together.
 */
final class ServerMetrics {

    /** The latency buckets, in seconds: from a memory hit to a slow provider. */
    private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Gauge inFlight;

    /** Creates the metrics; {@code storeCounters} returns the persisted counters, this run's flushed first. */
    ServerMetrics(Supplier<Map<String, Long>> storeCounters) {
        requests = Counter.builder().name("ruc_cache_http_requests")
                .help("HTTP requests answered, by route, method and status")
                .labelNames("route", "method", "status").register(registry);
        latency = Histogram.builder().name("ruc_cache_http_request_duration_seconds")
                .help("Time from a request's arrival to its answer, by route and status")
                .labelNames("route", "status").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        inFlight = Gauge.builder().name("ruc_cache_http_requests_in_flight")
                .help("HTTP requests received and not yet answered").register(registry);
        String[][] plain = {
            {Counters.LOOKUPS, "lookups", "RUCs looked up (well-formed or not)"},
            {Counters.CACHE_HITS, "cache_hits", "lookups answered from the cache"},
            {Counters.CACHE_MISSES, "cache_misses", "lookups the cache could not answer"},
            {Counters.STALE_SERVED, "stale_served", "expired answers served because no provider could answer"},
            {Counters.SAVED_BY_LOCAL_CHECK, "saved_by_local_check", "provider calls avoided by the local checks"},
        };
        for (String[] c : plain) {
            CounterWithCallback.builder().name("ruc_cache_" + c[1]).help(c[2] + " (as 'ruc-cache stats' counts)")
                    .callback(cb -> cb.call(storeCounters.get().getOrDefault(c[0], 0L))).register(registry);
        }
        CounterWithCallback.builder().name("ruc_cache_upstream_calls")
                .help("Paid provider requests, by provider and outcome (as 'ruc-cache stats' counts)")
                .labelNames("provider", "outcome")
                .callback(cb -> storeCounters.get().forEach((name, value) -> {
                    if (name.startsWith(Counters.UPSTREAM_PREFIX)) {
                        String rest = name.substring(Counters.UPSTREAM_PREFIX.length());
                        int dot = rest.indexOf('.');
                        if (dot > 0) {
                            cb.call(value, rest.substring(0, dot), rest.substring(dot + 1));
                        }
                    }
                })).register(registry);
    }

    /** Counts a request that arrived and is not answered yet. */
    void arrived() {
        inFlight.inc();
    }

    /** Records one answered request. */
    void record(String route, String method, int status, long nanos) {
        inFlight.dec();
        String code = Integer.toString(status);
        requests.labelValues(route, method, code).inc();
        latency.labelValues(route, code).observe(nanos / 1e9);
    }

    /** Returns the content type of {@link #write}'s output. */
    String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric to {@code out}. */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
