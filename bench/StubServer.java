import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for APIMIGO on loopback, for bench/bulk-upstream.sh: answers GET /api/v2/ruc/{ruc} in APIMIGO's shape
 * after LATENCY_MS, refuses with 429 (Retry-After: 1) a request that would make more than LIMIT accepted requests in
 * any one second (a strict sliding window: the strictest limiter a provider can have), and counts requests per RUC
 * so duplicates show. GET /stats returns the counts and peak_1s, the most requests (accepted or not) that arrived
 * in any one second. GET /warmup/{anything} answers at once and is not counted.
 * Usage: java bench/StubServer.java PORT_FILE LATENCY_MS LIMIT
 */
public class StubServer {
    static final Map<String, AtomicInteger> perRuc = new ConcurrentHashMap<>();
    static final AtomicInteger requests = new AtomicInteger();
    static final AtomicInteger rejected = new AtomicInteger();
    static final AtomicLong first = new AtomicLong();
    static final AtomicLong last = new AtomicLong();
    /** Arrival times of the requests accepted, and of all requests, in the last second. */
    static final ArrayDeque<Long> accepted = new ArrayDeque<>();
    static final ArrayDeque<Long> arrived = new ArrayDeque<>();
    static int peak;

    public static void main(String[] args) throws IOException {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK and
        // add 40 ms to every answer; real API front ends (nginx, Cloudflare) send without that delay.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int latency = Integer.parseInt(args[1]);
        double limit = Double.parseDouble(args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(256));
        server.createContext("/stats", exchange -> {
            int duplicates = 0;
            for (AtomicInteger n : perRuc.values()) {
                duplicates += n.get() - 1;
            }
            String body = String.format(Locale.ROOT, "requests=%d distinct=%d duplicates=%d rejected=%d peak_1s=%d window_ms=%d%n",
                    requests.get(), perRuc.size(), duplicates, rejected.get(), peak(),
                    (last.get() - first.get()) / 1_000_000);
            send(exchange, 200, body, null);
        });
        // The same answer at once and counted nowhere: the script warms the server's own code with it, so that the
        // first requests measured do not wait for this JVM's JIT (a real provider is warm before a client comes).
        server.createContext("/warmup/", exchange -> send(exchange, 200, answer("20100038146"), null));
        server.createContext("/api/v2/ruc/", exchange -> {
            long now = System.nanoTime();
            first.compareAndSet(0, now);
            requests.incrementAndGet();
            if (!take(now, limit)) {
                rejected.incrementAndGet();
                send(exchange, 429, "{\"message\":\"Too Many Attempts.\"}", "1");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String ruc = path.substring(path.lastIndexOf('/') + 1);
            perRuc.computeIfAbsent(ruc, k -> new AtomicInteger()).incrementAndGet();
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            last.set(System.nanoTime());
            send(exchange, 200, answer(ruc), null);
        });
        server.start();
        Files.writeString(Path.of(args[0]), String.valueOf(server.getAddress().getPort()));
    }

    /** Returns APIMIGO's answer for {@code ruc}. */
    static String answer(String ruc) {
        return "{\"success\":true,\"ruc\":\"" + ruc + "\",\"nombre_o_razon_social\":\"EMPRESA " + ruc
                + " S.A.C.\",\"estado_del_contribuyente\":\"ACTIVO\",\"condicion_de_domicilio\":\"HABIDO\","
                + "\"ubigeo\":\"150131\",\"direccion\":\"AV. JAVIER PRADO ESTE NRO. 4200 LIMA LIMA SAN ISIDRO\","
                + "\"distrito\":\"SAN ISIDRO\",\"provincia\":\"LIMA\",\"departamento\":\"LIMA\","
                + "\"actualizado_en\":\"2026-11-25 08:00:00\"}";
    }

    /** Returns whether a request arriving at {@code now} stays within LIMIT accepted in the second up to it. */
    static synchronized boolean take(long now, double limit) {
        forgetBefore(arrived, now);
        arrived.addLast(now);
        peak = Math.max(peak, arrived.size());
        forgetBefore(accepted, now);
        if (accepted.size() + 1 > limit) {
            return false;
        }
        accepted.addLast(now);
        return true;
    }

    static synchronized int peak() {
        return peak;
    }

    /** Drops the times more than a second before {@code now}: a window [now - 1 s, now] holds the rest. */
    private static void forgetBefore(ArrayDeque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= 1_000_000_000L) {
            times.removeFirst();
        }
    }

    static void send(HttpExchange exchange, int code, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
