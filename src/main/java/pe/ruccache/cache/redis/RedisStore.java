package pe.ruccache.cache.redis;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.NewestFirst;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.SingleFlight;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreArguments;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The store on a Redis server shared by several machines (docs/DESIGN.md §5). Each answer is one string key,
 * {@code <prefix>:<provider>:ruc:<ruc>}, holding the compact value of {@link EntryCodec}; Redis deletes it by itself
 * a grace period after the answer expires, so that until then it can still be served stale when every provider
 * fails. Counters are a hash under the same prefix, and a set lists every provider that ever stored an answer, so
 * that looking up a RUC reads exactly the keys that can exist, in one round trip.
 *
 * <p>Connections come from a pool with explicit timeouts, so one instance is safe for several threads. Stats and
 * scoped clears walk the keys with {@code SCAN}, never {@code KEYS}, and read or delete them in pipelined batches;
 * a clear that depends on values (expired, by status or reason) deletes a key only if it still holds the value that
 * was read, so an answer another process refreshed meanwhile is never lost. Every failure is a one-line
 * {@link StoreException} naming the server without its password.
 */
public final class RedisStore implements Store {

    /** The layout version this code reads and writes, kept in {@code <prefix>:meta}. */
    static final int LAYOUT_VERSION = 1;

    /** Keys asked for per SCAN call: Redis's own advice for a balance of round trips and blocking time. */
    static final int SCAN_COUNT = 1_000;

    /** RUCs per MGET in batched reads, and MGETs in flight before reading their replies. */
    private static final int READ_BATCH = 512;
    private static final int READS_IN_FLIGHT = 8;

    /** The longest Redis keeps a key: answers "valid for a century" still get a TTL, so eviction stays predictable. */
    private static final long MAX_RETENTION_MILLIS = Duration.ofDays(36_525).toMillis();

    /**
     * How many connections one process may hold: each command or pipeline borrows one for a round trip or a batch,
     * so this covers bulk's concurrency with room to spare; more threads wait up to the timeout for one.
     */
    private static final int MAX_CONNECTIONS = 32;

    /** Deletes each key only if it still holds the value read before (KEYS[i] vs ARGV[i]); returns how many. */
    static final byte[] DELETE_IF_UNCHANGED = ("local n = 0\n"
            + "for i = 1, #KEYS do\n"
            + "  if redis.call('GET', KEYS[i]) == ARGV[i] then n = n + redis.call('UNLINK', KEYS[i]) end\n"
            + "end\n"
            + "return n\n").getBytes(StandardCharsets.UTF_8);

    private static final Comparator<CacheEntry> NEWEST_FIRST = new NewestFirst();

    private final RedisLocation location;
    private final RedisOptions options;
    private final RedisKeys keys;
    private final Clock clock;
    private final UnifiedJedis client;
    private final RedisFailure failure;

    /** The providers known to have stored answers, sorted; only grows, refreshed from the server's set. */
    private volatile List<String> providers = List.of();
    private volatile boolean closed;

    /** Guards the structures below, which are created on first use: most commands never need them. */
    private final Object sharedLock = new Object();
    private RedisSingleFlight singleFlight;
    private SharedRateLimits rateLimits;

    private RedisStore(RedisLocation location, RedisOptions options, Clock clock, UnifiedJedis client,
            RedisFailure failure) {
        this.location = location;
        this.options = options;
        this.keys = new RedisKeys(options.prefix());
        this.clock = clock;
        this.client = client;
        this.failure = failure;
    }

