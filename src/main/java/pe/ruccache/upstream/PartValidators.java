package pe.ruccache.upstream;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.regex.Matcher;
import okhttp3.Headers;
import okhttp3.Response;

/**
 * What identifies the version of the file being downloaded, as the server described it when the download began.
 *
 * @param url the URL it came from
 * @param etag the ETag header, or null
 * @param lastModifiedHeader the Last-Modified header as sent, or null
 * @param length the full length, or -1 when unknown
 */
record PartValidators(String url, String etag, String lastModifiedHeader, long length) {

    /** Returns the validators a response carries; the length from Content-Range, else a 200's Content-Length. */
    static PartValidators of(String url, Response response) {
        String length = response.header("Content-Length");
        long total = -1;
        Matcher m = DownloadAttempt.CONTENT_RANGE.matcher(DownloadAttempt.header(response, "Content-Range"));
        if (m.matches() && !m.group(3).equals("*")) {
            total = Long.parseLong(m.group(3));
        } else if (response.code() == 200 && length != null) {
            try {
                total = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                total = -1;
            }
        }
        return new PartValidators(url, response.header("ETag"), response.header("Last-Modified"), total);
    }

    /** Returns the validators of a resumable part, or null (deleting a part that cannot be resumed safely). */
    static PartValidators load(Path part, Path meta, String url) {
        if (Files.notExists(part)) {
            DownloadAttempt.deleteQuietly(meta);
            return null;
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (NoSuchFileException e) {
            DownloadAttempt.deleteQuietly(part);
            return null;
        } catch (IOException | IllegalArgumentException e) {
            DownloadAttempt.deleteQuietly(part);
            DownloadAttempt.deleteQuietly(meta);
            return null;
        }
        long length;
        try {
            length = Long.parseLong(p.getProperty("length", "-1"));
        } catch (NumberFormatException e) {
            length = -1;
        }
        PartValidators v = new PartValidators(p.getProperty("url"), p.getProperty("etag"),
                p.getProperty("last_modified"), length);
        // Without a validator a resumed tail could come from another version of the file: start over instead.
        if (!url.equals(v.url) || v.ifRange() == null || DownloadAttempt.size(part) == 0) {
            DownloadAttempt.deleteQuietly(part);
            DownloadAttempt.deleteQuietly(meta);
            return null;
        }
        return v;
    }

    /** Writes the validators beside the part, before its first byte, so a later run can resume it safely. */
    void store(Path meta) {
        Properties p = new Properties();
        p.setProperty("url", url);
        if (etag != null) {
            p.setProperty("etag", etag);
        }
        if (lastModifiedHeader != null) {
            p.setProperty("last_modified", lastModifiedHeader);
        }
        p.setProperty("length", Long.toString(length));
        try (Writer writer = Files.newBufferedWriter(meta, StandardCharsets.UTF_8)) {
            p.store(writer, "ruc-cache: what identifies the file being downloaded into the .part beside this");
        } catch (IOException e) {
            throw DownloadAttempt.cannotWrite(meta, e);
        }
    }

    /** Returns the If-Range value: a strong ETag, else the Last-Modified date, else null. */
    String ifRange() {
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return lastModifiedHeader;
    }

    /** Returns the Last-Modified date, or null when the server sent none (or one that does not parse). */
    Instant lastModified() {
        if (lastModifiedHeader == null) {
            return null;
        }
        Date date = Headers.of("Last-Modified", lastModifiedHeader).getDate("Last-Modified");
        return date == null ? null : date.toInstant();
    }

    /** Returns whether {@code other} describes the same version: validators both sides have must agree. */
    boolean sameFileAs(PartValidators other) {
        if (other == null) {
            return false;
        }
        if (etag != null && other.etag != null) {
            return etag.equals(other.etag);
        }
        if (lastModifiedHeader != null && other.lastModifiedHeader != null) {
            return lastModifiedHeader.equals(other.lastModifiedHeader);
        }
        return length >= 0 && length == other.length;
    }
}
