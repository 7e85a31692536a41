package pe.ruccache.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.UnavailableException;

/**
 * The requests of one download and what each delivered: resuming the {@code .part} with {@code Range} and
 * {@code If-Range}, restarting from zero when the file changed on the server, and finishing the file. Statuses
 * that may pass and network failures that delivered nothing are thrown for {@link FileDownloader}'s retry policy;
 * a connection that drops after delivering bytes is returned as {@link Step.Dropped}, to be resumed at once.
 */
final class DownloadAttempt {

    static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)",
            Pattern.CASE_INSENSITIVE);

    private static final int BUFFER_BYTES = 1 << 16;
    /** Restarts from zero allowed in one run: a file that keeps changing under us is not worth fetching now. */
    private static final int MAX_RESTARTS = 3;
    /** A bound on attempts that each made progress, so that a server dribbling bytes cannot keep us forever. */
    private static final int MAX_ATTEMPTS = 1000;
    /** RFC 9110's IMF-fixdate; HTTP dates are English whatever the user's locale. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)", Pattern.CASE_INSENSITIVE);

    private final OkHttpClient client;
    private final HttpUrl url;
    private final DownloadRequest request;
    private final Path part;
    private final Path meta;
    private final DownloadListener listener;
    private int attempts;
    private int restarts;
    private long resumedFrom = -1;
    private long offset;

    DownloadAttempt(OkHttpClient client, HttpUrl url, DownloadRequest request, Path part, Path meta,
            DownloadListener listener) {
        this.client = client;
        this.url = url;
        this.request = request;
        this.part = part;
        this.meta = meta;
        this.listener = listener;
    }

    /** Returns where the bytes of this run began: 0, or the size of the part an earlier run left. */
    long resumedFrom() {
        return Math.max(0, resumedFrom);
    }

    /** Returns the size of the part the latest request continued. */
    long offset() {
        return offset;
    }

    /**
     * Makes requests until one completes the file, finds it unchanged or drops after delivering bytes; restarts
     * from zero along the way when the part cannot be continued.
     */
    Step next() throws NetworkFailure, TransientStatus {
        while (true) {
            if (++attempts > MAX_ATTEMPTS) {
                throw new UnavailableException("cannot download " + request.url() + ": the server keeps dropping "
                        + "the connection; the bytes fetched so far are kept in " + part + " for the next attempt");
            }
            PartValidators saved = PartValidators.load(part, meta, request.url().toString());
            offset = saved == null ? 0 : size(part);
            if (resumedFrom < 0) {
                resumedFrom = offset;
            }
            Step step;
            try {
                step = transfer(saved);
            } catch (NetworkFailure e) {
                if (e.progress > 0) {
                    return new Step.Dropped(offset + e.progress, e.getCause());
                }
                throw e;
            }
            if (step instanceof Step.Restart restart) {
                deleteQuietly(part);
                deleteQuietly(meta);
                if (++restarts > MAX_RESTARTS) {
                    throw new UnavailableException("cannot download " + request.url() + ": the file keeps changing "
                            + "on the server while it downloads; try again later");
                }
                listener.note(restart.why() + "; downloading it again from the start");
                resumedFrom = 0;
                continue;
            }
            return step;
        }
    }

    /** Makes one request and writes what it delivers; returns what to do next. */
    private Step transfer(PartValidators saved) throws NetworkFailure, TransientStatus {
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
                if (m.matches() && Long.parseLong(m.group(1)) == offset && saved.length() == offset) {
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
                listener.started(offset, saved.length());
                copy(response, part, true, offset, saved.length(), listener);
                return new Step.Complete(saved);
            }
            if (code == 200) {
                PartValidators fresh = PartValidators.of(request.url().toString(), response);
                if (offset > 0) {
                    listener.note("the server sent the whole file instead of the rest"
                            + (fresh.sameFileAs(saved) ? "" : " (it changed on the server)") + "; starting from zero");
                }
                fresh.store(meta);
                listener.started(0, fresh.length());
                copy(response, part, false, 0, fresh.length(), listener);
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
    private static String changes(PartValidators saved, Response response, long offset) {
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
        if (total >= 0 && saved.length() >= 0 && total != saved.length()) {
            return "the file on the server changed size (" + saved.length() + " bytes, now " + total + ")";
        }
        PartValidators now = PartValidators.of(saved.url(), response);
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
    long finish(Path target, PartValidators validators) {
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

    static StoreException cannotWrite(Path file, IOException e) {
        return new StoreException("cannot write the download " + file + ": " + IoMessages.reason(e)
                + "; free some space or make the folder writable, then retry", e);
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static String header(Response response, String name) {
        String value = response.header(name);
        return value == null ? "" : value.strip();
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover is harmless: the next attempt checks the part against its validators before using it.
        }
    }

    /** What a run of requests led to. */
    sealed interface Step {
        /** The file is complete in the part, with these validators. */
        record Complete(PartValidators validators) implements Step {
        }

        /** The part cannot be continued; start again from zero. */
        record Restart(String why) implements Step {
        }

        /** The server says the caller's copy is current. */
        record NotModified() implements Step {
        }

        /** The connection dropped at byte {@code at} after delivering some; resume at once. */
        record Dropped(long at, IOException cause) implements Step {
        }
    }

    /** The network failed, after {@code progress} bytes of this attempt were written. */
    static final class NetworkFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final long progress;

        NetworkFailure(IOException cause, long progress) {
            super(cause);
            this.progress = progress;
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** The server answered a status that may pass (408, 429, 5xx). */
    static final class TransientStatus extends Exception {
        private static final long serialVersionUID = 1L;

        TransientStatus(String status) {
            super(status);
        }
    }
}