    /**
     * Connects to the server at {@code location} and checks the layout version under the prefix, writing the
     * version marker if there is none yet; throws StoreException naming the server (without password) when it
     * cannot be used. The password in the URI wins over the one in {@code options}.
     *
     * @param clock the time source; answers are kept {@code expiresAt + grace - now} more milliseconds
     */
    public static RedisStore open(RedisLocation location, RedisOptions options, Clock clock) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        String password = location.password() != null ? location.password() : options.password();
        RedisFailure failure = new RedisFailure(location, options, password);
        UnifiedJedis client = connect(location, options, password);
        RedisStore store = new RedisStore(location, options, clock, client, failure);
        try {
            store.checkLayout();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw failure.translate(e);
        }
    }

    private static UnifiedJedis connect(RedisLocation location, RedisOptions options, String password) {
        int timeout = (int) options.timeout().toMillis();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .database(location.database())
                .clientName("ruc-cache")
                // CLIENT SETINFO costs a command per connection and fails on servers before 7.2.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        if (location.user() != null) {
            config.user(location.user());
        }
        if (password != null) {
            config.password(password);
        }
        if (location.tls()) {
            // FULL: the certificate must chain to a CA Java trusts and name the host, as for HTTPS; a TLS connection
            // to whoever answers would be no protection.
            config.sslOptions(SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setMaxIdle(MAX_CONNECTIONS);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(options.timeout());
        // No evictor thread and no JMX registration: a short command would pay for both at start-up.
        pool.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        pool.setTestWhileIdle(false);
        pool.setJmxEnabled(false);
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(location.host(), location.port()))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    /** Refuses a prefix written by a newer layout or by someone else; marks a new prefix as ours. */
    private void checkLayout() {
        Response<String> version;
        Response<Set<String>> registered;
        try (AbstractPipeline pipe = client.pipelined()) {
            version = pipe.hget(keys.meta(), "layout");
            registered = pipe.smembers(keys.providers());
            pipe.sync();
        }
        String found = version.get();
        if (found == null) {
            // A read-only replica cannot take the marker; it can still serve reads of a prefix written elsewhere.
            client.hsetnx(keys.meta(), "layout", String.valueOf(LAYOUT_VERSION));
            found = client.hget(keys.meta(), "layout");
        }
        int layout = layoutVersion(found);
        if (layout > LAYOUT_VERSION) {
            throw new StoreException(String.format(java.util.Locale.ROOT,
                    "the keys under %s at %s were written by a newer ruc-cache (layout version %d; this version "
                            + "reads version %d); they were left untouched: upgrade ruc-cache or use another prefix "
                            + "(RUC_CACHE_REDIS_PREFIX)", keys.prefix(), location.display(), layout, LAYOUT_VERSION));
        }
        if (layout < LAYOUT_VERSION) {
            throw notOurs();
        }
        learnProviders(registered.get());
    }

    /** Returns the layout version in the marker, or 0 when the marker is not one of ours. */
    private static int layoutVersion(String text) {
        if (text == null || !text.matches("[0-9]{1,9}")) {
            return 0;
        }
        return Integer.parseInt(text);
    }

    private StoreException notOurs() {
        return new StoreException("the key " + keys.meta() + " at " + location.display() + " is not a ruc-cache "
                + "marker; another application may use the prefix " + keys.prefix() + ": choose another one "
                + "(RUC_CACHE_REDIS_PREFIX)");
    }

    @Override
    public String location() {
        return location.display() + " (prefix " + keys.prefix() + ")";
    }

    /** Returns the server's address without password. */
    public RedisLocation server() {
        return location;
    }

    /** Returns the options this store runs with. */
    public RedisOptions options() {
        return options;
    }

    @Override
    public List<CacheEntry> find(String ruc) {
        Objects.requireNonNull(ruc, "ruc");
        return redis(() -> {
            List<String> known = providers;
            Response<Set<String>> registered;
            Response<List<byte[]>> values = null;
            try (AbstractPipeline pipe = client.pipelined()) {
                // The set comes back with the values: a provider another process added is noticed in the same trip.
                registered = pipe.smembers(keys.providers());
                if (!known.isEmpty()) {
                    values = pipe.mget(entryKeys(known, List.of(ruc)));
                }
                pipe.sync();
            }
            List<CacheEntry> found = new ArrayList<>(2);
            if (values != null) {
                decodeInto(known, List.of(ruc), values.get(), (r, e) -> found.add(e));
            }
            List<String> added = learnProviders(registered.get());
            if (!added.isEmpty()) {
                decodeInto(added, List.of(ruc), client.mget(entryKeys(added, List.of(ruc))), (r, e) -> found.add(e));
            }
            return found;
        });
    }

    @Override
    public Map<String, List<CacheEntry>> findAll(Collection<String> rucs) {
        Set<String> distinct = StoreArguments.distinctRucs(rucs);
        if (distinct.isEmpty()) {
            return new HashMap<>();
        }
        return redis(() -> {
            List<String> known = refreshProviders();
            Map<String, List<CacheEntry>> found = new HashMap<>(distinct.size() * 4 / 3 + 1);
            readInBatches(known, new ArrayList<>(distinct), (ruc, entry) ->
                    found.computeIfAbsent(ruc, r -> new ArrayList<>(2)).add(entry));
            return found;
        });
    }

    @Override
    public void put(CacheEntry entry) {
        putAll(List.of(entry));
    }

    /** Stores every entry in one MULTI/EXEC transaction: all of them or, when Redis refuses one, none. */
    @Override
    public void putAll(Collection<CacheEntry> entries) {
        List<CacheEntry> copy = List.copyOf(entries);
        if (copy.isEmpty()) {
            return;
        }
        copy.forEach(RedisStore::checkStorable);
        redis(() -> {
            write(copy);
            return null;
        });
    }

    private void write(List<CacheEntry> entries) {
        Set<String> newProviders = new TreeSet<>();
        for (CacheEntry e : entries) {
            newProviders.add(e.provider());
        }
        long now = clock.millis();
        try (AbstractTransaction tx = client.multi()) {
            // The provider is registered before its answer, in the same transaction: no answer is ever unlisted.
            tx.sadd(keys.providers(), newProviders.toArray(new String[0]));
            for (CacheEntry e : entries) {
                byte[] key = keys.entryBytes(e.provider(), e.ruc());
                long retention = retentionMillis(e, now);
                if (retention > 0) {
                    tx.set(key, EntryCodec.encode(e), SetParams.setParams().px(retention));
                } else {
                    // Past its grace period already: the put leaves no entry, as Redis would a moment later.
                    tx.unlink(key);
                }
            }
            checkResults(tx.exec());
        }
        learnProviders(newProviders);
    }

    /**
     * Returns how many milliseconds from {@code now} Redis keeps {@code entry}: until it expires plus the grace
     * period. Computed from the caller's clock rather than as an absolute PEXPIREAT, so that a client clock a few
     * seconds off the server's shifts nothing but those seconds.
     */
    long retentionMillis(CacheEntry entry, long now) {
        long until = saturatedAdd(EntryCodec.millis(entry.expiresAt()), options.grace().toMillis());
        long retention = saturatedAdd(until, -now);
        return Math.min(retention, MAX_RETENTION_MILLIS);
    }

    @Override
    public List<CacheEntry> list(Selection selection, int limit) {
        if (StoreArguments.listsNothing(selection, limit)) {
            return List.of();
        }
        Set<String> rucs = selection.rucs();
        return redis(() -> {
            // The oldest of the newest kept so far is at the head, ready to make room.
            PriorityQueue<CacheEntry> newest = new PriorityQueue<>(Math.min(limit, 1_024) + 1,
                    NEWEST_FIRST.reversed());
            EntrySink keep = (ruc, entry) -> {
                if (selection.matches(entry)) {
                    newest.add(entry);
                    if (newest.size() > limit) {
                        newest.poll();
                    }
                }
            };
            if (rucs != null) {
                readInBatches(providersFor(selection), new ArrayList<>(rucs), keep);
            } else {
                scan(selection.provider(), true, (page, values, pipe) -> {
                    for (int i = 0; i < page.size(); i++) {
                        CacheEntry entry = decode(page.get(i), values.get(i));
                        if (entry != null) {
                            keep.accept(entry.ruc(), entry);
                        }
                    }
                });
            }
            List<CacheEntry> listed = new ArrayList<>(newest);
            listed.sort(NEWEST_FIRST);
            return listed;
        });
    }

    @Override
    public long remove(Selection selection) {
        if (StoreArguments.selectsNoRuc(selection)) {
            return 0;
        }
        Set<String> rucs = selection.rucs();
        boolean byValue = selection.status() != null || selection.reason() != null
                || selection.expiredAt() != null;
        return redis(() -> {
            List<Response<?>> removals = new ArrayList<>();
            if (rucs != null) {
                List<String> candidates = providersFor(selection);
                if (!candidates.isEmpty()) {
                    removeKnownKeys(candidates, new ArrayList<>(rucs), selection, byValue, removals);
                }
            } else {
                scan(selection.provider(), byValue, (page, values, pipe) ->
                        queueRemoval(page, values, selection, byValue, pipe, removals));
            }
            long removed = 0;
            for (Response<?> r : removals) {
                removed += (Long) r.get();
            }
            return removed;
        });
    }

    /** Removes the selected entries among the keys of {@code rucs} and {@code candidates}, batch by batch. */
    private void removeKnownKeys(List<String> candidates, List<String> rucs, Selection selection, boolean byValue,
            List<Response<?>> removals) {
        try (AbstractPipeline pipe = client.pipelined()) {
            for (int from = 0; from < rucs.size(); from += READ_BATCH) {
                List<String> batch = rucs.subList(from, Math.min(rucs.size(), from + READ_BATCH));
                List<RedisKeys.Parsed> page = new ArrayList<>(batch.size() * candidates.size());
                for (String ruc : batch) {
                    for (String provider : candidates) {
                        page.add(new RedisKeys.Parsed(provider, ruc));
                    }
                }
                List<byte[]> values = null;
                if (byValue) {
                    Response<List<byte[]>> read = pipe.mget(bytesOf(page));
                    pipe.sync();
                    values = read.get();
                }
                queueRemoval(page, values, selection, byValue, pipe, removals);
            }
            pipe.sync();
        }
    }

    /**
     * Queues the deletion of the selected keys of {@code page}: plainly when the selection is by key only, else
     * only where the key still holds the value that matched.
     */
    private void queueRemoval(List<RedisKeys.Parsed> page, List<byte[]> values, Selection selection,
            boolean byValue, AbstractPipeline pipe, List<Response<?>> removals) {
        List<byte[]> doomed = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            RedisKeys.Parsed key = page.get(i);
            if (byValue) {
                CacheEntry entry = decode(key, values.get(i));
                if (entry == null || !selection.matches(entry)) {
                    continue;
                }
                expected.add(values.get(i));
            }
            doomed.add(keys.entryBytes(key.provider(), key.ruc()));
        }
        if (doomed.isEmpty()) {
            return;
        }
        removals.add(byValue ? pipe.eval(DELETE_IF_UNCHANGED, doomed, expected)
                : pipe.unlink(doomed.toArray(new byte[0][])));
    }

    @Override
    public StoreSummary summarize(Instant now) {
        Objects.requireNonNull(now, "now");
        return redis(() -> {
            long[] counts = new long[3];
            Map<String, Long> invalidByReason = new HashMap<>();
            Map<String, Long> validByEstado = new HashMap<>();
            Map<String, Long> validByCondicion = new HashMap<>();
            Map<String, Long> byProvider = new HashMap<>();
            scan(null, true, (page, values, pipe) -> {
                for (int i = 0; i < page.size(); i++) {
                    CacheEntry e = decode(page.get(i), values.get(i));
                    if (e == null) {
                        continue;
                    }
                    byProvider.merge(e.provider(), 1L, Long::sum);
                    if (e.isExpired(now)) {
                        counts[2]++;
                    } else if (e.status() == Status.VALID) {
                        counts[0]++;
                        validByEstado.merge(StoreSummary.label(e.record().estado()), 1L, Long::sum);
                        validByCondicion.merge(StoreSummary.label(e.record().condicion()), 1L, Long::sum);
                    } else {
                        counts[1]++;
                        invalidByReason.merge(e.reason().name(), 1L, Long::sum);
                    }
                }
            });
            return new StoreSummary(counts[0], counts[1], counts[2], invalidByReason, validByEstado,
                    validByCondicion, byProvider);
        });
    }

    /** Adds every delta in one transaction, so that a failed flush adds nothing and can be retried whole. */
    @Override
    public void addToCounters(Map<String, Long> deltas) {
        Map<String, Long> copy = StoreArguments.counterDeltas(deltas);
        if (copy.isEmpty()) {
            return;
        }
        redis(() -> {
            try (AbstractTransaction tx = client.multi()) {
                copy.forEach((name, delta) -> tx.hincrBy(keys.counters(), name, delta));
                checkResults(tx.exec());
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> counters() {
        return redis(() -> {
            Map<String, Long> counters = new TreeMap<>();
            for (Map.Entry<String, String> e : client.hgetAll(keys.counters()).entrySet()) {
                try {
                    counters.put(e.getKey(), Long.parseLong(e.getValue()));
                } catch (NumberFormatException notANumber) {
                    throw new StoreException("the counter " + e.getKey() + " in " + keys.counters() + " at "
                            + location.display() + " is not a number; another application may use the prefix "
                            + keys.prefix() + ": choose another one (RUC_CACHE_REDIS_PREFIX)");
                }
            }
            return java.util.Collections.unmodifiableMap(counters);
        });
    }

    /** Returns nothing: Redis cannot tell cheaply how much memory one prefix takes on a shared server. */
    @Override
    public OptionalLong sizeBytes() {
        return OptionalLong.empty();
    }

    /**
     * Returns {@code store.connection}, {@code store.roundtrip}, {@code store.integrity}, {@code store.memory}
     * (whether the eviction policy could drop what ruc-cache cannot rebuild) and {@code store.latency}.
     */
    @Override
    public List<HealthCheck> checkHealth() {
        return new RedisHealth(this).run();
    }

    /**
     * Returns the single-flight that makes the processes using this Redis ask the providers about a RUC once between
     * them; created on first use, closed with the store.
     */
    @Override
    public SingleFlight singleFlight() {
        synchronized (sharedLock) {
            if (singleFlight == null) {
                singleFlight = new RedisSingleFlight(this, RedisSingleFlight.leaseFor(options));
            }
            return singleFlight;
        }
    }

    /**
     * Returns the request-rate buckets that every process using this Redis shares; the first call reads the server's
     * clock, which times the buckets' refills.
     *
     * @throws StoreException when the server cannot be reached
     */
    public SharedRateLimits rateLimits() {
        synchronized (sharedLock) {
            if (rateLimits == null) {
                rateLimits = new SharedRateLimits(this, System::nanoTime);
            }
            return rateLimits;
        }
    }

    /** Returns the bucket of {@code provider} in Redis, shared by every process using this store. */
    @Override
    public Bucket sharedRateBucket(String provider, BucketConfiguration configuration) {
        return rateLimits().bucket(provider, configuration);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        RedisSingleFlight flights;
        synchronized (sharedLock) {
            flights = singleFlight;
        }
        if (flights != null) {
            // Before the client closes: it releases the claims this process still holds.
            flights.close();
        }
        closed = true;
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // Closing sockets to a server that is gone can fail; nothing is pending, so nothing is lost.
        }
    }

    // ---- for the health checks and the shared structures of this package (rate limits, single-flight) -------

    /** Returns the pooled client, for other shared structures kept in this Redis. */
    UnifiedJedis client() {
        return client;
    }

    /** Returns the key layout under the prefix. */
    RedisKeys keys() {
        return keys;
    }

    /** Returns the translator of failures into StoreExceptions for this server. */
    RedisFailure failure() {
        return failure;
    }

    /** Returns the time source. */
    Clock clock() {
        return clock;
    }

    /** Returns the entry stored as {@code value} under {@code key}, null when there is none or it is unreadable. */
    CacheEntry decodeOrNull(RedisKeys.Parsed key, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return EntryCodec.decode(key.ruc(), key.provider(), value);
        } catch (EntryCodec.UnreadableValueException e) {
            return null;
        }
    }

    /** Runs {@code work} on the open store; Redis failures become StoreExceptions. */
    <T> T redis(Work<T> work) {
        if (closed) {
            throw new IllegalStateException("the store " + location.display() + " is closed");
        }
        try {
            return work.run();
        } catch (StoreException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure.translate(e);
        }
    }

    // ---- reading many keys ------------------------------------------------------------------------------------

    /** Reads the keys of every RUC of {@code rucs} for every provider of {@code candidates}, pipelined in batches. */
    private void readInBatches(List<String> candidates, List<String> rucs, EntrySink sink) {
        if (candidates.isEmpty()) {
            return;
        }
        int perBatch = Math.max(1, READ_BATCH / candidates.size());
        try (AbstractPipeline pipe = client.pipelined()) {
            List<List<String>> batches = new ArrayList<>(READS_IN_FLIGHT);
            List<Response<List<byte[]>>> replies = new ArrayList<>(READS_IN_FLIGHT);
            for (int from = 0; from < rucs.size(); from += perBatch) {
                List<String> batch = rucs.subList(from, Math.min(rucs.size(), from + perBatch));
                batches.add(batch);
                replies.add(pipe.mget(entryKeys(candidates, batch)));
                if (replies.size() == READS_IN_FLIGHT) {
                    pipe.sync();
                    drain(candidates, batches, replies, sink);
                }
            }
            pipe.sync();
            drain(candidates, batches, replies, sink);
        }
    }

    private void drain(List<String> candidates, List<List<String>> batches, List<Response<List<byte[]>>> replies,
            EntrySink sink) {
        for (int i = 0; i < replies.size(); i++) {
            decodeInto(candidates, batches.get(i), replies.get(i).get(), sink);
        }
        batches.clear();
        replies.clear();
    }

    /** Returns the keys of {@code rucs} (outer) by {@code candidates} (inner), in the order decodeInto reads them. */
    private byte[][] entryKeys(List<String> candidates, List<String> rucs) {
        byte[][] out = new byte[rucs.size() * candidates.size()][];
        int i = 0;
        for (String ruc : rucs) {
            for (String provider : candidates) {
                out[i++] = keys.entryBytes(provider, ruc);
            }
        }
        return out;
    }

    private void decodeInto(List<String> candidates, List<String> rucs, List<byte[]> values, EntrySink sink) {
        int n = candidates.size();
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i);
            if (value != null) {
                String ruc = rucs.get(i / n);
                sink.accept(ruc, decode(new RedisKeys.Parsed(candidates.get(i % n), ruc), value));
            }
        }
    }

    /**
     * Walks the answers' keys with SCAN (of one provider, or all), handing each page to {@code handler} with its
     * values when {@code withValues}. The MGET of one page and the SCAN for the next travel together, so a page
     * costs one round trip; whatever the handler queues on the pipeline goes with the next one.
     */
    private void scan(String provider, boolean withValues, PageHandler handler) {
        ScanParams params = new ScanParams().match(keys.entryPattern(provider)).count(SCAN_COUNT);
        try (AbstractPipeline pipe = client.pipelined()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            List<RedisKeys.Parsed> pending = List.of();
            do {
                Response<ScanResult<String>> next = pipe.scan(cursor, params);
                Response<List<byte[]>> values = withValues && !pending.isEmpty() ? pipe.mget(bytesOf(pending))
                        : null;
                pipe.sync();
                if (!pending.isEmpty()) {
                    handler.page(pending, values == null ? null : values.get(), pipe);
                }
                ScanResult<String> result = next.get();
                cursor = result.getCursor();
                pending = parseAll(result.getResult());
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            if (!pending.isEmpty()) {
                Response<List<byte[]>> values = withValues ? pipe.mget(bytesOf(pending)) : null;
                pipe.sync();
                handler.page(pending, values == null ? null : values.get(), pipe);
            }
            pipe.sync();
        }
    }

    private List<RedisKeys.Parsed> parseAll(List<String> found) {
        List<RedisKeys.Parsed> parsed = new ArrayList<>(found.size());
        for (String key : found) {
            RedisKeys.Parsed p = keys.parse(key);
            if (p != null) {
                parsed.add(p);
            }
        }
        return parsed;
    }

    private byte[][] bytesOf(List<RedisKeys.Parsed> page) {
        byte[][] out = new byte[page.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = keys.entryBytes(page.get(i).provider(), page.get(i).ruc());
        }
        return out;
    }

    /** Returns the entry stored as {@code value}, null when the key vanished; throws for an unreadable value. */
    private CacheEntry decode(RedisKeys.Parsed key, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return EntryCodec.decode(key.ruc(), key.provider(), value);
        } catch (EntryCodec.UnreadableValueException e) {
            throw new StoreException("the answer " + keys.entry(key.provider(), key.ruc()) + " at "
                    + location.display() + " cannot be read (" + e.getMessage() + "); upgrade ruc-cache, or "
                    + "remove it: ruc-cache clear --ruc " + key.ruc(), e);
        }
    }

    // ---- providers ----------------------------------------------------------------------------------------------

    /** Returns the providers whose keys a selection can touch: its own, or every one known. */
    private List<String> providersFor(Selection selection) {
        List<String> known = refreshProviders();
        if (selection.provider() == null) {
            return known;
        }
        // A provider nobody has stored under may still be asked for; its keys simply do not exist.
        return RedisKeys.providerProblem(selection.provider()) == null ? List.of(selection.provider()) : List.of();
    }

    /** Reads the set of providers from the server and returns every provider known. */
    private List<String> refreshProviders() {
        learnProviders(client.smembers(keys.providers()));
        return providers;
    }

    /** Adds {@code registered} to the known providers; returns those that were new. */
    private synchronized List<String> learnProviders(Collection<String> registered) {
        List<String> added = new ArrayList<>();
        for (String p : registered) {
            if (!providers.contains(p) && RedisKeys.providerProblem(p) == null
                    && !p.equals(RedisKeys.HEALTH_PROVIDER)) {
                added.add(p);
            }
        }
        if (!added.isEmpty()) {
            TreeSet<String> all = new TreeSet<>(providers);
            all.addAll(added);
            providers = List.copyOf(all);
        }
        return added;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void checkStorable(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (entry.provider().equals(RedisKeys.HEALTH_PROVIDER)) {
            throw new IllegalArgumentException("reserved provider name: " + entry.provider());
        }
        String problem = RedisKeys.providerProblem(entry.provider());
        if (problem == null) {
            problem = RedisKeys.rucProblem(entry.ruc());
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Throws the first error among the replies of a transaction (a command can fail while the others apply). */
    private static void checkResults(List<Object> results) {
        if (results == null) {
            throw new JedisDataException("EXECABORT the transaction was discarded");
        }
        for (Object r : results) {
            if (r instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow happened when both operands have the sign the sum lacks.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }


    /** Receives decoded entries with their RUC. */
    @FunctionalInterface
    private interface EntrySink {
        void accept(String ruc, CacheEntry entry);
    }

    /** Receives one page of a SCAN with its values (null when not asked for). */
    @FunctionalInterface
    private interface PageHandler {
        void page(List<RedisKeys.Parsed> keys, List<byte[]> values, AbstractPipeline pipe);
    }

    /** A piece of work against the server. */
    @FunctionalInterface
    interface Work<T> {
        T run();
    }
}
