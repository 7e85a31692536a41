package pe.ruccache.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.BindException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import pe.ruccache.app.Services;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.RucException;
import pe.ruccache.lookup.LookupService;

/**
 * The HTTP server of {@code ruc-cache serve}: Jetty 12's core server (no servlet layer) over {@link Routes}, on one
 * {@link Services} (store, providers, counters). {@link #start} returns once it listens; {@link #stop} stops
 * accepting, lets the requests in flight finish within the stop grace, waits for the provider calls they started
 * (their answers are stored), saves the counters and returns.
 */
public final class RucServer {

    /** How often this process's counters are added to the store's. */
    private static final long FLUSH_SECONDS = 10;

    private final Server server;
    private final ServerConnector connector;
    private final Routes routes;
    private final ExecutorService upstream;
    private final ScheduledExecutorService flusher;
    private final LookupService lookup;
    private final AccessLog accessLog;
    private final ServeSettings settings;
    private final PrintWriter err;
    private final Object stopLock = new Object();
    private boolean stopped;
    private boolean done;

    private RucServer(Services services, ServeSettings settings, Clients clients, Writer accessLogTo,
            PrintWriter err) {
        this.settings = settings;
        this.err = err;
        Clock clock = services.clock();
        AtomicInteger n = new AtomicInteger();
        this.upstream = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "ruc-cache-upstream-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Resolver resolver = new Resolver(f -> services.lookupService(services.lookupOptions(f.refresh(), f.maxAge(),
                settings.offline())), upstream, clock, settings.memoryTtl());
        this.lookup = resolver.defaults();
        // A server that cannot answer a miss should say so now, not at its first request.
        lookup.requireProviders();
        this.accessLog = AccessLog.to(accessLogTo);
        ServerMetrics metrics = new ServerMetrics(new CountersView(lookup, services));
        Readiness readiness = new Readiness(services::healthService, clock);
        this.routes = new Routes(resolver, settings, clients, metrics, accessLog, readiness, new ObjectMapper(),
                openapi(), clock, err);

        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("ruc-cache-http");
        pool.setDaemon(true);
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(8192);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.listen().host());
        connector.setPort(settings.listen().port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);
        GracefulHandler graceful = new GracefulHandler(routes);
        server.setHandler(graceful);
        server.setStopTimeout(settings.stopGrace().toMillis());
        server.setStopAtShutdown(false);
        this.flusher = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ruc-cache-counters");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Starts a server over {@code services} and returns once it listens.
     *
     * @param clients the clients to let in, or null for a loopback-only server that lets any local process in
     * @param accessLogTo where the access log goes, or null for none
     * @param err where the server's own errors go
     * @throws ConfigException when it may not or cannot listen there, or no provider can be used
     */
    public static RucServer start(Services services, ServeSettings settings, Clients clients, Writer accessLogTo,
            PrintWriter err) {
        if (clients == null && !settings.listen().isLoopback()) {
            throw new ConfigException("serving on " + settings.listen() + " lets other machines in: give a clients "
                    + "file with --clients FILE (see 'ruc-cache serve add-client'), or listen on 127.0.0.1");
        }
        RucServer s = new RucServer(services, settings, clients, accessLogTo, err);
        try {
            s.server.start();
        } catch (Exception e) {
            s.shutDownExecutors(0);
            s.accessLog.close();
            Throwable cause = e instanceof IOException && e.getCause() != null ? e.getCause() : e;
            if (e instanceof BindException || cause instanceof BindException) {
                throw new ConfigException("cannot listen on " + settings.listen() + ": " + cause.getMessage()
                        + " (another process may be using the port)", e);
            }
            throw new ConfigException("cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** Returns the port it listens on (the one picked, when asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Returns the server's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        return URI.create("http://" + new ListenAddress(settings.listen().host(), port()).authority());
    }

    /**
     * Stops in order: no new connection or request, the requests in flight finish (up to the stop grace), the
     * provider calls they started end and are stored, the counters are saved. Safe to call more than once and from
     * any thread; returns when stopped.
     */
    public void stop() {
        synchronized (stopLock) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        long deadline = System.nanoTime() + settings.stopGrace().toNanos();
        routes.stopping();
        // Not connector.close() first: closing the listening socket also ends the connections whose requests are in
        // flight. Stopping gracefully, the connector stops accepting and open connections get 503 for new requests.
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            err.println("ruc-cache: serve: requests still in flight after " + settings.stopGrace().toSeconds()
                    + " s were cut off (their provider answers are stored if they come within the grace)");
        } catch (Exception e) {
            err.println("ruc-cache: serve: stopping the HTTP server: " + e);
        }
        shutDownExecutors(Math.max(500_000_000L, deadline - System.nanoTime()));
        flushQuietly();
        accessLog.close();
        synchronized (stopLock) {
            done = true;
            stopLock.notifyAll();
        }
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStop() throws InterruptedException {
        synchronized (stopLock) {
            while (!done) {
                stopLock.wait();
            }
        }
    }

    /** Stops the executors, waiting up to {@code nanos} for the provider calls in flight (their answers are stored). */
    private void shutDownExecutors(long nanos) {
        flusher.shutdownNow();
        upstream.shutdown();
        try {
            if (!upstream.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
                upstream.shutdownNow();
            }
        } catch (InterruptedException e) {
            upstream.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void flushQuietly() {
        try {
            lookup.flushCounters();
        } catch (RucException e) {
            err.println("ruc-cache: serve: cannot save the counters now (" + e.getMessage() + "); will retry");
            err.flush();
        }
    }

    private static byte[] openapi() {
        try (InputStream in = RucServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read openapi.json", e);
        }
    }

    /** The store's counters with this process's added, read at most once a second. */
    private static final class CountersView implements java.util.function.Supplier<Map<String, Long>> {
        private final LookupService lookup;
        private final Services services;
        private Map<String, Long> last;
        private long readAt;

        CountersView(LookupService lookup, Services services) {
            this.lookup = lookup;
            this.services = services;
        }

        @Override
        public synchronized Map<String, Long> get() {
            long now = System.nanoTime();
            if (last == null || now - readAt > 1_000_000_000L) {
                lookup.flushCounters();
                last = services.store().counters();
                readAt = now;
            }
            return last;
        }
    }
}
