package pe.ruccache.cache.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis store's health checks. Each one reports instead of throwing, so that {@code health} can say everything
 * that is wrong at once, and each names the server without its password.
 */
final class RedisHealth {

    /** A median round trip above this makes every lookup noticeably slower than the SQLite file. */
    static final double SLOW_MILLIS = 20.0;

    /** Used memory above this share of maxmemory, with a policy that refuses writes, is a warning. */
    private static final double NEARLY_FULL = 0.9;

    private static final int PINGS = 5;

    private final RedisStore store;
    private final String server;

    RedisHealth(RedisStore store) {
        this.store = store;
        this.server = store.server().display();
    }

    List<HealthCheck> run() {
        HealthCheck connection = connection();
        if (connection.level() != HealthCheck.Level.OK) {
            // Each further check would wait for the same timeout and say the same thing.
            String skipped = "not run: no connection to " + server;
            return List.of(connection, HealthCheck.critical("store.roundtrip", skipped),
                    HealthCheck.critical("store.integrity", skipped), HealthCheck.critical("store.memory", skipped),
                    HealthCheck.critical("store.latency", skipped));
        }
        return List.of(connection, roundtrip(), integrity(), memory(), latency());
    }

    /** PING, and the server's version from INFO server. */
    private HealthCheck connection() {
        String name = "store.connection";
        return check(name, () -> {
            long started = System.nanoTime();
            store.client().ping();
            double millis = (System.nanoTime() - started) / 1e6;
            String version = info("server").getOrDefault("redis_version", "unknown version");
            return HealthCheck.ok(name, String.format(Locale.ROOT, "Redis %s at %s, prefix %s; PING %.1f ms",
                    version, server, store.keys().prefix(), millis));
        });
    }

