package pe.ruccache.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.Writer;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.UnavailableException;

/**
 * Downloads one large file over HTTP into a local file, resuming an interrupted download instead of starting over.
 *
 * <p>The bytes grow in {@code TARGET.part}; the validators of the file being fetched (ETag, Last-Modified, length)
 * are kept beside it in {@code TARGET.part.meta}. A later attempt, in this run or the next, asks for the rest with
 * {@code Range} and {@code If-Range}; the answer is trusted only when its {@code Content-Range} starts where the part
 * ends and its validators are those of the part, so a file that changed on the server restarts from zero rather than
 * splicing two versions. A connection that drops after delivering bytes is resumed at once; failures that deliver
 * nothing are retried with exponential backoff, up to the configured number of retries. The complete file is synced
 * and renamed to {@code TARGET}, whose modification time becomes the server's Last-Modified.
 *
 * <p>This is the one place that reads HTTP statuses of file downloads: 200, 206, 304 and 416 are the protocol;
 * 408, 429 and 5xx are transient; any other status ends the download.
 */
public final class FileDownloader {

    private static final int BUFFER_BYTES = 1 << 16;
    /** Restarts from zero allowed in one run: a file that keeps changing under us is not worth fetching now. */
    private static final int MAX_RESTARTS = 3;
    /** A bound on attempts that each made progress, so that a server dribbling bytes cannot keep us forever. */
    private static final int MAX_ATTEMPTS = 1000;
    /** Reads stall no longer than this without a byte, even when the configured call timeout is shorter. */
    private static final Duration MIN_READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)",
            Pattern.CASE_INSENSITIVE);
    /** RFC 9110's IMF-fixdate; HTTP dates are English whatever the user's locale. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)", Pattern.CASE_INSENSITIVE);

    private final Supplier<OkHttpClient> shared;
    private final HttpSettings http;

    FileDownloader(Supplier<OkHttpClient> shared, HttpSettings http) {
        this.shared = shared;
        this.http = http;
    }

    /**
     * Downloads {@code request.url()} into {@code request.target()}, resuming a part left by an earlier attempt.
     *
     * @throws UnavailableException when the server cannot be reached or keeps failing, or answers an error status
     * @throws StoreException when the file cannot be written (disk full, folder not writable)
     * @throws ConfigException when the URL is not an http or https URL
     */
    public DownloadResult download(DownloadRequest request, DownloadListener listener) {
        HttpUrl url = HttpUrl.parse(request.url().toString());
        if (url == null) {
            throw new ConfigException("cannot download " + request.url() + ": not an http or https URL");
        }
        Path target = request.target().toAbsolutePath();
        Path part = sibling(target, ".part");
        Path meta = sibling(target, ".part.meta");
        // Streaming a file of hundreds of megabytes: no overall deadline, only a limit on silence between reads.
        Duration readTimeout = http.callTimeout().compareTo(MIN_READ_TIMEOUT) > 0 ? http.callTimeout()
                : MIN_READ_TIMEOUT;
        OkHttpClient client = shared.get().newBuilder()
                .callTimeout(Duration.ZERO)
                .readTimeout(readTimeout)
                .build();
        int failuresWithoutProgress = 0;
        int restarts = 0;
        long resumedFrom = -1;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Validators saved = Validators.load(part, meta, request.url().toString());
            long offset = saved == null ? 0 : size(part);
            if (resumedFrom < 0) {
                resumedFrom = offset;
            }
            Step step;
            try {
                step = transfer(client, url, request, part, meta, saved, offset, listener);
            } catch (NetworkFailure e) {
                if (e.progress > 0) {
                    failuresWithoutProgress = 0;
                    listener.note("the connection dropped at byte " + (offset + e.progress) + " ("
                            + describe(e.getCause()) + "); resuming");
                    continue;
                }
                failuresWithoutProgress++;
                if (failuresWithoutProgress > http.maxRetries()) {
                    throw new UnavailableException("cannot download " + request.url() + ": "
                            + describe(e.getCause()) + (offset > 0 ? "; " + offset + " bytes are kept in " + part
                            + " and the next attempt resumes from there" : ""), e.getCause());
                }
                pause(failuresWithoutProgress, request);
                continue;
            } catch (TransientStatus e) {
                failuresWithoutProgress++;
                if (failuresWithoutProgress > http.maxRetries()) {
                    throw new UnavailableException("cannot download " + request.url() + ": the server answered "
                            + e.getMessage() + "; try again later");
                }
                pause(failuresWithoutProgress, request);
                continue;
            }
            if (step instanceof Step.Restart restart) {
                deleteQuietly(part);
                deleteQuietly(meta);
                if (++restarts > MAX_RESTARTS) {
                    throw new UnavailableException("cannot download " + request.url() + ": the file keeps changing "
                            + "on the server while it downloads; try again later");
                }
                listener.note(restart.why + "; downloading it again from the start");
                resumedFrom = 0;
                continue;
            }
            if (step instanceof Step.NotModified) {
                return new DownloadResult(null, 0, request.ifNoneMatch(), request.ifModifiedSince(), 0, true);
            }
            Validators done = ((Step.Complete) step).validators;
            long bytes = finish(part, meta, target, done);
            return new DownloadResult(target, bytes, done.etag, done.lastModified(), Math.max(0, resumedFrom), false);
        }
        throw new UnavailableException("cannot download " + request.url() + ": the server keeps dropping the "
                + "connection; the bytes fetched so far are kept in " + part + " for the next attempt");
    }

    /** Makes one request and writes what it delivers; returns what to do next. */
    private Step transfer(OkHttpClient client, HttpUrl url, DownloadRequest request, Path part, Path meta,
            Validators saved, long offset, DownloadListener listener) throws NetworkFailure, TransientStatus {
        // Identity, so that OkHttp does not unzip transparently: byte ranges refer to the bytes as stored.
        Request.Builder builder = new Request.Builder().url(url).header("Accept-Encoding", "identity");
        boolean conditional = false;
        if (offset > 0) {
            builder.header("Range", "bytes=" + offset + "-");
            builder.header("If-Range", saved.ifRange());
        } else {
            if (request.ifNoneMatch() != null) {
                builder.header("If-None-Match", request.ifNoneMatch());
                conditional = true;
            }
            if (request.ifModifiedSince() != null) {
                builder.header("If-Modified-Since", HTTP_DATE.format(request.ifModifiedSince()));
                conditional = true;
            }
        }
        Response response;
        try {
            response = client.newCall(builder.build()).execute();
        } catch (IOException e) {
            throw new NetworkFailure(e, 0);
        }
        try (response) {
            int code = response.code();
            if (code == 304 && conditional) {
                return new Step.NotModified();
            }
            if (code == 416 && offset > 0) {
                Matcher m = UNSATISFIED_RANGE.matcher(header(response, "Content-Range"));
                if (m.matches() && Long.parseLong(m.group(1)) == offset && saved.length == offset) {
                    // The part holds the whole file: an earlier run stopped between the last byte and the rename.
                    return new Step.Complete(saved);
                }
                return new Step.Restart("the server cannot resume the download at byte " + offset);
            }
            if (code == 206 && offset > 0) {
                String changed = changes(saved, response, offset);
                if (changed != null) {
                    return new Step.Restart(changed);
                }
                listener.started(offset, saved.length);
                copy(response, part, true, offset, saved.length, listener);
                return new Step.Complete(saved);
            }
            if (code == 200) {
                Validators fresh = Validators.of(request.url().toString(), response);
                if (offset > 0) {
                    listener.note("the server sent the whole file instead of the rest"
                            + (fresh.sameFileAs(saved) ? "" : " (it changed on the server)") + "; starting from zero");
                }
                fresh.store(meta);
                listener.started(0, fresh.length);
                copy(response, part, false, 0, fresh.length, listener);
                return new Step.Complete(fresh);
            }
            String status = "HTTP " + code + (response.message().isBlank() ? "" : " "
                    + ResponseClassifier.oneLine(response.message()));
            if (code == 408 || code == 429 || code >= 500 && code < 600) {
                throw new TransientStatus(status);
            }
            throw new UnavailableException("cannot download " + request.url() + ": the server answered " + status
                    + (code == 404 ? "; check the URL" : ""));
        }
    }

    /** Returns why a 206 answer cannot continue the part, or null when it can. */
    private static String changes(Validators saved, Response response, long offset) {
        Matcher m = CONTENT_RANGE.matcher(header(response, "Content-Range"));
        if (!m.matches()) {
            return "the server's partial answer has no usable Content-Range ('" + header(response, "Content-Range")
                    + "')";
        }
        long start = Long.parseLong(m.group(1));
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        if (start != offset) {
            return "the server resumed at byte " + start + " instead of " + offset;
        }
        if (total >= 0 && saved.length >= 0 && total != saved.length) {
            return "the file on the server changed size (" + saved.length + " bytes, now " + total + ")";
        }
        Validators now = Validators.of(saved.url, response);
        if (!now.sameFileAs(saved)) {
            return "the file on the server changed since the interrupted download";
        }
        return null;
    }

    /** Appends (or writes from the start) the response body to {@code part}. */
    private static void copy(Response response, Path part, boolean append, long offset, long total,
            DownloadListener listener) throws NetworkFailure {
        long written = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        try (FileChannel out = open(part, append); InputStream in = response.body().byteStream()) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw new NetworkFailure(e, written);
                }
                if (n < 0) {
                    break;
                }
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                try {
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    throw cannotWrite(part, e);
                }
                written += n;
                listener.transferred(offset + written);
            }
            if (total >= 0 && offset + written != total) {
                throw new NetworkFailure(new IOException("the server closed the connection at byte "
                        + (offset + written) + " of " + total), written);
            }
        } catch (IOException e) {
            // Only closing gets here (reads and writes are caught above); a body that fails to close is the network.
            throw new NetworkFailure(e, written);
        }
    }

    private static FileChannel open(Path part, boolean append) {
        try {
            return append
                    ? FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                    : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw cannotWrite(part, e);
        }
    }

    /** Syncs the complete part, renames it to {@code target} and dates it; returns its size. */
    private static long finish(Path part, Path meta, Path target, Validators validators) {
        try {
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Instant lastModified = validators.lastModified();
            if (lastModified != null) {
                // Like wget and curl -R: the file carries the server's date, which says how current its data is.
                Files.setLastModifiedTime(target, FileTime.from(lastModified));
            }
            deleteQuietly(meta);
            return Files.size(target);
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    private void pause(int failures, DownloadRequest request) {
        long millis = http.initialBackoff().toMillis() << Math.min(failures - 1, 10);
        try {
            Thread.sleep(Math.min(millis, http.maxRetryWait().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("the download of " + request.url() + " was interrupted");
        }
    }

    private static StoreException cannotWrite(Path file, IOException e) {
        return new StoreException("cannot write the download " + file + ": " + IoMessages.reason(e)
                + "; free some space or make the folder writable, then retry", e);
    }

    private static String describe(Throwable e) {
        String text = e.getMessage() == null ? "" : ResponseClassifier.oneLine(e.getMessage());
        if (e instanceof UnknownHostException) {
            return "unknown host " + text;
        }
        if (e instanceof ConnectException) {
            return "could not connect (" + (text.isEmpty() ? "refused" : text) + ")";
        }
        if (e instanceof InterruptedIOException) {
            return "timed out" + (text.isEmpty() ? "" : " (" + text + ")");
        }
        if (e instanceof SSLException) {
            return "TLS failure (" + text + ")";
        }
        return text.isEmpty() ? e.getClass().getSimpleName() : text;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String header(Response response, String name) {
        String value = response.header(name);
        return value == null ? "" : value.strip();
    }

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover is harmless: the next attempt checks the part against its validators before using it.
        }
    }

    /**
     * What identifies the version of the file being downloaded, as the server described it when the download began.
     *
     * @param url the URL it came from
     * @param etag the ETag header, or null
     * @param lastModifiedHeader the Last-Modified header as sent, or null
     * @param length the full length, or -1 when unknown
     */
    private record Validators(String url, String etag, String lastModifiedHeader, long length) {

        /** Returns the validators a response carries; the length from Content-Range, else a 200's Content-Length. */
        static Validators of(String url, Response response) {
            String length = response.header("Content-Length");
            long total = -1;
            Matcher m = CONTENT_RANGE.matcher(header(response, "Content-Range"));
            if (m.matches() && !m.group(3).equals("*")) {
                total = Long.parseLong(m.group(3));
            } else if (response.code() == 200 && length != null) {
                try {
                    total = Long.parseLong(length.strip());
                } catch (NumberFormatException e) {
                    total = -1;
                }
            }
            return new Validators(url, response.header("ETag"), response.header("Last-Modified"), total);
        }

        /** Returns the validators of a resumable part, or null (deleting a part that cannot be resumed safely). */
        static Validators load(Path part, Path meta, String url) {
            if (Files.notExists(part)) {
                deleteQuietly(meta);
                return null;
            }
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (NoSuchFileException e) {
                deleteQuietly(part);
                return null;
            } catch (IOException | IllegalArgumentException e) {
                deleteQuietly(part);
                deleteQuietly(meta);
                return null;
            }
            long length;
            try {
                length = Long.parseLong(p.getProperty("length", "-1"));
            } catch (NumberFormatException e) {
                length = -1;
            }
            Validators v = new Validators(p.getProperty("url"), p.getProperty("etag"),
                    p.getProperty("last_modified"), length);
            // Without a validator a resumed tail could come from another version of the file: start over instead.
            if (!url.equals(v.url) || v.ifRange() == null || size(part) == 0) {
                deleteQuietly(part);
                deleteQuietly(meta);
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
                throw cannotWrite(meta, e);
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
        boolean sameFileAs(Validators other) {
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

    /** What one request led to. */
    private sealed interface Step {
        /** The file is complete in the part, with these validators. */
        record Complete(Validators validators) implements Step {
        }

        /** The part cannot be continued; start again from zero. */
        record Restart(String why) implements Step {
        }

        /** The server says the caller's copy is current. */
        record NotModified() implements Step {
        }
    }

    /** The network failed, after {@code progress} bytes of this attempt were written. */
    private static final class NetworkFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final long progress;

        NetworkFailure(IOException cause, long progress) {
            super(cause);
            this.progress = progress;
        }
    }

    /** The server answered a status that may pass (408, 429, 5xx). */
    private static final class TransientStatus extends Exception {
        private static final long serialVersionUID = 1L;

        TransientStatus(String status) {
            super(status);
        }
    }
}
