package pe.ruccache.padron;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import pe.ruccache.cache.sqlite.PrivateFile;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.RucException;
import pe.ruccache.upstream.DownloadListener;
import pe.ruccache.upstream.DownloadRequest;
import pe.ruccache.upstream.DownloadResult;
import pe.ruccache.upstream.FileDownloader;

/**
 * What the {@code padron} commands do: import a file, download and import SUNAT's current one, tell what the
 * snapshot holds, and check its health. One import or update at a time per snapshot; lookups are never blocked.
 */
public final class PadronService {

    /** The downloaded file's name, beside the snapshot; removed once imported. */
    static final String DOWNLOAD_NAME = "padron_reducido_ruc.zip";

    private final PadronSettings settings;
    private final Clock clock;
    private final Supplier<FileDownloader> downloader;
    private final long maxPages;

    /**
     * Creates the service.
     *
     * @param settings where the snapshot is, where updates come from, when it is old
     * @param clock the time source (tests inject one)
     * @param downloader gives the HTTP downloader, built only when an update needs it
     */
    public PadronService(PadronSettings settings, Clock clock, Supplier<FileDownloader> downloader) {
        this(settings, clock, downloader, 0);
    }

    /** Creates the service with the new snapshot's size capped at {@code maxPages} pages (tests fill a "disk"). */
    PadronService(PadronSettings settings, Clock clock, Supplier<FileDownloader> downloader, long maxPages) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
        this.maxPages = maxPages;
    }

    /** Returns the settings. */
    public PadronSettings settings() {
        return settings;
    }

    /** Returns the snapshot file (absolute); throws StoreException when it is a folder, a device or a FIFO. */
    private Path snapshotFile() {
        Path file = settings.snapshot().toAbsolutePath().normalize();
        PrivateFile.requireFileOrAbsent(file, SnapshotSchema.ROLE);
        return file;
    }

    /**
     * Imports {@code file} ({@code .zip} or {@code .txt}) into a new snapshot that replaces the current one when it is
     * complete.
     *
     * @throws pe.ruccache.core.InputException when the file is not a complete padrón file; nothing changed
     * @throws pe.ruccache.core.StoreException when the snapshot cannot be written or another import runs
     */
    public ImportSummary importFile(Path file, boolean allowShrink, ImportListener listener) {
        Path source = file.toAbsolutePath().normalize();
        try (PadronLock lock = PadronLock.acquire(snapshotFile())) {
            return importer().importFile(source, source.toString(), null, allowShrink, listener);
        }
    }

    /**
     * Downloads the padrón from {@code url} (resuming an earlier, interrupted download) and imports it. Unless
     * {@code force}, a server that says the file has not changed since the current snapshot was downloaded from it
     * ends the update with nothing to do.
     *
     * @throws pe.ruccache.core.UnavailableException when the download fails; what was fetched is kept for the next try
     * @throws pe.ruccache.core.InputException when the file is not a complete padrón file; nothing changed
     * @throws pe.ruccache.core.StoreException when a file cannot be written or another update runs
     */
    public UpdateResult update(URI url, boolean force, boolean allowShrink, DownloadListener downloadListener,
            ImportListener importListener) {
        Path snapshot = snapshotFile();
        try (PadronLock lock = PadronLock.acquire(snapshot)) {
            SnapshotInfo current = readableCurrent();
            boolean conditional = !force && current != null && current.source().equals(url.toString());
            Path target = snapshot.resolveSibling(DOWNLOAD_NAME);
            DownloadRequest request = new DownloadRequest(url, target, conditional ? current.etag() : null,
                    conditional ? current.dataAsOf() : null);
            DownloadResult download = downloader.get().download(request, downloadListener);
            if (download.notModified()) {
                return new UpdateResult(download, null, current);
            }
            try {
                ImportSummary summary = importer().importFile(download.file(), url.toString(), download.etag(),
                        allowShrink, importListener);
                return new UpdateResult(download, summary, current);
            } finally {
                // Imported or refused, the download is done with: a refused file would be refused again.
                try {
                    Files.deleteIfExists(download.file());
                } catch (IOException ignored) {
                    // The next update overwrites it.
                }
            }
        }
    }

    /** Returns the current snapshot's facts, or null when there is none; throws StoreException for a damaged one. */
    public SnapshotInfo current() {
        try (Snapshot snapshot = Snapshot.open(snapshotFile())) {
            return snapshot == null ? null : snapshot.info();
        }
    }

    private SnapshotInfo readableCurrent() {
        try {
            return current();
        } catch (RucException e) {
            // A damaged snapshot is what an update replaces; it must not stop the update.
            return null;
        }
    }

    /** Opens the snapshot as a provider, or returns null when there is none. */
    public PadronProvider openProvider() {
        Snapshot snapshot = Snapshot.open(snapshotFile());
        return snapshot == null ? null : new PadronProvider(snapshot);
    }

    /**
     * Returns the {@code padron} health check: the snapshot's age against the limit, and, when the provider chain
     * includes the padrón ({@code inChain}), its absence (critical when it is the only provider, else a warning).
     * Without a snapshot and outside the chain there is nothing to check, and the list is empty.
     */
    public List<HealthCheck> health(boolean inChain, boolean onlyProvider) {
        String name = "padron";
        List<HealthCheck> checks = new ArrayList<>(1);
        SnapshotInfo info;
        try {
            info = current();
        } catch (RucException e) {
            checks.add(inChain ? HealthCheck.critical(name, e.getMessage())
                    : HealthCheck.warning(name, e.getMessage()));
            return checks;
        }
        if (info == null) {
            if (inChain) {
                String detail = "no padrón snapshot at " + snapshotFile() + "; run 'ruc-cache padron update' (or "
                        + "'padron import FILE')";
                checks.add(onlyProvider ? HealthCheck.critical(name, detail) : HealthCheck.warning(name, detail));
            }
            return checks;
        }
        Instant now = clock.instant();
        Duration age = info.age(now);
        String what = String.format(Locale.ROOT, "%d taxpayers as of %s (%s old)", info.rows(), info.dataAsOf(),
                ageText(age));
        double seconds = Math.max(0, age.getSeconds());
        if (age.compareTo(settings.maxAge()) > 0) {
            checks.add(HealthCheck.warning(name, what + ", older than " + DurationText.format(settings.maxAge())
                    + "; run 'ruc-cache padron update'").measured("padron_age", seconds, "s"));
        } else {
            checks.add(HealthCheck.ok(name, what + (inChain ? "" : "; not in the provider chain"))
                    .measured("padron_age", seconds, "s"));
        }
        return checks;
    }

    /** Returns an age as people read it (and {@code DurationText} parses): {@code 3d4h}, {@code 5h12m}, {@code 40s}. */
    public static String ageText(Duration age) {
        long days = age.toDays();
        if (days > 0) {
            return days + "d" + (age.toHoursPart() > 0 ? age.toHoursPart() + "h" : "");
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h" + (age.toMinutesPart() > 0 ? age.toMinutesPart() + "m" : "");
        }
        return age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }

    private PadronImporter importer() {
        return new PadronImporter(snapshotFile(), clock, maxPages);
    }

    /**
     * What an update did.
     *
     * @param download what the download fetched (or that the server had nothing new)
     * @param imported the import's summary, or null when the file had not changed
     * @param previous the snapshot before the update, or null
     */
    public record UpdateResult(DownloadResult download, ImportSummary imported, SnapshotInfo previous) {
    }
}
