package pe.ruccache.padron;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import pe.ruccache.cache.sqlite.SqliteFailure;
import pe.ruccache.core.Futures;
import pe.ruccache.core.InputException;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.RucException;
import pe.ruccache.core.StoreException;

/**
 * Imports a padrón file into a new snapshot and puts it in place of the old one only when the whole file was read
 * and the new snapshot is on disk. The file is streamed line by line; good lines become rows, malformed ones are
 * counted by kind and skipped. The new snapshot is built in {@code padron.db.tmp}, synced, and renamed over
 * {@code padron.db}: a rename is atomic, so readers see the old snapshot or the new one, never a mix, and a failure
 * at any point (a truncated zip, a changed header, a full disk, a killed process) leaves the old one serving.
 *
 * <p>Lines are parsed on a thread of their own ({@link ParsingThread}) while this one inserts them. Callers hold the
 * snapshot's {@link PadronLock} while importing.
 */
final class PadronImporter {

    /** A new snapshot with fewer taxpayers than this share of the current one's is refused unless allowed. */
    static final double MIN_SHARE_OF_PREVIOUS = 0.9;

    private final Path snapshot;
    private final Clock clock;
    private final long maxPages;

    /**
     * Creates an importer into {@code snapshot} (absolute).
     *
     * @param maxPages caps the new snapshot's size in pages when above zero: tests use it to fill a "disk"
     */
    PadronImporter(Path snapshot, Clock clock, long maxPages) {
        this.snapshot = snapshot;
        this.clock = clock;
        this.maxPages = maxPages;
    }

    /**
     * Imports {@code file} and returns what was imported.
     *
     * @param source what to record as the source: the file's path, or the URL it was downloaded from
     * @param etag the server's ETag of a downloaded file, or null
     * @param allowShrink accept a snapshot much smaller than the current one
     * @throws InputException when the file is not a complete padrón file (exit 65); nothing changed
     * @throws StoreException when the snapshot cannot be written (exit 74); nothing changed
     */
    ImportSummary importFile(Path file, String source, String etag, boolean allowShrink, ImportListener listener) {
        long started = System.nanoTime();
        SnapshotInfo previous = previous();
        String kept = previous == null ? "no snapshot was created"
                : "the snapshot as of " + previous.dataAsOf() + " keeps serving";
        Path tmp = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
        FutureTask<String> digest = sha256(file);
        try (PadronSource in = PadronSource.open(file)) {
            PadronLines lines = new PadronLines(in.text(), in.name);
            PadronFormat.checkHeader(readHeader(lines, in), in.name);
            listener.started(in.textBytes());
            Map<Malformation, Long> malformed = new EnumMap<>(Malformation.class);
            long rows = 0;
            try (SnapshotWriter writer = SnapshotWriter.create(tmp, maxPages);
                    ParsingThread parsing = new ParsingThread(lines, in)) {
                ParsingThread.Batch batch;
                do {
                    batch = parsing.take();
                    for (int i = 0; i < batch.rows; i++) {
                        writer.add(batch.rucs[i], batch.fields[i]);
                    }
                    rows += batch.rows;
                    for (ParsingThread.Skipped skipped : batch.malformed) {
                        malformed.merge(skipped.kind(), 1L, Long::sum);
                        if (skipped.ruc() >= 0) {
                            writer.addMalformed(skipped.ruc(), skipped.line(), skipped.kind());
                        }
                        listener.malformed(skipped.line(), skipped.kind());
                    }
                    listener.progressed(batch.bytesConsumed, rows);
                } while (!batch.last);
                in.verifyComplete(lines.bytesConsumed());
                long duplicates = writer.duplicates();
                if (duplicates > 0) {
                    rows -= duplicates;
                    malformed.merge(Malformation.DUPLICATE_RUC, duplicates, Long::sum);
                }
                checkPlausible(in.name, rows, malformed, previous, allowShrink);
                // Whole seconds: the dates are shown and compared as ISO-8601 to the second.
                Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
                SnapshotInfo info = new SnapshotInfo(snapshot, 0, source, size(file), finish(digest, file), rows,
                        malformed, now, dataAsOf(file, now), etag);
                listener.finishing();
                writer.commit(info.toInfo());
                replace(tmp);
                SnapshotInfo placed = new SnapshotInfo(snapshot, size(snapshot), source, info.fileBytes(),
                        info.sha256(), rows, malformed, now, info.dataAsOf(), etag);
                return new ImportSummary(placed, Duration.ofNanos(System.nanoTime() - started),
                        lines.bytesConsumed(), previous == null ? -1 : previous.rows());
            }
        } catch (SQLException e) {
            StoreException translated = SqliteFailure.translate(e, tmp, Duration.ZERO, SnapshotSchema.ROLE);
            throw new StoreException(translated.getMessage() + "; " + kept, e);
        } catch (InputException e) {
            throw new InputException(e.getMessage() + "; " + kept, e.getCause());
        } catch (StoreException e) {
            throw new StoreException(e.getMessage() + "; " + kept, e.getCause());
        } finally {
            digest.cancel(true);
        }
    }

