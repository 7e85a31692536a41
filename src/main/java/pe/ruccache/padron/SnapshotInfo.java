package pe.ruccache.padron;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a snapshot holds and where it came from.
 *
 * @param snapshot the snapshot file
 * @param snapshotBytes the snapshot file's size
 * @param source the imported file's path, or the URL it was downloaded from
 * @param fileBytes the imported file's size (the zip's, for a zip)
 * @param sha256 the SHA-256 of the imported file, in lower-case hex
 * @param rows how many taxpayers the snapshot holds
 * @param malformed how many lines were skipped, by kind (kinds with none are absent)
 * @param importedAt when the import finished
 * @param dataAsOf how current the data is: the file's date (for a download, the server's Last-Modified)
 * @param etag the server's ETag of the downloaded file, or null
 */
public record SnapshotInfo(
        Path snapshot,
        long snapshotBytes,
        String source,
        long fileBytes,
        String sha256,
        long rows,
        Map<Malformation, Long> malformed,
        Instant importedAt,
        Instant dataAsOf,
        String etag) {

    /** Copies the counts. */
    public SnapshotInfo {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(importedAt, "importedAt");
        Objects.requireNonNull(dataAsOf, "dataAsOf");
        EnumMap<Malformation, Long> copy = new EnumMap<>(Malformation.class);
        malformed.forEach((kind, count) -> {
            if (count != null && count > 0) {
                copy.put(kind, count);
            }
        });
        malformed = Collections.unmodifiableMap(copy);
    }

    /** Returns how many lines were skipped in all. */
    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Returns the data's age at {@code now} (zero when the data is dated in the future). */
    public Duration age(Instant now) {
        Duration age = Duration.between(dataAsOf, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** Returns the facts to store in the snapshot's {@code info} table, by name. */
    Map<String, String> toInfo() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("file_bytes", Long.toString(fileBytes));
        m.put("sha256", sha256);
        m.put("rows", Long.toString(rows));
        malformed.forEach((kind, count) -> m.put("malformed." + kind.key(), Long.toString(count)));
        m.put("imported_at", importedAt.toString());
        m.put("data_as_of", dataAsOf.toString());
        if (etag != null) {
            m.put("etag", etag);
        }
        return m;
    }

    /**
     * Returns the facts of the snapshot {@code file} read from its {@code info} table; throws
     * IllegalArgumentException when one is missing or malformed.
     */
    static SnapshotInfo fromInfo(Path file, long snapshotBytes, Map<String, String> info) {
        EnumMap<Malformation, Long> malformed = new EnumMap<>(Malformation.class);
        for (Malformation kind : Malformation.values()) {
            String count = info.get("malformed." + kind.key());
            if (count != null) {
                malformed.put(kind, Long.parseLong(count));
            }
        }
        return new SnapshotInfo(file, snapshotBytes, required(info, "source"),
                Long.parseLong(required(info, "file_bytes")), required(info, "sha256"),
                Long.parseLong(required(info, "rows")), malformed, Instant.parse(required(info, "imported_at")),
                Instant.parse(required(info, "data_as_of")), info.get("etag"));
    }

    private static String required(Map<String, String> info, String name) {
        String value = info.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the snapshot's info lacks " + name);
        }
        return value;
    }
}
