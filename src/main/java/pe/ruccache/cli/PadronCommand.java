package pe.ruccache.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.core.DurationText;
import pe.ruccache.padron.ImportSummary;
import pe.ruccache.padron.Malformation;
import pe.ruccache.padron.PadronService;
import pe.ruccache.padron.SnapshotInfo;
import pe.ruccache.upstream.DownloadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code padron import|update|status}: SUNAT's padrón reducido as a local snapshot that the provider padron reads. */
@Command(name = "padron",
        description = {"Import, update and inspect SUNAT's padrón reducido: the provider 'padron' answers from it "
                + "offline.",
            "Snapshot: $RUC_CACHE_HOME/padron.db (env RUC_CACHE_PADRON_DB)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache padron update",
            "      Download SUNAT's current file (about 400 MB) and make it the snapshot.",
            "  ruc-cache padron import padron_reducido_ruc.zip",
            "      Import a file downloaded by hand.",
            "  ruc-cache bulk --provider padron --offline clientes.csv > revisado.csv",
            "      Check a whole file against the snapshot: no token, no network."},
        subcommands = {
            PadronCommand.PadronImportCommand.class,
            PadronCommand.PadronUpdateCommand.class,
            PadronCommand.PadronStatusCommand.class,
        })
final class PadronCommand extends AbstractCommand {

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: import, update or status");
    }

    /** Returns whether progress bars are drawn: a person at a terminal, and not {@code --quiet}. */
    static boolean showsProgress(AbstractCommand cmd) {
        return !cmd.root().quiet && cmd.context().interactive() && StderrTerminal.isTerminal();
    }

    /** Returns whether the one-line summary is printed on stderr: always, except with {@code -q}. */
    static boolean showsSummary(AbstractCommand cmd) {
        // One line, as bulk prints: cron mails it unless -q, and a nightly line that says what changed is wanted.
        return !cmd.root().quiet;
    }

    /** Returns the summary of an import, one line. */
    static String summary(ImportSummary s) {
        SnapshotInfo info = s.info();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "ruc-cache: imported %d taxpayers from %s in %s (%.0f rows/s); ", info.rows(), info.source(),
                elapsed(s.elapsed()), s.rowsPerSecond()));
        long bad = info.malformedTotal();
        b.append(bad == 0 ? "no malformed lines" : bad + " malformed " + (bad == 1 ? "line" : "lines")
                + " skipped (" + malformed(info) + ")");
        b.append("; snapshot ").append(info.snapshot()).append(" (").append(StatsCommand.bytes(info.snapshotBytes()))
                .append(") as of ").append(Timestamps.iso(info.dataAsOf()));
        if (s.previousRows() >= 0) {
            long change = info.rows() - s.previousRows();
            b.append(String.format(Locale.ROOT, "; %+d taxpayers since the previous snapshot", change));
        }
        return b.toString();
    }

    /** Returns the malformed counts as {@code too many fields 7, NUL bytes 3}, or {@code -}. */
    static String malformed(SnapshotInfo info) {
        if (info.malformed().isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        info.malformed().forEach((kind, count) -> parts.add(kind.words() + " " + count));
        return String.join(", ", parts);
    }

    /** Returns a duration as {@code 4.9 s} under a minute, else as {@code 3m12s}. */
    static String elapsed(Duration d) {
        if (d.compareTo(Duration.ofMinutes(1)) < 0) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return DurationText.format(Duration.ofSeconds(d.toSeconds()));
    }

    /** {@code padron import FILE}: imports a padrón file into a new snapshot. */
    @Command(name = "import", sortOptions = false,
            description = {"Import a padrón file (SUNAT's padron_reducido_ruc.zip, or the .txt inside it) into a new "
                + "snapshot.", "The snapshot in use is replaced only when the whole file imported; malformed lines "
                + "are counted and skipped."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache padron import ~/Descargas/padron_reducido_ruc.zip",
                "  ruc-cache padron import --allow-shrink padron_reducido_ruc.txt"})
    static final class PadronImportCommand extends AbstractCommand {

        @Parameters(paramLabel = "FILE", description = "padron_reducido_ruc.zip or padron_reducido_ruc.txt")
        Path file;

        @Option(names = "--allow-shrink",
                description = "Accept a file with fewer than 90%% of the current snapshot's taxpayers.")
        boolean allowShrink;

        @Override
        public Integer call() {
            Settings settings = settings(null, null, null);
            ImportSummary summary;
            try (Services services = services(settings);
                    PadronProgress progress = new PadronProgress(err(), showsProgress(this), root().verbose,
                            TerminalWidth.ofStderr(context().env()))) {
                summary = services.padronService().importFile(file, allowShrink, progress);
            }
            if (showsSummary(this)) {
                err().println(summary(summary));
            }
            err().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code padron update}: downloads SUNAT's current padrón and imports it. */
    @Command(name = "update", sortOptions = false,
            description = {"Download the current padrón (resuming an interrupted download) and import it.",
                "Meant for a nightly cron line: silent unless it fails (or -v); exit 69 when the download fails, "
                    + "65 for a bad file, 74 when the snapshot cannot be written."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache padron update",
                "  30 6 * * * ruc-cache padron update",
                "      A crontab line: every morning, silent unless it fails."})
    static final class PadronUpdateCommand extends AbstractCommand {

        @Option(names = "--url", paramLabel = "URL",
                description = "Download from here (default SUNAT's; env RUC_CACHE_PADRON_URL, config padron.url).")
        String url;

        @Option(names = "--force", description = "Download even when the server says the file has not changed.")
        boolean force;

        @Option(names = "--allow-shrink",
                description = "Accept a file with fewer than 90%% of the current snapshot's taxpayers.")
        boolean allowShrink;

        @Override
        public Integer call() {
            URI from = url == null ? null : parseUrl(url);
            Settings settings = settings(null, null, null);
            URI source = from != null ? from : settings.padron().url();
            PadronService.UpdateResult result;
            long started = System.nanoTime();
            try (Services services = services(settings);
                    PadronProgress progress = new PadronProgress(err(), showsProgress(this), root().verbose,
                            TerminalWidth.ofStderr(context().env()))) {
                result = services.padronService().update(source, force, allowShrink, progress, progress);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (showsSummary(this)) {
                DownloadResult download = result.download();
                if (download.notModified()) {
                    err().println("ruc-cache: the padrón at " + source + " has not changed since the snapshot as of "
                            + Timestamps.iso(result.previous().dataAsOf()) + "; nothing to do (--force downloads "
                            + "it anyway)");
                } else {
                    Duration importing = result.imported().elapsed();
                    err().println("ruc-cache: downloaded " + source + " (" + StatsCommand.bytes(download.bytes())
                            + (download.resumedFrom() > 0 ? ", resumed at " + StatsCommand.bytes(download.resumedFrom())
                                    : "") + ") in " + elapsed(took.minus(importing)));
                    err().println(summary(result.imported()));
                }
            }
            err().flush();
            return ExitCodes.OK;
        }

        private URI parseUrl(String text) {
            try {
                URI uri = new URI(text.strip());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(text, "not an http(s) URL with a host");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ParameterException(spec.commandLine(), "bad --url '" + text + "': " + e.getReason());
            }
        }
    }

    /** {@code padron status}: what the snapshot holds, where it came from, how old it is. */
    @Command(name = "status", description = {"Show what the padrón snapshot holds: source, size, SHA-256, taxpayers, "
        + "malformed lines, dates and age.", "Exit 0 when there is a snapshot, 1 when there is none."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache padron status", "  ruc-cache padron status --format json"})
    static final class PadronStatusCommand extends AbstractCommand {

        @Override
        public Integer call() {
            OutputFormat format = format();
            Settings settings = settings(null, null, null);
            SnapshotInfo info;
            Instant now = context().clock().instant();
            try (Services services = services(settings)) {
                info = services.padronService().current();
            }
            Path snapshot = settings.padron().snapshot().toAbsolutePath().normalize();
            Duration maxAge = settings.padron().maxAge();
            if (format == OutputFormat.JSON) {
                out().println(Json.pretty(json(info, snapshot, now, maxAge)));
            } else if (info == null) {
                TextTable t = new TextTable("snapshot", snapshot + " (none)");
                t.add("next", "run 'ruc-cache padron update', or 'ruc-cache padron import FILE'");
                t.print(out());
            } else {
                table(info, now, maxAge).print(out());
            }
            out().flush();
            return info == null ? ExitCodes.INVALID : ExitCodes.OK;
        }

        private static TextTable table(SnapshotInfo info, Instant now, Duration maxAge) {
            Duration age = info.age(now);
            TextTable t = new TextTable("snapshot", info.snapshot() + " (" + StatsCommand.bytes(info.snapshotBytes())
                    + ")");
            t.add("source", info.source());
            t.add("file", StatsCommand.bytes(info.fileBytes()) + ", sha256 " + info.sha256());
            t.add("taxpayers", info.rows());
            t.add("malformed", info.malformedTotal() + (info.malformedTotal() == 0 ? "" : " (" + malformed(info)
                    + ")"));
            t.add("data as of", Timestamps.iso(info.dataAsOf()) + " (" + PadronService.ageText(age) + " old"
                    + (age.compareTo(maxAge) > 0 ? "; older than " + DurationText.format(maxAge)
                            + ": run 'ruc-cache padron update'" : "") + ")");
            t.add("imported at", Timestamps.iso(info.importedAt()));
            return t;
        }

        /** Returns the fields of {@code --format json}; {@code snapshot} and {@code present} alone without one. */
        static Map<String, Object> json(SnapshotInfo info, Path snapshot, Instant now, Duration maxAge) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshot", snapshot.toString());
            m.put("present", info != null);
            if (info == null) {
                return m;
            }
            Duration age = info.age(now);
            m.put("snapshot_bytes", info.snapshotBytes());
            m.put("source", info.source());
            m.put("file_bytes", info.fileBytes());
            m.put("sha256", info.sha256());
            m.put("rows", info.rows());
            Map<String, Long> malformed = new LinkedHashMap<>();
            for (Malformation kind : Malformation.values()) {
                malformed.put(kind.key(), info.malformed().getOrDefault(kind, 0L));
            }
            m.put("malformed", malformed);
            m.put("malformed_total", info.malformedTotal());
            m.put("data_as_of", Timestamps.iso(info.dataAsOf()));
            m.put("imported_at", Timestamps.iso(info.importedAt()));
            m.put("age_seconds", age.toSeconds());
            m.put("max_age_seconds", maxAge.toSeconds());
            m.put("stale", age.compareTo(maxAge) > 0);
            return m;
        }
    }
}