    /** Returns the facts of the snapshot in place, or null when there is none or it cannot be read. */
    private SnapshotInfo previous() {
        try (Snapshot current = Snapshot.open(snapshot)) {
            return current == null ? null : current.info();
        } catch (RucException e) {
            // A damaged snapshot is replaced without ceremony: that is what an import is for.
            return null;
        }
    }

    private static byte[] readHeader(PadronLines lines, PadronSource in) {
        try {
            return lines.header();
        } catch (IOException e) {
            throw in.damaged(e, 0);
        }
    }

    /**
     * Refuses a file that read cleanly but cannot be the padrón: no taxpayers, more malformed lines than good ones,
     * or (unless allowed) far fewer taxpayers than the snapshot it would replace, which is what a text file cut short
     * looks like: unlike a zip, a text file carries no length to check it against.
     */
    private static void checkPlausible(String file, long rows, Map<Malformation, Long> malformed,
            SnapshotInfo previous, boolean allowShrink) {
        long bad = malformed.values().stream().mapToLong(Long::longValue).sum();
        if (rows == 0) {
            throw new InputException(file + " holds no taxpayer lines" + (bad > 0 ? " (" + bad + " malformed)" : ""));
        }
        if (bad > rows) {
            throw new InputException(String.format(Locale.ROOT, "%s looks damaged: %d lines are malformed and only "
                    + "%d are good", file, bad, rows));
        }
        if (previous != null && !allowShrink && rows < previous.rows() * MIN_SHARE_OF_PREVIOUS) {
            throw new InputException(String.format(Locale.ROOT, "%s holds %d taxpayers, fewer than %d%% of the %d "
                    + "in the current snapshot: it looks incomplete; if it is right, import it with --allow-shrink",
                    file, rows, Math.round(MIN_SHARE_OF_PREVIOUS * 100), previous.rows()));
        }
    }

    /** Renames the synced scratch file over the snapshot, then syncs the folder so the rename survives a crash. */
    private void replace(Path tmp) {
        try {
            try {
                Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The next import replaces it.
            }
            throw new StoreException("cannot put the new padrón snapshot in place of " + snapshot + ": "
                    + IoMessages.reason(e), e);
        }
        try (FileChannel folder = FileChannel.open(snapshot.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // Not every file system lets a folder be synced; the rename is done either way.
        }
    }

    /**
     * Returns how current the file's data is: its modification time, which a download sets to the server's
     * Last-Modified (as wget and {@code curl -R} do), never later than now.
     */
    private static Instant dataAsOf(Path file, Instant now) {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
            return modified.isAfter(now) ? now : modified;
        } catch (IOException e) {
            return now;
        }
    }

    /** Starts hashing {@code file} on its own thread, so that the import pays no time for it on two cores. */
    private static FutureTask<String> sha256(Path file) {
        FutureTask<String> task = new FutureTask<>(() -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            // A FileChannel stops at an interrupt, so a failed import does not leave the hash reading on.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    sha.update(buffer);
                    buffer.clear();
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        });
        Thread thread = new Thread(task, "ruc-cache-sha256");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    private static String finish(FutureTask<String> digest, Path file) {
        try {
            return digest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("the import of " + file + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = Futures.cause(e);
            if (cause instanceof NoSuchAlgorithmException) {
                throw new IllegalStateException("this Java has no SHA-256", cause);
            }
            throw new InputException("cannot read " + file + " to compute its SHA-256: "
                    + (cause instanceof IOException io ? IoMessages.reason(io) : String.valueOf(cause)), cause);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
