package pe.ruccache.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import pe.ruccache.core.Futures;

/**
 * Executes one HTTP request and reads its response, in a way the calling thread can abandon: an interrupt cancels
 * the call at once instead of waiting for the call timeout.
 */
final class HttpTransport {

    /** Larger bodies are not a RUC record; the cut keeps a misbehaving server from filling memory. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final Supplier<OkHttpClient> client;
    /** Set once the run is stopping: requests already sent are still answered, new ones are not sent. */
    private volatile boolean stopped;

    HttpTransport(Supplier<OkHttpClient> client) {
        this.client = client;
    }

    /** Sends no new request from now on; those already sent run to their answer. */
    void stopSending() {
        stopped = true;
    }

    /** Returns whether new requests are refused, the run stopping. */
    boolean isStopped() {
        return stopped;
    }

    /**
     * Returns the response to {@code request}; throws the IOException OkHttp reported, or InterruptedException
     * (after cancelling the call) when the calling thread is interrupted while waiting.
     */
    HttpReply execute(Request request) throws IOException, InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before the request");
        }
        // OkHttp's blocking execute() ignores interrupts while it reads a socket, so the call runs on the
        // dispatcher and this thread waits on a future it can stop waiting for.
        Call call = client.get().newCall(request);
        CompletableFuture<HttpReply> reply = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException e) {
                reply.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call done, Response response) {
                try (response) {
                    reply.complete(read(response));
                } catch (IOException | RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            }
        });
        try {
            return reply.get();
        } catch (InterruptedException e) {
            call.cancel();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static HttpReply read(Response response) throws IOException {
        ResponseBody body = response.body();
        MediaType type = body.contentType();
        Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
        byte[] bytes;
        try (InputStream in = body.byteStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        boolean truncated = bytes.length > MAX_BODY_BYTES;
        String text = new String(bytes, 0, Math.min(bytes.length, MAX_BODY_BYTES), charset);
        return new HttpReply(response.code(), type == null ? null : type.toString(), text, truncated,
                response.header("Retry-After"));
    }
}
