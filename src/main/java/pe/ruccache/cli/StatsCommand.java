package pe.ruccache.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.bulk.OutputFile;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.OutputException;
import pe.ruccache.lookup.Counters;
import pe.ruccache.lookup.Statistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stats}: what the cache holds and what it has saved, as a table, JSON or Prometheus text. */
@Command(name = "stats", description = {"Show what the cache holds and what it has saved over all runs.",
    "--format prometheus writes node_exporter textfile-collector metrics."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache stats",
            "      Entries by status and provider, hits, calls saved, errors.",
            "  ruc-cache stats --format prometheus -o /var/lib/node_exporter/ruc_cache.prom",
            "      For node_exporter's textfile collector: replaced whole, atomically."})
final class StatsCommand extends AbstractCommand {

    /** Metrics and figures are no secret, and node_exporter reads them as another user. */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> READABLE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of stdout, atomically: it is replaced in one step only when "
                    + "complete (a new one is rw-r--r--), so a textfile collector never reads half of it.")
    Path output;

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.PROMETHEUS);
    }

    @Override
    public Integer call() {
        OutputFormat format = format();
        Settings settings = settings(null, null, null);
        Statistics stats;
        try (Services services = readingServices(settings)) {
            stats = services.statistics();
        }
        if (output == null) {
            print(stats, format, out());
            out().flush();
            return ExitCodes.OK;
        }
        try (OutputFile file = OutputFile.create(output, READABLE)) {
            PrintWriter to = new PrintWriter(file.writer());
            print(stats, format, to);
            to.flush();
            if (to.checkError()) {
                throw new OutputException("cannot write to " + output, null);
            }
            file.commit();
        }
        return ExitCodes.OK;
    }

    private static void print(Statistics stats, OutputFormat format, PrintWriter out) {
        switch (format) {
            case JSON -> out.println(Json.pretty(json(stats)));
            case PROMETHEUS -> prometheus(stats, out);
            default -> table(stats, out);
        }
    }

    static Map<String, Object> json(Statistics s) {
        StoreSummary st = s.store();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Timestamps.iso(s.at()));
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("location", s.location());
        store.put("size_bytes", s.sizeBytes().isPresent() ? s.sizeBytes().getAsLong() : null);
        m.put("store", store);
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("valid", st.valid());
        entries.put("invalid", st.invalid());
        entries.put("expired", st.expired());
        entries.put("total", st.total());
        entries.put("invalid_by_reason", new TreeMap<>(st.invalidByReason()));
        entries.put("valid_by_estado", new TreeMap<>(st.validByEstado()));
        entries.put("valid_by_condicion", new TreeMap<>(st.validByCondicion()));
        entries.put("by_provider", new TreeMap<>(st.byProvider()));
        m.put("entries", entries);
        Map<String, Object> ttl = new LinkedHashMap<>();
        ttl.put("valid", DurationText.format(s.ttlValid()));
        ttl.put("invalid", DurationText.format(s.ttlInvalid()));
        ttl.put("valid_seconds", s.ttlValid().toSeconds());
        ttl.put("invalid_seconds", s.ttlInvalid().toSeconds());
        m.put("ttl", ttl);
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("lookups", s.counter(Counters.LOOKUPS));
        counters.put("cache_hits", s.counter(Counters.CACHE_HITS));
        counters.put("cache_misses", s.counter(Counters.CACHE_MISSES));
        counters.put("hit_rate", Math.round(s.hitRate() * 10000) / 10000.0);
        counters.put("stale_served", s.counter(Counters.STALE_SERVED));
        counters.put("saved_by_local_check", s.counter(Counters.SAVED_BY_LOCAL_CHECK));
        counters.put("upstream_calls", s.upstreamTotal());
        counters.put("upstream_calls_by_provider", s.upstreamCalls());
        m.put("counters", counters);
        return m;
    }

    private static void table(Statistics s, PrintWriter out) {
        StoreSummary st = s.store();
        TextTable t = new TextTable("store", s.location() + (s.sizeBytes().isPresent()
                ? " (" + bytes(s.sizeBytes().getAsLong()) + ")" : ""));
        t.add("entries", st.valid() + " valid, " + st.invalid() + " invalid, " + st.expired() + " expired");
        t.add("ttl", "valid " + DurationText.format(s.ttlValid()) + ", invalid "
                + DurationText.format(s.ttlInvalid()));
        // Every lookup is one of the three, so the parts add up to the total shown.
        t.add("lookups", s.counter(Counters.LOOKUPS) + " (cache hits " + s.counter(Counters.CACHE_HITS)
                + ", misses " + s.counter(Counters.CACHE_MISSES) + ", local checks "
                + s.counter(Counters.SAVED_BY_LOCAL_CHECK) + ", hit rate "
                + String.format(Locale.ROOT, "%.1f%%", s.hitRate() * 100) + ")");
        t.add("saved", s.counter(Counters.SAVED_BY_LOCAL_CHECK) + " calls by local checks; "
                + s.counter(Counters.CACHE_HITS) + " by cache hits");
        t.add("stale served", s.counter(Counters.STALE_SERVED));
        t.add("upstream calls", s.upstreamTotal());
        s.upstreamCalls().forEach((provider, outcomes) -> t.add("  " + provider, join(outcomes)));
        t.add("invalid by reason", join(st.invalidByReason()));
        t.add("valid by estado", join(st.validByEstado()));
        t.add("valid by condicion", join(st.validByCondicion()));
        t.add("entries by provider", join(st.byProvider()));
        t.print(out);
    }

    private static String join(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(e.getValue()));
        return b.toString();
    }

    /** Returns a size as people read it: {@code 512 B}, {@code 56.0 KiB}, {@code 81.8 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    /** Writes the figures in the Prometheus text exposition format (for node_exporter's textfile collector). */
    static void prometheus(Statistics s, PrintWriter out) {
        StoreSummary st = s.store();
        metric(out, "ruc_cache_entries", "gauge",
                "Entries in the store by state (fresh valid, fresh invalid, expired).");
        sample(out, "ruc_cache_entries", Map.of("state", "valid"), st.valid());
        sample(out, "ruc_cache_entries", Map.of("state", "invalid"), st.invalid());
        sample(out, "ruc_cache_entries", Map.of("state", "expired"), st.expired());
        metric(out, "ruc_cache_invalid_entries", "gauge", "Fresh invalid entries by reason.");
        new TreeMap<>(st.invalidByReason()).forEach((k, v) ->
                sample(out, "ruc_cache_invalid_entries", Map.of("reason", k), v));
        metric(out, "ruc_cache_valid_entries_by_estado", "gauge", "Fresh valid entries by estado.");
        new TreeMap<>(st.validByEstado()).forEach((k, v) ->
                sample(out, "ruc_cache_valid_entries_by_estado", Map.of("estado", k), v));
        metric(out, "ruc_cache_valid_entries_by_condicion", "gauge", "Fresh valid entries by condicion.");
        new TreeMap<>(st.validByCondicion()).forEach((k, v) ->
                sample(out, "ruc_cache_valid_entries_by_condicion", Map.of("condicion", k), v));
        metric(out, "ruc_cache_ttl_seconds", "gauge", "Time to live of new answers.");
        sample(out, "ruc_cache_ttl_seconds", Map.of("kind", "valid"), s.ttlValid().toSeconds());
        sample(out, "ruc_cache_ttl_seconds", Map.of("kind", "invalid"), s.ttlInvalid().toSeconds());
        counter(out, "ruc_cache_lookups_total", "RUCs looked up.", s.counter(Counters.LOOKUPS));
        counter(out, "ruc_cache_cache_hits_total", "Answers served fresh from the cache.",
                s.counter(Counters.CACHE_HITS));
        counter(out, "ruc_cache_cache_misses_total", "Well-formed RUCs with no fresh cached answer.",
                s.counter(Counters.CACHE_MISSES));
        counter(out, "ruc_cache_stale_served_total", "Expired answers served because no provider answered.",
                s.counter(Counters.STALE_SERVED));
        counter(out, "ruc_cache_saved_by_local_check_total", "Upstream calls avoided by the local checks.",
                s.counter(Counters.SAVED_BY_LOCAL_CHECK));
        metric(out, "ruc_cache_upstream_calls_total", "counter", "Calls to providers by outcome.");
        s.upstreamCalls().forEach((provider, outcomes) -> outcomes.forEach((outcome, v) -> {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("provider", provider);
            labels.put("outcome", outcome);
            sample(out, "ruc_cache_upstream_calls_total", labels, v);
        }));
        if (s.sizeBytes().isPresent()) {
            metric(out, "ruc_cache_store_size_bytes", "gauge", "Size of the store.");
            sample(out, "ruc_cache_store_size_bytes", Map.of(), s.sizeBytes().getAsLong());
        }
    }

    private static void counter(PrintWriter out, String name, String help, long value) {
        metric(out, name, "counter", help);
        sample(out, name, Map.of(), value);
    }

    private static void metric(PrintWriter out, String name, String type, String help) {
        out.println("# HELP " + name + " " + help);
        out.println("# TYPE " + name + " " + type);
    }

    private static void sample(PrintWriter out, String name, Map<String, String> labels, long value) {
        StringBuilder b = new StringBuilder(name);
        if (!labels.isEmpty()) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            b.append('}');
        }
        out.println(b.append(' ').append(value));
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
