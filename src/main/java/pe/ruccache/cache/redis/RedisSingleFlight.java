package pe.ruccache.cache.redis;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.core.Futures;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;

/**
 * Single-flight through Redis: the claim on a RUC is the key {@code <prefix>:flight:<ruc>}, set with
 * {@code SET NX PX lease} to a token of this process. The process that sets it asks the providers, stores the answer
 * and deletes the key if it still holds its token (compare-and-delete, in a script that also PUBLISHes the RUC on
 * {@code <prefix>:flights}). The others subscribe to that channel and wait for the RUC; a poll every fraction of a
 * second catches a lease that ended without a message (its process died) or a message lost with a connection.
 *
 * <p>While a process holds claims it renews them every third of a lease, so a claim lasts as long as the work it
 * covers, however long the provider or the shared rate limit makes it wait; a process killed while holding claims
 * delays the others by at most one lease. Claims still held when the store closes (a run that stopped early) are
 * released then.
 */
public final class RedisSingleFlight implements SingleFlight {

    /** The shortest lease: several renewals fit in it even when Redis answers slowly. */
    static final Duration MIN_LEASE = Duration.ofSeconds(15);

    /** Claims renewed or released per script call, so that no single call blocks Redis for long. */
    private static final int KEYS_PER_SCRIPT = 1_000;

    /** Deletes each claim still holding ARGV[1] and publishes its RUC (ARGV[2 + i]) on ARGV[2]; returns how many. */
    static final String RELEASE = "local n = 0\n"
            + "for i = 1, #KEYS do\n"
            + "  if redis.call('GET', KEYS[i]) == ARGV[1] then\n"
            + "    redis.call('DEL', KEYS[i])\n"
            + "    redis.call('PUBLISH', ARGV[2], ARGV[i + 2])\n"
            + "    n = n + 1\n"
            + "  end\n"
            + "end\n"
            + "return n\n";

    /** Extends each claim still holding ARGV[1] to ARGV[2] milliseconds; returns 1 for each kept, 0 for each lost. */
    static final String RENEW = "local kept = {}\n"
            + "for i = 1, #KEYS do\n"
            + "  if redis.call('GET', KEYS[i]) == ARGV[1] then\n"
            + "    redis.call('PEXPIRE', KEYS[i], ARGV[2])\n"
            + "    kept[i] = 1\n"
            + "  else\n"
            + "    kept[i] = 0\n"
            + "  end\n"
            + "end\n"
            + "return kept\n";

