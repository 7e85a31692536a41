package pe.ruccache.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One file to download.
 *
 * @param url where the file is (http or https)
 * @param target where the complete file goes; the download grows in {@code target + ".part"} until it is complete
 * @param ifNoneMatch the ETag of the copy the caller already has, to skip an unchanged file; null for none
 * @param ifModifiedSince the Last-Modified of the copy the caller already has; null for none
 */
public record DownloadRequest(URI url, Path target, String ifNoneMatch, Instant ifModifiedSince) {

    /** Checks that the URL and the target are present. */
    public DownloadRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
    }
}
