package pe.ruccache.upstream;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.UnavailableException;
import pe.ruccache.upstream.DownloadAttempt.NetworkFailure;
import pe.ruccache.upstream.DownloadAttempt.Step;
import pe.ruccache.upstream.DownloadAttempt.TransientStatus;

/**
 * Downloads one large file over HTTP into a local file, resuming an interrupted download instead of starting over.
 *
 * <p>The bytes grow in {@code TARGET.part}; the validators of the file being fetched (ETag, Last-Modified, length)
 * are kept beside it in {@code TARGET.part.meta} ({@link PartValidators}). A later attempt, in this run or the next,
 * asks for the rest with {@code Range} and {@code If-Range}; the answer is trusted only when its
 * {@code Content-Range} starts where the part ends and its validators are those of the part, so a file that changed
 * on the server restarts from zero rather than splicing two versions ({@link DownloadAttempt}). A connection that
 * drops after delivering bytes is resumed at once; failures that deliver nothing are retried by a Failsafe retry
 * policy, like the providers' ({@link ResilientProvider}), with exponential backoff, up to the configured number of
 * retries. The complete file is synced and renamed to {@code TARGET}, whose modification time becomes the server's
 * Last-Modified.
 *
 * <p>This is the one place that reads HTTP statuses of file downloads: 200, 206, 304 and 416 are the protocol;
 * 408, 429 and 5xx are transient; any other status ends the download.
 */
public final class FileDownloader {

    /** Reads stall no longer than this without a byte, even when the configured call timeout is shorter. */
    private static final Duration MIN_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The doubling of the backoff stops at 2^10 times the initial delay. */
    private static final int MAX_DOUBLINGS = 10;

    private final Supplier<OkHttpClient> shared;
    private final HttpSettings http;
    /**
     * Retries the failures that delivered nothing; one execution lasts until bytes arrive, so a drop after progress
     * starts the count again.
     */
    private final RetryPolicy<Step> retries;

    FileDownloader(Supplier<OkHttpClient> shared, HttpSettings http) {
        this.shared = shared;
        this.http = http;
        this.retries = RetryPolicy.<Step>builder()
                .handle(NetworkFailure.class, TransientStatus.class)
                .withMaxRetries(Math.max(0, http.maxRetries()))
                .withDelayFn(context -> backoff(http, context.getAttemptCount()))
                .build();
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
        DownloadAttempt attempt = new DownloadAttempt(client, url, request, part, meta, listener);
        while (true) {
            Step step;
            try {
                step = Failsafe.with(retries).get(attempt::next);
            } catch (FailsafeException e) {
                throw unavailable(e.getCause(), request, attempt, part);
            }
            if (step instanceof Step.Dropped dropped) {
                listener.note("the connection dropped at byte " + dropped.at() + " (" + describe(dropped.cause())
                        + "); resuming");
                continue;
            }
            if (step instanceof Step.NotModified) {
                return new DownloadResult(null, 0, request.ifNoneMatch(), request.ifModifiedSince(), 0, true);
            }
            PartValidators done = ((Step.Complete) step).validators();
            long bytes = attempt.finish(target, done);
            return new DownloadResult(target, bytes, done.etag(), done.lastModified(), attempt.resumedFrom(), false);
        }
    }

    /**
     * Returns the pause before retry number {@code failures} (from 1): the initial backoff, doubled for each failure
     * before it, at most {@link HttpSettings#maxRetryWait()}.
     */
    static Duration backoff(HttpSettings http, int failures) {
        long millis = http.initialBackoff().toMillis() << Math.min(failures - 1, MAX_DOUBLINGS);
        return Duration.ofMillis(Math.min(millis, http.maxRetryWait().toMillis()));
    }

    /** Returns the UnavailableException for the retries' last failure, or for their wait being interrupted. */
    private static UnavailableException unavailable(Throwable last, DownloadRequest request, DownloadAttempt attempt,
            Path part) {
        if (last instanceof InterruptedException) {
            // Failsafe has already restored the interrupt flag.
            return new UnavailableException("the download of " + request.url() + " was interrupted");
        }
        if (last instanceof TransientStatus status) {
            return new UnavailableException("cannot download " + request.url() + ": the server answered "
                    + status.getMessage() + "; try again later");
        }
        if (last instanceof NetworkFailure failure) {
            long kept = attempt.offset();
            return new UnavailableException("cannot download " + request.url() + ": " + describe(failure.getCause())
                    + (kept > 0 ? "; " + kept + " bytes are kept in " + part
                            + " and the next attempt resumes from there" : ""), failure.getCause());
        }
        throw new IllegalStateException("unexpected failure of the download of " + request.url(), last);
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

    private static Path sibling(Path target, String suffix) {
        return target.resolveSibling(target.getFileName() + suffix);
    }
}