    /** Writes a sentinel under the reserved provider, reads it back and deletes it. */
    private HealthCheck roundtrip() {
        String name = "store.roundtrip";
        return check(name, () -> {
            long started = System.nanoTime();
            // A random key per check, so that two processes checking at once do not read each other's sentinel.
            String ruc = String.format(Locale.ROOT, "00%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
            Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
            CacheEntry sentinel = new CacheEntry(ruc, RedisKeys.HEALTH_PROVIDER, Status.VALID, null, null,
                    new TaxpayerRecord(ruc, "PRUEBA DE SALUD ÑANDÚ", "ACTIVO", "HABIDO", null, null, null, null,
                            null, now),
                    now, now.plusSeconds(60));
            byte[] key = store.keys().entryBytes(RedisKeys.HEALTH_PROVIDER, ruc);
            CacheEntry readBack;
            try {
                // A TTL of its own: a process killed mid-check leaves nothing behind for long.
                store.client().set(key, EntryCodec.encode(sentinel), SetParams.setParams().px(60_000));
                readBack = RedisReads.decodeOrNull(new RedisKeys.Parsed(RedisKeys.HEALTH_PROVIDER, ruc),
                        store.client().get(key));
            } finally {
                store.client().unlink(key);
            }
            if (!sentinel.equals(readBack)) {
                return HealthCheck.critical(name, "wrote a test entry to " + server + " but read back "
                        + (readBack == null ? "nothing" : "a different entry"));
            }
            double millis = (System.nanoTime() - started) / 1e6;
            return HealthCheck.ok(name, String.format(Locale.ROOT,
                    "wrote, read back and deleted a test entry in %.1f ms", millis))
                    .measured("store_roundtrip", millis, "ms");
        });
    }

    /**
     * The layout marker, and a sample of stored answers: each must be readable and its provider listed in the
     * providers set (an unlisted provider's answers would be invisible to lookups).
     */
    private HealthCheck integrity() {
        String name = "store.integrity";
        return check(name, () -> {
            RedisKeys keys = store.keys();
            String layout = store.client().hget(keys.meta(), "layout");
            if (layout == null) {
                return HealthCheck.warning(name, "the layout marker " + keys.meta() + " at " + server
                        + " is missing (deleted, or evicted by maxmemory-policy); ruc-cache writes it again "
                        + "when it next opens the store");
            }
            int version = RedisLayout.version(layout);
            if (version != RedisLayout.VERSION) {
                return HealthCheck.critical(name, version > RedisLayout.VERSION
                        ? String.format(Locale.ROOT, "the keys under %s at %s have layout version %d; this "
                                + "ruc-cache reads version %d: upgrade it", keys.prefix(), server, version,
                                RedisLayout.VERSION)
                        : "the key " + keys.meta() + " at " + server + " is not a ruc-cache marker; another "
                                + "application may use the prefix " + keys.prefix());
            }
            Set<String> registered = store.client().smembers(keys.providers());
            ScanResult<String> page = store.client().scan(ScanParams.SCAN_POINTER_START,
                    new ScanParams().match(keys.entryPattern(null)).count(100));
            int sampled = 0;
            List<String> unreadable = new ArrayList<>();
            Set<String> unlisted = new TreeSet<>();
            List<RedisKeys.Parsed> parsed = new ArrayList<>();
            for (String key : page.getResult()) {
                RedisKeys.Parsed p = keys.parse(key);
                if (p != null) {
                    parsed.add(p);
                }
            }
            if (!parsed.isEmpty()) {
                byte[][] raw = parsed.stream().map(p -> keys.entryBytes(p.provider(), p.ruc()))
                        .toArray(byte[][]::new);
                List<byte[]> values = store.client().mget(raw);
                for (int i = 0; i < parsed.size(); i++) {
                    if (values.get(i) == null) {
                        continue;
                    }
                    sampled++;
                    if (RedisReads.decodeOrNull(parsed.get(i), values.get(i)) == null) {
                        unreadable.add(keys.entry(parsed.get(i).provider(), parsed.get(i).ruc()));
                    }
                    if (!registered.contains(parsed.get(i).provider())) {
                        unlisted.add(parsed.get(i).provider());
                    }
                }
            }
            if (!unreadable.isEmpty()) {
                return HealthCheck.critical(name, String.format(Locale.ROOT, "%d of %d sampled answers at %s "
                        + "cannot be read, first %s; a newer ruc-cache or another application wrote them",
                        unreadable.size(), sampled, server, unreadable.get(0)));
            }
            if (!unlisted.isEmpty()) {
                return HealthCheck.critical(name, "answers of " + String.join(", ", unlisted) + " at " + server
                        + " are missing from " + keys.providers() + ", so lookups do not see them; add them back: "
                        + "redis-cli SADD " + keys.providers() + " " + String.join(" ", unlisted));
            }
            return HealthCheck.ok(name, "layout version " + RedisLayout.VERSION + "; " + sampled
                    + " sampled answers readable; providers " + (registered.isEmpty() ? "none yet"
                            : String.join(", ", new TreeSet<>(registered))));
        });
    }

    /**
     * Whether the server could evict what ruc-cache cannot rebuild. Every answer carries a TTL; the counters, the
     * providers set and the layout marker do not. So {@code noeviction} (writes fail when full: exit 74) and
     * {@code volatile-ttl} (drops the answers nearest their end first, i.e. stale ones) are safe;
     * {@code volatile-lru/lfu/random} may drop any answer, fresh invalid-registry entries and manual marks included;
     * {@code allkeys-*} may also drop the counters, the marker and the providers set, which hides every answer of a
     * provider from lookups.
     */
    private HealthCheck memory() {
        String name = "store.memory";
        return check(name, () -> {
            Map<String, String> memory = info("memory");
            long used = number(memory.get("used_memory"));
            long max = number(memory.get("maxmemory"));
            String policy = memory.get("maxmemory_policy");
            if (policy == null) {
                policy = configGet("maxmemory-policy");
            }
            String usage = max > 0
                    ? String.format(Locale.ROOT, "%s of maxmemory %s (%.0f%%)", mib(used), mib(max),
                            100.0 * used / max)
                    : mib(used) + ", no maxmemory";
            String detail = usage + ", maxmemory-policy " + policy;
            if (max <= 0) {
                // Nothing is ever evicted; the machine's memory is the limit.
                return HealthCheck.ok(name, detail + ": Redis evicts nothing");
            }
            if (policy == null) {
                return HealthCheck.warning(name, usage + "; the eviction policy could not be read (CONFIG and "
                        + "INFO hide it); make sure it is noeviction or volatile-ttl");
            }
            switch (policy) {
                case "noeviction" -> {
                    if (used >= NEARLY_FULL * max) {
                        return HealthCheck.warning(name, detail + ": nearly full; when full, writes fail (exit "
                                + "74): raise maxmemory or run ruc-cache clear --expired");
                    }
                    return HealthCheck.ok(name, detail + ": nothing is evicted; when full, writes fail (exit 74)");
                }
                case "volatile-ttl" -> {
                    return HealthCheck.ok(name, detail + ": when full, the answers nearest their end (stale ones) "
                            + "go first; counters and marker have no TTL and stay");
                }
                case "volatile-lru", "volatile-lfu", "volatile-random" -> {
                    return HealthCheck.warning(name, detail + ": when full, Redis may evict any answer, including "
                            + "invalid-registry entries and manual marks (they would be asked upstream again); "
                            + "counters are safe (no TTL); prefer volatile-ttl or noeviction");
                }
                default -> {
                    return HealthCheck.warning(name, detail + ": when full, Redis may evict keys without a TTL too: "
                            + "the counters, the layout marker and the providers set under " + store.keys().prefix()
                            + " (lookups would stop seeing answers); set maxmemory-policy noeviction or "
                            + "volatile-ttl");
                }
            }
        });
    }

    /** The median of a few PINGs: every lookup pays at least one round trip. */
    private HealthCheck latency() {
        String name = "store.latency";
        return check(name, () -> {
            double[] millis = new double[PINGS];
            for (int i = 0; i < PINGS; i++) {
                long started = System.nanoTime();
                store.client().ping();
                millis[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(millis);
            double median = millis[PINGS / 2];
            String detail = String.format(Locale.ROOT, "round trip to %s: median %.2f ms, max %.2f ms over %d "
                    + "PINGs", server, median, millis[PINGS - 1], PINGS);
            if (median > SLOW_MILLIS) {
                return HealthCheck.warning(name, detail + "; every lookup pays at least one round trip: is the "
                        + "server far away or overloaded?");
            }
            return HealthCheck.ok(name, detail);
        });
    }

    private Map<String, String> info(String section) {
        Map<String, String> fields = new HashMap<>();
        for (String line : store.client().info(section).split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** Returns a CONFIG GET value, or null when the server does not allow CONFIG (managed services often do not). */
    private String configGet(String parameter) {
        try {
            Object reply = store.client().executeCommand(
                    new CommandArguments(Protocol.Command.CONFIG).add("GET").add(parameter));
            if (reply instanceof List<?> list && list.size() == 2 && list.get(1) instanceof byte[] value) {
                return new String(value, java.nio.charset.StandardCharsets.UTF_8);
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /** Runs one check; a failure to run it is that check's critical result, said in one line. */
    private HealthCheck check(String name, Check check) {
        try {
            return store.redis(check::run);
        } catch (StoreException | IllegalStateException e) {
            return HealthCheck.critical(name, e.getMessage());
        } catch (RuntimeException e) {
            return HealthCheck.critical(name, String.valueOf(e).replaceAll("\\s+", " ").strip());
        }
    }

    @FunctionalInterface
    private interface Check {
        HealthCheck run();
    }
}
