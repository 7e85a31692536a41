package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.core.UnavailableException;

/** Downloads against MockWebServer on loopback: resuming with Range, restarting when the file changed. */
class FileDownloaderTest {

    private static final String LAST_MODIFIED = "Tue, 24 Nov 2026 10:30:00 GMT";

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final FileServer files = new FileServer();
    private UpstreamClient client;
    private Path target;

    @BeforeEach
    void setUp() throws Exception {
        server.setDispatcher(files);
        server.start();
        client = new UpstreamClient(Fixtures.noRetries());
        target = dir.resolve("padron_reducido_ruc.zip");
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    private DownloadResult download(DownloadListener listener) {
        return client.downloader().download(new DownloadRequest(url(), target, null, null), listener);
    }

    private URI url() {
        return URI.create(server.url("/padron_reducido_ruc.zip").toString());
    }

    private static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> all = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            all.add(r);
        }
        return all;
    }

    @Test
    void fresh_wholeFileWritten_datedByLastModified_noPartLeft() throws Exception {
        files.serve(content(200_000, 1), "\"v1\"");
        DownloadResult result = download(DownloadListener.NONE);
        assertArrayEquals(files.body, Files.readAllBytes(target));
        assertEquals(200_000, result.bytes());
        assertEquals("\"v1\"", result.etag());
        assertEquals(Instant.parse("2026-11-24T10:30:00Z"), result.lastModified());
        assertEquals(result.lastModified(), Files.getLastModifiedTime(target).toInstant());
        assertEquals(0, result.resumedFrom());
        assertFalse(Files.exists(dir.resolve("padron_reducido_ruc.zip.part")));
        assertFalse(Files.exists(dir.resolve("padron_reducido_ruc.zip.part.meta")));
        RecordedRequest request = requests().get(0);
        assertEquals("identity", request.getHeaders().get("Accept-Encoding"));
        assertNull(request.getHeaders().get("Range"));
    }

    @Test
    void connectionDropsMidway_resumedWithRangeAndIfRange_fileIsWhole() throws Exception {
        files.serve(content(300_000, 2), "\"v1\"");
        files.drops.set(1);
        List<String> notes = new ArrayList<>();
        DownloadResult result = download(new DownloadListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
        List<RecordedRequest> requests = requests();
        assertEquals(2, requests.size());
        String range = requests.get(1).getHeaders().get("Range");
        long resumedAt = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
        // The first response broke off partway: the resume asks for exactly what is missing, no more.
        assertTrue(resumedAt > 0 && resumedAt < 300_000, range);
        assertEquals("bytes=" + resumedAt + "-", range);
        assertEquals("\"v1\"", requests.get(1).getHeaders().get("If-Range"));
        assertEquals(0, result.resumedFrom(), "this run fetched the whole file, in two parts");
        assertEquals(sha256(files.body), sha256(Files.readAllBytes(target)));
        assertTrue(notes.get(0).startsWith("the connection dropped at byte " + resumedAt), notes.toString());
    }

    @Test
    void remoteFileChanged_serverAnswersIfRangeWithWholeNewFile_startsOverFromZero() throws Exception {
        files.serve(content(300_000, 3), "\"v1\"");
        files.drops.set(1);
        byte[] v2 = content(250_000, 4);
        files.afterFirst = () -> files.serve(v2, "\"v2\"");
        download(DownloadListener.NONE);
        List<RecordedRequest> requests = requests();
        assertEquals(2, requests.size());
        assertEquals("\"v1\"", requests.get(1).getHeaders().get("If-Range"));
        assertEquals(sha256(v2), sha256(Files.readAllBytes(target)), "nothing of v1 is spliced in");
    }

    @Test
    void remoteFileChanged_serverIgnoresIfRange_partialOfNewVersionDetected_restartsWithoutRange()
            throws Exception {
        files.serve(content(300_000, 5), "\"v1\"");
        files.honourIfRange = false;
        files.drops.set(1);
        byte[] v2 = content(300_000, 6);
        files.afterFirst = () -> files.serve(v2, "\"v2\"");
        List<String> notes = new ArrayList<>();
        download(new DownloadListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        });
        List<RecordedRequest> requests = requests();
        assertEquals(3, requests.size(), "the drop, the refused partial answer, the fresh start");
        assertTrue(requests.get(1).getHeaders().get("Range") != null);
        assertNull(requests.get(2).getHeaders().get("Range"));
        assertEquals(sha256(v2), sha256(Files.readAllBytes(target)));
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("the file on the server changed since the interrupted "
                + "download; downloading it again from the start")), notes.toString());
    }

    @Test
    void interruptedRun_partKept_nextRunResumesWhereItStopped() throws Exception {
        files.serve(content(300_000, 7), "\"v1\"");
        files.drops.set(1);
        files.failNext.set(1);
        UnavailableException e = assertThrows(UnavailableException.class, () -> download(DownloadListener.NONE));
        Path part = dir.resolve("padron_reducido_ruc.zip.part");
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < 300_000);
        requests();

        DownloadResult result = download(DownloadListener.NONE);
        assertEquals(kept, result.resumedFrom());
        assertEquals("bytes=" + kept + "-", requests().get(0).getHeaders().get("Range"));
        assertEquals(sha256(files.body), sha256(Files.readAllBytes(target)));
        assertFalse(Files.exists(part));
    }

    @Test
    void partAlreadyComplete_serverSays416_fileFinishedWithoutRefetching() throws Exception {
        files.serve(content(100_000, 8), "\"v1\"");
        // A run that stopped between the last byte and the rename leaves a complete part behind.
        Files.write(dir.resolve("padron_reducido_ruc.zip.part"), files.body);
        Files.writeString(dir.resolve("padron_reducido_ruc.zip.part.meta"), "url=" + url() + "\netag=\"v1\"\n"
                + "length=100000\n");
        download(DownloadListener.NONE);
        assertArrayEquals(files.body, Files.readAllBytes(target));
        assertEquals(1, requests().size());
    }

    @Test
    void partFromAnotherUrl_discarded_downloadStartsFresh() throws Exception {
        files.serve(content(100_000, 9), "\"v1\"");
        Files.write(dir.resolve("padron_reducido_ruc.zip.part"), content(500, 10));
        Files.writeString(dir.resolve("padron_reducido_ruc.zip.part.meta"),
                "url=http\\://elsewhere.invalid/x.zip\netag=\"v1\"\nlength=100000\n");
        download(DownloadListener.NONE);
        assertNull(requests().get(0).getHeaders().get("Range"));
        assertArrayEquals(files.body, Files.readAllBytes(target));
    }

    @Test
    void unchangedSinceCallersCopy_304_nothingDownloaded() throws Exception {
        files.serve(content(1000, 11), "\"v1\"");
        DownloadResult result = client.downloader().download(new DownloadRequest(url(), target, "\"v1\"",
                Instant.parse("2026-11-24T10:30:00Z")), DownloadListener.NONE);
        assertTrue(result.notModified());
        assertFalse(Files.exists(target));
        RecordedRequest request = requests().get(0);
        assertEquals("\"v1\"", request.getHeaders().get("If-None-Match"));
        assertEquals(LAST_MODIFIED, request.getHeaders().get("If-Modified-Since"));
    }

    @Test
    void notFound_unavailableAtOnce_withoutRetrying() throws Exception {
        client.close();
        client = new UpstreamClient(Fixtures.fast());
        files.status = 404;
        UnavailableException e = assertThrows(UnavailableException.class, () -> download(DownloadListener.NONE));
        assertEquals("cannot download " + url() + ": the server answered HTTP 404 Client Error; check the URL",
                e.getMessage());
        assertEquals(1, requests().size());
    }

    @Test
    void serverError_retriedThenUnavailable() throws Exception {
        client.close();
        client = new UpstreamClient(Fixtures.fast());
        files.status = 503;
        UnavailableException e = assertThrows(UnavailableException.class, () -> download(DownloadListener.NONE));
        assertTrue(e.getMessage().endsWith("the server answered HTTP 503 Server Error; try again later"),
                e.getMessage());
        assertEquals(3, requests().size(), "the first attempt and the two configured retries");
    }

    @Test
    void progressBetweenFailures_resetsTheRetries_downloadCompletes() throws Exception {
        client.close();
        client = new UpstreamClient(Fixtures.fast());
        files.serve(content(300_000, 12), "\"v1\"");
        // Four 503s in all, more than the two retries, but never more than two in a row without a byte delivered.
        java.util.Deque<String> script = new java.util.ArrayDeque<>(List.of("drop", "503", "503", "drop", "503",
                "503"));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String next = script.poll();
                if ("503".equals(next)) {
                    return new MockResponse.Builder().code(503).build();
                }
                if ("drop".equals(next)) {
                    files.drops.set(1);
                }
                return files.dispatch(request);
            }
        });

        DownloadResult result = download(DownloadListener.NONE);

        assertEquals(sha256(files.body), sha256(Files.readAllBytes(target)));
        assertEquals(0, result.resumedFrom());
        assertEquals(7, requests().size());
    }

    @Test
    void connectionRefused_retriedThenUnavailable_namingTheCause() throws Exception {
        client.close();
        client = new UpstreamClient(Fixtures.fast());
        URI url = url();
        server.close();

        UnavailableException e = assertThrows(UnavailableException.class, () -> client.downloader()
                .download(new DownloadRequest(url, target, null, null), DownloadListener.NONE));

        assertTrue(e.getMessage().startsWith("cannot download " + url + ": could not connect ("), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void interruptedWhileWaitingToRetry_unavailable_interruptKept() throws Exception {
        client.close();
        // A backoff far longer than the test: only the interrupt can end the wait.
        client = new UpstreamClient(Fixtures.withBackoff(Fixtures.fast(), java.time.Duration.ofMinutes(5),
                java.time.Duration.ofMinutes(5)));
        files.status = 503;
        java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
        Thread downloading = new Thread(() -> {
            try {
                download(DownloadListener.NONE);
                failure.complete(null);
            } catch (RuntimeException e) {
                failure.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e));
            }
        });
        downloading.start();
        server.takeRequest(10, TimeUnit.SECONDS);
        downloading.interrupt();

        Throwable e = failure.get(10, TimeUnit.SECONDS);
        assertTrue(e instanceof UnavailableException, String.valueOf(e));
        assertEquals("the download of " + url() + " was interrupted", e.getMessage());
    }

    @Test
    void backoff_doublesFromTheInitialDelay_cappedByTheLongestWait() {
        HttpSettings http = Fixtures.withBackoff(Fixtures.fast(), java.time.Duration.ofMillis(250),
                java.time.Duration.ofSeconds(10));

        assertEquals(java.time.Duration.ofMillis(250), FileDownloader.backoff(http, 1));
        assertEquals(java.time.Duration.ofMillis(500), FileDownloader.backoff(http, 2));
        assertEquals(java.time.Duration.ofMillis(8000), FileDownloader.backoff(http, 6));
        assertEquals(java.time.Duration.ofSeconds(10), FileDownloader.backoff(http, 7));
        // The doubling stops at 2^10 times the initial delay, however many retries are configured.
        HttpSettings patient = Fixtures.withBackoff(Fixtures.fast(), java.time.Duration.ofMillis(1),
                java.time.Duration.ofHours(1));
        assertEquals(java.time.Duration.ofMillis(1024), FileDownloader.backoff(patient, 40));
    }

    /**
     * Serves one file with its ETag and Last-Modified, honouring Range (and If-Range unless told not to); can drop
     * the connection halfway through a body, or answer 503, for the next N requests.
     */
    static final class FileServer extends Dispatcher {
        volatile byte[] body = new byte[0];
        volatile String etag;
        volatile boolean honourIfRange = true;
        volatile int status;
        volatile Runnable afterFirst;
        final AtomicInteger drops = new AtomicInteger();
        final AtomicInteger failNext = new AtomicInteger();
        private final AtomicInteger served = new AtomicInteger();

        void serve(byte[] bytes, String newEtag) {
            this.body = bytes;
            this.etag = newEtag;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            int n = served.incrementAndGet();
            if (n == 2 && afterFirst != null) {
                afterFirst.run();
            }
            if (status != 0) {
                return new MockResponse.Builder().code(status).build();
            }
            if (n > 1 && failNext.getAndDecrement() > 0) {
                return new MockResponse.Builder().code(503).build();
            }
            MockResponse.Builder b = new MockResponse.Builder().addHeader("ETag", etag)
                    .addHeader("Last-Modified", LAST_MODIFIED);
            String inm = request.getHeaders().get("If-None-Match");
            if (inm != null && inm.equals(etag)) {
                return b.code(304).build();
            }
            String range = request.getHeaders().get("Range");
            String ifRange = request.getHeaders().get("If-Range");
            byte[] bytes = body;
            if (range != null && (!honourIfRange || ifRange == null || ifRange.equals(etag))) {
                long start = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
                if (start >= bytes.length) {
                    return b.code(416).addHeader("Content-Range", "bytes */" + bytes.length).build();
                }
                b.code(206).addHeader("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/"
                        + bytes.length).body(new Buffer().write(bytes, (int) start, (int) (bytes.length - start)));
            } else {
                b.code(200).body(new Buffer().write(bytes));
            }
            if (drops.getAndDecrement() > 0) {
                b.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE);
            }
            return b.build();
        }
    }
}
