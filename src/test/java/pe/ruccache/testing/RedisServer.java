package pe.ruccache.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} of the tests' own, on a free loopback port, with its files in a folder the test
 * owns; persistence is off unless asked for. When redis-server is not installed the tests fail saying how to
 * install it; {@code RUC_CACHE_TEST_REDIS=skip} skips them instead, and says so, for machines without it.
 */
public final class RedisServer implements AutoCloseable {

    /** The environment variable that lets a developer skip the Redis tests explicitly. */
    public static final String SKIP_VARIABLE = "RUC_CACHE_TEST_REDIS";

    private static final long START_TIMEOUT_SECONDS = 20;

    /** Every server started, so that none outlives the test JVM even when a test forgets to close it. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "redis-server-reaper"));
    }

    private final Path dir;
    private final List<String> extraArgs;
    private final int port;
    private final boolean tls;
    private Process process;
    private final List<String> log = new ArrayList<>();

    private RedisServer(Path dir, int port, boolean tls, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts a server with persistence off, its files in {@code dir}; extra arguments are redis-server options. */
    public static RedisServer start(Path dir, String... extraArgs) {
        return start(dir, false, extraArgs);
    }

    /**
     * Starts a server that speaks only TLS on its port, presenting the PEM certificate and key given; clients are
     * not asked for certificates.
     */
    public static RedisServer startTls(Path dir, Path certificate, Path key) {
        return start(dir, true, "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no");
    }

    private static RedisServer start(Path dir, boolean tls, String... extraArgs) {
        String binary = requireInstalled();
        IOException last = null;
        // A free port found now may be taken before redis-server binds it; another one is tried then.
        for (int attempt = 0; attempt < 5; attempt++) {
            RedisServer server = new RedisServer(dir, freePort(), tls, List.of(extraArgs));
            try {
                server.launch(binary);
                return server;
            } catch (IOException e) {
                last = e;
                if (!String.valueOf(e.getMessage()).contains("Address already in use")) {
                    break;
                }
            }
        }
        throw new UncheckedIOException("redis-server did not start", last);
    }

    /** Starts a server that writes every acknowledged write to its append-only file before answering. */
    public static RedisServer startDurable(Path dir) {
        return start(dir, "--appendonly", "yes", "--appendfsync", "always");
    }

    /**
     * Returns the path of redis-server; fails the test when it is not installed, unless the developer set
     * {@code RUC_CACHE_TEST_REDIS=skip}, in which case the test is skipped (aborted, visibly).
     */
    public static String requireInstalled() {
        String binary = findOnPath("redis-server");
        if ("skip".equalsIgnoreCase(System.getenv(SKIP_VARIABLE))) {
            Assumptions.abort("Redis tests skipped: " + SKIP_VARIABLE + "=skip");
        }
        if (binary == null) {
            fail("redis-server is not installed, and the Redis store's tests need a real one: install it "
                    + "(apt-get install redis-server) or, on a machine where you cannot, set " + SKIP_VARIABLE
                    + "=skip to skip these tests");
        }
        return binary;
    }

    /** Returns the port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Returns {@code redis://127.0.0.1:PORT}, or {@code rediss://} for a TLS server. */
    public String uri() {
        return (tls ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /** Returns a plain connection for setting the server up (FLUSHALL, CONFIG SET...); close it after use. */
    public Jedis admin() {
        return new Jedis("127.0.0.1", port, 5_000);
    }

    /** Deletes every key of every database. */
    public void flushAll() {
        try (Jedis admin = admin()) {
            admin.flushAll();
        }
    }

    /** Kills the server at once (SIGKILL), as a crash or a pulled plug would. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** Starts the server again on the same port, with the same folder and options, after {@link #kill()}. */
    public void restart() {
        try {
            launch(requireInstalled());
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start again", e);
        }
    }

    /** Stops the server and waits until it is gone. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    private void waitForExit() {
        RUNNING.remove(process);
        try {
            if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts redis-server and returns once it says it accepts connections; reading its log, not sleeping. */
    private void launch(String binary) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(binary, "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "notice"));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port)));
        } else {
            command.addAll(List.of("--port", String.valueOf(port)));
        }
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove(SKIP_VARIABLE);
        process = builder.start();
        RUNNING.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            log.add(line);
            if (line.contains("Ready to accept connections")) {
                drainInBackground(out);
                return;
            }
        }
        waitForExit();
        throw new IOException("redis-server exited before accepting connections: " + String.join(" | ", log));
    }

    /** Keeps reading the server's output, so that it never blocks on a full pipe. */
    private void drainInBackground(BufferedReader out) {
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // The log is only needed up to readiness.
                }
            } catch (IOException ignored) {
                // The server is gone.
            }
        }, "redis-server-" + port + "-log");
        drain.setDaemon(true);
        drain.start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String folder : path.split(File.pathSeparator)) {
            Path candidate = Path.of(folder, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
