package pe.ruccache.upstream;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What a download produced.
 *
 * @param file the complete file, or null when the server said the caller's copy is current
 * @param bytes the file's size
 * @param etag the server's ETag for the file, or null
 * @param lastModified the server's Last-Modified for the file (also set as the file's modification time), or null
 * @param resumedFrom how many bytes an earlier, interrupted download had already fetched; 0 for a fresh download
 * @param notModified whether the server answered that the caller's copy is current (HTTP 304)
 */
public record DownloadResult(Path file, long bytes, String etag, Instant lastModified, long resumedFrom,
        boolean notModified) {
}
