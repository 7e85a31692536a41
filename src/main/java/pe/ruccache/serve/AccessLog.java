package pe.ruccache.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;

/**
 * The access log: one line per request in the Combined Log Format, with the client's name from the clients file as
 * the user and the request's duration in milliseconds appended, e.g.
 * {@code 127.0.0.1 - erp [03/Dec/2026:23:00:16 +0000] "GET /v1/ruc/20100038146 HTTP/1.1" 200 512 "-" "curl/7.88" 0.4}.
 * Tokens never appear: the Authorization header is not logged, and a {@code token} query parameter is masked.
 * Lines are written by a thread of their own, in batches, so a request never waits for the terminal or the disk.
 */
final class AccessLog implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern TOKEN_PARAM = Pattern.compile("(?i)(^|[?&])(token|access_token)=[^&]*");
    private static final String STOP = new String("stop");

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(65_536);
    private final Writer out;
    private final Thread drainer;

    /** Starts a log that writes to {@code writer}; null for a log that writes nothing. */
    static AccessLog to(Writer writer) {
        return new AccessLog(writer);
    }

    private AccessLog(Writer writer) {
        this.out = writer;
        if (out == null) {
            drainer = null;
            return;
        }
        drainer = new Thread(this::drain, "ruc-cache-access-log");
        drainer.setDaemon(true);
        drainer.start();
    }

    /** Logs one request. */
    void log(String remote, String client, Instant at, String method, String target, String protocol, int status,
            long bytes, String referer, String agent, double millis) {
        if (out == null) {
            return;
        }
        String line = remote + " - " + (client == null ? "-" : client) + " [" + TIME.format(at) + "] \""
                + method + " " + mask(target) + " " + protocol + "\" " + status + " " + (bytes < 0 ? "-" : bytes)
                + " \"" + quoted(referer) + "\" \"" + quoted(agent) + "\" "
                + String.format(Locale.ROOT, "%.1f", millis) + "\n";
        try {
            lines.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns {@code target} with the value of any token parameter replaced. */
    static String mask(String target) {
        return target.indexOf('=') < 0 ? target : TOKEN_PARAM.matcher(target).replaceAll("$1$2=REDACTED");
    }

    private static String quoted(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        boolean broken = false;
        try {
            while (true) {
                batch.add(lines.take());
                lines.drainTo(batch, 1023);
                boolean stop = false;
                for (String line : batch) {
                    if (line == STOP) {
                        stop = true;
                    } else if (!broken) {
                        try {
                            out.write(line);
                        } catch (IOException e) {
                            // The log's reader went away (a closed pipe): requests carry on unlogged.
                            broken = true;
                        }
                    }
                }
                if (!broken) {
                    try {
                        out.flush();
                        // A PrintWriter hides its failures: a closed pipe shows as an error flag.
                        broken = out instanceof PrintWriter pw && pw.checkError();
                    } catch (IOException e) {
                        broken = true;
                    }
                }
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() {
        if (drainer == null) {
            return;
        }
        try {
            lines.put(STOP);
            drainer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