    private final RedisStore store;
    private final RedisKeys keys;
    private final long leaseMillis;
    private final long pollMillis;
    private final String token = UUID.randomUUID().toString();
    /** The claims this process holds, each with the number of the claim, so a stale renewal cannot drop a new one. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    private final AtomicLong claims = new AtomicLong();
    private final Map<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private ScheduledExecutorService timer;
    private Subscriber subscriber;
    private boolean closed;

    /**
     * Creates the single-flight of {@code store} with claims that last {@code lease} unless renewed.
     *
     * @param lease how long a claim outlives the process holding it; renewals come every third of it
     */
    RedisSingleFlight(RedisStore store, Duration lease) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = store.keys();
        this.leaseMillis = lease.toMillis();
        if (leaseMillis < 3) {
            throw new IllegalArgumentException("lease too short: " + lease);
        }
        this.pollMillis = Math.max(10, Math.min(500, leaseMillis / 3));
    }

    /** Returns the lease for a store whose replies may take up to {@code options.timeout()}. */
    static Duration leaseFor(RedisOptions options) {
        Duration threeTimeouts = options.timeout().multipliedBy(3);
        return threeTimeouts.compareTo(MIN_LEASE) > 0 ? threeTimeouts : MIN_LEASE;
    }

    /** Returns how long a claim outlives a process that stops renewing it. */
    public Duration lease() {
        return Duration.ofMillis(leaseMillis);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Set<String> claim(Collection<String> rucs) {
        List<String> distinct = checked(rucs);
        Set<String> won = new LinkedHashSet<>();
        if (distinct.isEmpty()) {
            return won;
        }
        startTimer();
        List<Response<String>> replies = new ArrayList<>(distinct.size());
        store.redis(() -> {
            try (AbstractPipeline pipe = store.client().pipelined()) {
                SetParams ifAbsent = SetParams.setParams().nx().px(leaseMillis);
                for (String ruc : distinct) {
                    replies.add(pipe.set(keys.flight(ruc), token, ifAbsent));
                }
                pipe.sync();
            }
            return null;
        });
        for (int i = 0; i < distinct.size(); i++) {
            if ("OK".equals(replies.get(i).get())) {
                String ruc = distinct.get(i);
                held.put(ruc, claims.incrementAndGet());
                won.add(ruc);
            }
        }
        return won;
    }

    @Override
    public void release(String ruc) {
        Objects.requireNonNull(ruc, "ruc");
        // A claim a renewal found taken over is not ours to delete, nor is one never taken.
        if (held.remove(ruc) != null) {
            releaseAll(List.of(ruc));
        }
    }

    private void releaseAll(List<String> rucs) {
        for (int from = 0; from < rucs.size(); from += KEYS_PER_SCRIPT) {
            List<String> chunk = rucs.subList(from, Math.min(rucs.size(), from + KEYS_PER_SCRIPT));
            List<String> claimKeys = new ArrayList<>(chunk.size());
            List<String> args = new ArrayList<>(chunk.size() + 2);
            args.add(token);
            args.add(keys.flights());
            for (String ruc : chunk) {
                claimKeys.add(keys.flight(ruc));
                args.add(ruc);
            }
            store.redis(() -> store.client().eval(RELEASE, claimKeys, args));
        }
    }

    @Override
    public Map<String, CompletableFuture<Void>> released(Collection<String> rucs) {
        List<String> distinct = checked(rucs);
        Map<String, CompletableFuture<Void>> out = new LinkedHashMap<>();
        if (distinct.isEmpty()) {
            return out;
        }
        startTimer();
        // Subscribed first, then registered, then checked: a release after the check is announced to a listener
        // that is already there, and one before it is seen by the check.
        awaitSubscribed();
        for (String ruc : distinct) {
            out.put(ruc, waiters.computeIfAbsent(ruc, k -> new CompletableFuture<>()));
        }
        try {
            wakeUnclaimed(distinct);
        } catch (StoreException e) {
            fail(distinct, e);
            throw e;
        }
        return out;
    }

    /** Completes the waits for those of {@code rucs} that nobody claims any more, in one round trip. */
    private void wakeUnclaimed(List<String> rucs) {
        List<Response<Boolean>> claimed = new ArrayList<>(rucs.size());
        store.redis(() -> {
            try (AbstractPipeline pipe = store.client().pipelined()) {
                for (String ruc : rucs) {
                    claimed.add(pipe.exists(keys.flight(ruc)));
                }
                pipe.sync();
            }
            return null;
        });
        for (int i = 0; i < rucs.size(); i++) {
            if (!Boolean.TRUE.equals(claimed.get(i).get())) {
                wake(rucs.get(i));
            }
        }
    }

    private void wake(String ruc) {
        CompletableFuture<Void> waiting = waiters.remove(ruc);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    private void fail(Collection<String> rucs, RuntimeException e) {
        for (String ruc : rucs) {
            CompletableFuture<Void> waiting = waiters.remove(ruc);
            if (waiting != null) {
                waiting.completeExceptionally(e);
            }
        }
    }

    /** Checks on every wait in progress; when Redis cannot tell, the waits fail with its StoreException. */
    private void poll() {
        if (waiters.isEmpty()) {
            return;
        }
        List<String> waiting = new ArrayList<>(waiters.keySet());
        try {
            wakeUnclaimed(waiting);
        } catch (RuntimeException e) {
            fail(waiting, e instanceof StoreException se ? se : store.failure().translate(e));
        }
    }

    /** Extends the claims this process holds; a claim found taken over is forgotten. */
    private void renew() {
        if (held.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> mine = new ArrayList<>(held.entrySet());
        try {
            for (int from = 0; from < mine.size(); from += KEYS_PER_SCRIPT) {
                List<Map.Entry<String, Long>> chunk = mine.subList(from, Math.min(mine.size(), from + KEYS_PER_SCRIPT));
                List<String> claimKeys = new ArrayList<>(chunk.size());
                for (Map.Entry<String, Long> e : chunk) {
                    claimKeys.add(keys.flight(e.getKey()));
                }
                Object reply = store.redis(() -> store.client().eval(RENEW, claimKeys,
                        List.of(token, String.valueOf(leaseMillis))));
                List<?> kept = (List<?>) reply;
                for (int i = 0; i < chunk.size(); i++) {
                    if (!Long.valueOf(1).equals(kept.get(i))) {
                        held.remove(chunk.get(i).getKey(), chunk.get(i).getValue());
                    }
                }
            }
        } catch (RuntimeException e) {
            // The next round tries again; a claim that lapses meanwhile costs at worst a second call upstream, and
            // the run itself meets the failure at its next read or write.
        }
    }

    private void startTimer() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the single-flight of " + store.location() + " is closed");
            }
            if (timer != null) {
                return;
            }
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "ruc-cache-flights-timer");
                thread.setDaemon(true);
                return thread;
            });
            t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            long renewEvery = Math.max(1, leaseMillis / 3);
            t.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
            t.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
            timer = t;
        }
    }

    /** Subscribes to the channel of released claims, if not yet, and waits until Redis confirms it. */
    private void awaitSubscribed() {
        Subscriber current;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the single-flight of " + store.location() + " is closed");
            }
            if (subscriber == null || subscriber.ended) {
                subscriber = new Subscriber();
                subscriber.start();
            }
            current = subscriber;
        }
        long timeout = store.options().timeout().toMillis();
        try {
            current.ready.get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while subscribing to " + keys.flights() + " at "
                    + store.server().display(), e);
        } catch (ExecutionException e) {
            Throwable cause = Futures.cause(e);
            throw store.failure().translate(cause instanceof RuntimeException re ? re
                    : new JedisConnectionException(cause));
        } catch (TimeoutException e) {
            throw store.failure().translate(new JedisConnectionException(
                    new SocketTimeoutException("Read timed out")));
        }
    }

    /**
     * Stops the timer and the subscription, releases the claims still held (a run that stopped early leaves none
     * for others to wait out) and cancels the waits in progress.
     */
    void close() {
        Subscriber current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
            }
            current = subscriber;
        }
        List<String> mine = new ArrayList<>(held.keySet());
        held.clear();
        if (!mine.isEmpty()) {
            try {
                releaseAll(mine);
            } catch (RuntimeException e) {
                // Redis is gone: the claims end with their lease.
            }
        }
        if (current != null) {
            current.stop();
        }
        fail(new ArrayList<>(waiters.keySet()), new CancellationException("the store was closed"));
    }

    private static List<String> checked(Collection<String> rucs) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(rucs));
        for (String ruc : distinct) {
            String problem = RedisKeys.rucProblem(Objects.requireNonNull(ruc, "ruc"));
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        return distinct;
    }

    /** Listens on the channel of released claims on a connection and a thread of its own. */
    private final class Subscriber extends JedisPubSub {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile boolean ended;
        private Thread thread;

        void start() {
            thread = new Thread(this::listen, "ruc-cache-flights-subscriber");
            thread.setDaemon(true);
            thread.start();
        }

        private void listen() {
            try {
                store.client().subscribe(this, keys.flights());
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
            } finally {
                ended = true;
                ready.completeExceptionally(new JedisConnectionException("the subscription ended"));
            }
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            ready.complete(null);
        }

        @Override
        public void onMessage(String channel, String ruc) {
            wake(ruc);
        }

        void stop() {
            try {
                if (isSubscribed()) {
                    unsubscribe();
                }
            } catch (RuntimeException e) {
                // Already unsubscribed, or the connection is gone: either way the thread ends.
            }
            try {
                thread.join(store.options().timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
