package pe.ruccache.cache.redis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreContract;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;
import pe.ruccache.testing.RedisServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * Runs the store contract against a real redis-server started for this class, plus what only Redis can get wrong:
 * passwords, unreachable or stopped servers, memory limits and eviction policies, TTLs, SCAN paging and prefixes.
 */
class RedisStoreTest extends StoreContract {

    /**
     * The contract's fixtures are dated 2025 and some expired a month before that; Redis must still hold them, so
     * the contract runs with a clock at the fixtures' NOW and a grace period longer than their age.
     */
    private static final Clock CONTRACT_CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final RedisOptions CONTRACT_OPTIONS = RedisOptions.defaults().withGrace(Duration.ofDays(3650));
    private static final String PASSWORD = "s3cret-Pässword 42";

    @TempDir
    static Path dir;

    private static RedisServer server;

    @BeforeAll
    static void startServer() {
        server = RedisServer.start(dir.resolve("main"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Store newStore() {
        server.flushAll();
        resetServerConfig();
        return RedisStore.open(location(server), CONTRACT_OPTIONS, CONTRACT_CLOCK);
    }

    private static RedisLocation location(RedisServer s) {
        return RedisLocation.parse(s.uri());
    }

    private static void resetServerConfig() {
        try (Jedis admin = server.admin()) {
            admin.configSet("maxmemory", "0");
            admin.configSet("maxmemory-policy", "noeviction");
        }
    }

    // ---- layout, TTLs and grace ---------------------------------------------------------------------------------

    @Test
    void put_keyFollowsTheDesignLayout() {
        store.put(valid("20100038146", "migo", NOW));

        try (Jedis admin = server.admin()) {
            assertTrue(admin.exists("ruc-cache:migo:ruc:20100038146"));
            assertEquals(Set.of("migo"), admin.smembers("ruc-cache:providers"));
            assertEquals("1", admin.hget("ruc-cache:meta", "layout"));
        }
    }

    @Test
    void put_keyLivesUntilExpiryPlusGrace() {
        Instant now = Instant.parse("2026-11-25T15:00:00Z");
        try (RedisStore redis = RedisStore.open(location(server), RedisOptions.defaults(),
                Clock.fixed(now, ZoneOffset.UTC)); Jedis admin = server.admin()) {
            redis.put(valid(ruc(1), "migo", now));

            long pttl = admin.pttl("ruc-cache:migo:ruc:" + ruc(1));
            // Fresh for 1 h, then kept 7 days more so it can be served stale.
            long expected = VALID_TTL.plus(RedisOptions.DEFAULT_GRACE).toMillis();
            assertTrue(pttl > VALID_TTL.toMillis(), "PTTL " + pttl);
            assertTrue(pttl <= expected && pttl > expected - 60_000, "PTTL " + pttl + ", expected about " + expected);
        }
    }

    @Test
    void put_expiredWithinGrace_isFoundCountedExpiredAndRemovable() {
        Instant now = Instant.parse("2026-11-25T15:00:00Z");
        try (RedisStore redis = RedisStore.open(location(server), RedisOptions.defaults(),
                Clock.fixed(now, ZoneOffset.UTC))) {
            CacheEntry stale = valid(ruc(1), "migo", now.minus(Duration.ofDays(3)));
            redis.put(stale);

            assertEquals(List.of(stale), redis.find(ruc(1)));
            assertEquals(1, redis.summarize(now).expired());
            assertEquals(1, redis.remove(Selection.expired(now)));
            assertEquals(List.of(), redis.find(ruc(1)));
        }
    }

    @Test
    void put_pastExpiryPlusGrace_leavesNoEntry() {
        Instant now = Instant.parse("2026-11-25T15:00:00Z");
        try (RedisStore redis = RedisStore.open(location(server), RedisOptions.defaults(),
                Clock.fixed(now, ZoneOffset.UTC))) {
            redis.put(valid(ruc(1), "migo", now));
            CacheEntry ancient = invalid(ruc(1), "migo", Reason.NOT_FOUND, now.minus(Duration.ofDays(9)));

            // Expired 8 days ago, past the 7-day grace: Redis would have dropped it; the put replaces and drops.
            redis.put(ancient);

            assertEquals(List.of(), redis.find(ruc(1)));
        }
    }

    @Test
    void put_zeroGrace_keyLivesUntilExpiryOnly() {
        Instant now = Instant.parse("2026-11-25T15:00:00Z");
        try (RedisStore redis = RedisStore.open(location(server), RedisOptions.defaults().withGrace(Duration.ZERO),
                Clock.fixed(now, ZoneOffset.UTC)); Jedis admin = server.admin()) {
            redis.put(invalid(ruc(1), "migo", Reason.NOT_FOUND, now));

            long pttl = admin.pttl("ruc-cache:migo:ruc:" + ruc(1));
            assertTrue(pttl <= INVALID_TTL.toMillis() && pttl > INVALID_TTL.toMillis() - 60_000, "PTTL " + pttl);
        }
    }

    @Test
    void put_expiryCenturiesAhead_stillGetsATtl() {
        // A TTL on every answer keeps volatile-* eviction policies and the memory check's reasoning true.
        CacheEntry forever = new CacheEntry(ruc(1), CacheEntry.MANUAL_PROVIDER, Status.INVALID, Reason.MANUAL,
                "para siempre", null, NOW, Instant.MAX);
        store.put(forever);

        try (Jedis admin = server.admin()) {
            assertTrue(admin.pttl("ruc-cache:manual:ruc:" + ruc(1)) > 0);
        }
        assertEquals(1, store.find(ruc(1)).size());
    }

    @Test
    void find_providerAddedByAnotherProcess_seenInTheSameCall() {
        try (RedisStore other = RedisStore.open(location(server), CONTRACT_OPTIONS, CONTRACT_CLOCK)) {
            // "sunat-x" is no provider this build knows: the providers set is what makes it findable.
            CacheEntry fromElsewhere = valid(ruc(1), "sunat-x", NOW);
            other.put(fromElsewhere);

            assertEquals(List.of(fromElsewhere), store.find(ruc(1)));
            assertEquals(Map.of(ruc(1), List.of(fromElsewhere)), store.findAll(List.of(ruc(1), ruc(2))));
        }
    }

    @Test
    void put_providerNameThatBreaksKeys_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.put(valid(ruc(1), "mi:go", NOW)));
        assertThrows(IllegalArgumentException.class, () -> store.put(valid(ruc(1), "mi*go", NOW)));
    }

    @Test
    void put_reservedHealthProvider_isRejected() {
        String ruc = ruc(1);
        CacheEntry sentinel = new CacheEntry(ruc, RedisKeys.HEALTH_PROVIDER, Status.VALID, null, null,
                new TaxpayerRecord(ruc, "X", null, null, null, null, null, null, null, null), NOW, NOW);

        assertThrows(IllegalArgumentException.class, () -> store.put(sentinel));
    }

    @Test
    void sentinelLeftByACrash_isInvisible() {
        store.put(valid(ruc(1), "migo", NOW));
        try (Jedis admin = server.admin()) {
            admin.set("ruc-cache:(health-check):ruc:" + ruc(1), "x");
        }

        assertEquals(1, store.find(ruc(1)).size());
        assertEquals(1, store.list(Selection.all(), 10).size());
        assertEquals(Map.of("migo", 1L), store.summarize(NOW).byProvider());
        assertEquals(1, store.remove(Selection.all()));
    }

    // ---- SCAN and prefixes --------------------------------------------------------------------------------------

    @Test
    void removeAndSummarize_manyKeys_walkSeveralScanPagesNeverKeys() {
        List<CacheEntry> entries = IntStream.range(0, 6_000)
                .mapToObj(i -> i % 2 == 0 ? valid(ruc(i), "migo", NOW.minus(Duration.ofHours(i % 4)))
                        : invalid(ruc(i), "decolecta", Reason.NOT_FOUND, NOW))
                .toList();
        for (int from = 0; from < entries.size(); from += 1_000) {
            store.putAll(entries.subList(from, from + 1_000));
        }
        try (Jedis admin = server.admin()) {
            admin.configResetStat();
        }

        assertEquals(6_000, store.summarize(NOW).total());
        long expired = entries.stream().filter(e -> e.isExpired(NOW)).count();
        assertEquals(expired, store.remove(Selection.expired(NOW)));
        assertEquals(3_000, store.remove(Selection.ofProvider("decolecta")));

        assertEquals(6_000 - expired - 3_000, store.summarize(NOW).total());
        try (Jedis admin = server.admin()) {
            String stats = admin.info("commandstats");
            // 6,000 keys at COUNT 1000 take several pages per walk.
            assertTrue(calls(stats, "scan") >= 3 * (6_000 / RedisStore.SCAN_COUNT), stats);
            assertEquals(0, calls(stats, "keys"), stats);
        }
    }

    @Test
    void conditionalDelete_keyRewrittenSinceRead_isKept() {
        // clear --expired reads, then deletes; a key another process rewrote in between must survive. This runs
        // the very script the store sends, with a value read before the rewrite.
        CacheEntry old = valid(ruc(1), "migo", NOW.minus(Duration.ofDays(2)));
        CacheEntry refreshed = valid(ruc(1), "migo", NOW);
        byte[] key = ("ruc-cache:migo:ruc:" + ruc(1)).getBytes(StandardCharsets.UTF_8);
        store.put(old);
        store.put(refreshed);
        UnifiedJedis client = ((RedisStore) store).client();

        Object stale = client.eval(RedisStore.DELETE_IF_UNCHANGED, List.of(key), List.of(EntryCodec.encode(old)));
        assertEquals(0L, stale);
        assertEquals(List.of(refreshed), store.find(ruc(1)));

        Object current = client.eval(RedisStore.DELETE_IF_UNCHANGED, List.of(key),
                List.of(EntryCodec.encode(refreshed)));
        assertEquals(1L, current);
        assertEquals(List.of(), store.find(ruc(1)));
    }

    @Test
    void twoPrefixesInOneRedis_doNotSeeEachOther() {
        // team-b's prefix starts with team-a's and a colon: its keys match team-a's SCAN pattern and must be ignored.
        try (RedisStore teamA = RedisStore.open(location(server), CONTRACT_OPTIONS.withPrefix("ruc-cache"),
                CONTRACT_CLOCK);
                RedisStore teamB = RedisStore.open(location(server), CONTRACT_OPTIONS.withPrefix("ruc-cache:team-b"),
                        CONTRACT_CLOCK)) {
            CacheEntry a = valid(ruc(1), "migo", NOW);
            CacheEntry b = invalid(ruc(1), "migo", Reason.NOT_FOUND, NOW);
            teamA.put(a);
            teamB.put(b);
            teamB.put(valid(ruc(2), "decolecta", NOW));
            teamA.addToCounters(Map.of("lookups", 1L));
            teamB.addToCounters(Map.of("lookups", 5L));

            assertEquals(List.of(a), teamA.find(ruc(1)));
            assertEquals(List.of(b), teamB.find(ruc(1)));
            assertEquals(1, teamA.summarize(NOW).total());
            assertEquals(List.of(a), teamA.list(Selection.all(), 10));
            assertEquals(Map.of("lookups", 1L), teamA.counters());
            assertEquals(1, teamA.remove(Selection.all()));
            assertEquals(2, teamB.summarize(NOW).total());
            assertEquals(Map.of("lookups", 5L), teamB.counters());
        }
    }

    // ---- layout marker and foreign data -------------------------------------------------------------------------

    @Test
    void open_prefixWrittenByANewerLayout_failsAndLeavesItUntouched() {
        try (Jedis admin = server.admin()) {
            admin.hset("newer:meta", "layout", "2");
            admin.set("newer:migo:ruc:" + ruc(1), "future");
        }

        StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(location(server),
                CONTRACT_OPTIONS.withPrefix("newer"), CONTRACT_CLOCK));

        assertTrue(e.getMessage().contains("newer ruc-cache (layout version 2"), e.getMessage());
        try (Jedis admin = server.admin()) {
            assertEquals("2", admin.hget("newer:meta", "layout"));
            assertEquals("future", admin.get("newer:migo:ruc:" + ruc(1)));
        }
    }

    @Test
    void open_prefixUsedByAnotherApplication_failsNamingThePrefix() {
        try (Jedis admin = server.admin()) {
            admin.set("sessions:meta", "{\"user\": 1}");
        }

        StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(location(server),
                CONTRACT_OPTIONS.withPrefix("sessions"), CONTRACT_CLOCK));

        assertTrue(e.getMessage().contains("another application"), e.getMessage());
        assertTrue(e.getMessage().contains("RUC_CACHE_REDIS_PREFIX"), e.getMessage());
    }

    @Test
    void find_unreadableValue_failsNamingTheKey_andHealthSaysCritical() {
        store.put(valid(ruc(1), "migo", NOW));
        try (Jedis admin = server.admin()) {
            admin.set("ruc-cache:migo:ruc:" + ruc(1), "not ours");
        }

        StoreException e = assertThrows(StoreException.class, () -> store.find(ruc(1)));

        assertTrue(e.getMessage().contains("ruc-cache:migo:ruc:" + ruc(1)), e.getMessage());
        assertEquals(HealthCheck.Level.CRITICAL, check(store.checkHealth(), "store.integrity").level());
    }

    @Test
    void checkHealth_providerMissingFromTheSet_integrityCritical() {
        store.put(valid(ruc(1), "migo", NOW));
        try (Jedis admin = server.admin()) {
            admin.del("ruc-cache:providers");
        }

        HealthCheck integrity = check(store.checkHealth(), "store.integrity");

        assertEquals(HealthCheck.Level.CRITICAL, integrity.level(), integrity.toString());
        assertTrue(integrity.detail().contains("SADD ruc-cache:providers migo"), integrity.detail());
    }

    // ---- memory ------------------------------------------------------------------------------------------------

    @Test
    void checkHealth_evictionPolicies_warnWhenMarksOrCountersCouldGo() {
        Map<String, HealthCheck.Level> expected = Map.of(
                "noeviction", HealthCheck.Level.OK,
                "volatile-ttl", HealthCheck.Level.OK,
                "volatile-lru", HealthCheck.Level.WARNING,
                "allkeys-lru", HealthCheck.Level.WARNING,
                "allkeys-random", HealthCheck.Level.WARNING);
        try (Jedis admin = server.admin()) {
            admin.configSet("maxmemory", "512mb");
            for (Map.Entry<String, HealthCheck.Level> policy : expected.entrySet()) {
                admin.configSet("maxmemory-policy", policy.getKey());

                HealthCheck memory = check(store.checkHealth(), "store.memory");

                assertEquals(policy.getValue(), memory.level(), memory.toString());
                assertTrue(memory.detail().contains(policy.getKey()), memory.detail());
            }
            admin.configSet("maxmemory-policy", "allkeys-lru");
            HealthCheck allKeys = check(store.checkHealth(), "store.memory");
            assertTrue(allKeys.detail().contains("counters"), allKeys.detail());
        } finally {
            resetServerConfig();
        }
    }

    @Test
    void writes_outOfMemoryWithNoeviction_failWithOneLineAndWriteNothing() {
        store.put(valid(ruc(1), "migo", NOW.minus(Duration.ofDays(2))));
        try (Jedis admin = server.admin()) {
            // One byte: whatever Redis itself uses is over the limit, so every write that needs memory is refused.
            admin.configSet("maxmemory", "1");
            admin.configSet("maxmemory-policy", "noeviction");

            StoreException e = assertThrows(StoreException.class, () -> store.put(valid(ruc(2), "migo", NOW)));
            assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
            assertTrue(e.getMessage().contains(server.uri()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());

            List<CacheEntry> batch = IntStream.range(10, 20).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList();
            assertThrows(StoreException.class, () -> store.putAll(batch));
            assertThrows(StoreException.class, () -> store.addToCounters(Map.of("lookups", 1L)));

            // Reading and clearing still work, so that the advice in the message can be followed.
            assertEquals(1, store.find(ruc(1)).size());
            assertEquals(1, store.remove(Selection.expired(NOW)));
        } finally {
            resetServerConfig();
        }
        assertEquals(Map.of(), store.findAll(IntStream.range(10, 20).mapToObj(StoreContract::ruc).toList()));
        assertEquals(Map.of(), store.counters());
    }

    // ---- passwords, unreachable, stopped, read-only, slow -----------------------------------------------------

    @Test
    void password_fromOptionsOrUri_connects_andWrongOrMissingFailsWithoutShowingIt() {
        try (RedisServer secured = RedisServer.start(dir.resolve("secured"), "--requirepass", PASSWORD)) {
            RedisLocation plain = location(secured);
            try (RedisStore viaOptions = RedisStore.open(plain, CONTRACT_OPTIONS.withPassword(PASSWORD),
                    CONTRACT_CLOCK)) {
                viaOptions.put(valid(ruc(1), "migo", NOW));
                assertFalse(viaOptions.location().contains(PASSWORD));
            }
            // The URI's password wins over the environment's.
            RedisLocation withPassword = RedisLocation.parse("redis://:" + PASSWORD.replace(" ", "%20")
                    .replace("ä", "%C3%A4") + "@127.0.0.1:" + secured.port());
            try (RedisStore viaUri = RedisStore.open(withPassword, CONTRACT_OPTIONS.withPassword("wrong"),
                    CONTRACT_CLOCK)) {
                assertEquals(1, viaUri.find(ruc(1)).size());
                assertEquals("redis://127.0.0.1:" + secured.port() + "/0 (prefix ruc-cache)", viaUri.location());
            }

            StoreException wrong = assertThrows(StoreException.class, () -> RedisStore.open(plain,
                    CONTRACT_OPTIONS.withPassword("not-" + PASSWORD), CONTRACT_CLOCK));
            assertTrue(wrong.getMessage().contains("WRONGPASS"), wrong.getMessage());
            assertFalse(wrong.getMessage().contains(PASSWORD), wrong.getMessage());

            StoreException missing = assertThrows(StoreException.class, () -> RedisStore.open(plain,
                    CONTRACT_OPTIONS, CONTRACT_CLOCK));
            assertTrue(missing.getMessage().contains("RUC_CACHE_REDIS_PASSWORD"), missing.getMessage());
            assertTrue(missing.getMessage().contains(plain.display()), missing.getMessage());
        }
    }

    @Test
    void nameWithoutColon_isAPassword_andTheErrorSaysHowToNameAUser() {
        // As redis-cli reads it, "ruc@" is a password; the server has none, so the error explains the colon.
        RedisLocation lone = RedisLocation.parse("redis://rucuser@127.0.0.1:" + server.port());
        StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(lone,
                CONTRACT_OPTIONS.withPassword(PASSWORD), CONTRACT_CLOCK));
        assertTrue(e.getMessage().contains("for an ACL user write redis://USER:@host"), e.getMessage());
        assertFalse(e.getMessage().contains("rucuser"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void aclUserWithTheReadmesRules_canDoEverything() {
        // The README's ACL line, verbatim: if the store starts using another command, this test says so.
        String rules = "~ruc-cache:* &ruc-cache:* -@all +@read +@write +@keyspace +@transaction +@scripting "
                + "+@connection +@pubsub -@dangerous +info +time";
        try (Jedis admin = server.admin()) {
            List<String> args = new java.util.ArrayList<>(List.of("on", ">" + PASSWORD));
            args.addAll(List.of(rules.split(" ")));
            admin.aclSetUser("ruc", args.toArray(new String[0]));
        }
        RedisLocation asRuc = RedisLocation.parse("redis://ruc:" + PASSWORD.replace(" ", "%20")
                .replace("ä", "%C3%A4") + "@127.0.0.1:" + server.port());
        try (RedisStore redis = RedisStore.open(asRuc, CONTRACT_OPTIONS, CONTRACT_CLOCK)) {
            redis.putAll(List.of(valid(ruc(1), "migo", NOW), invalid(ruc(2), "local", Reason.BAD_CHECK_DIGIT,
                    NOW.minus(Duration.ofDays(3)))));
            redis.addToCounters(Map.of("lookups", 2L));

            assertEquals(1, redis.find(ruc(1)).size());
            assertEquals(2, redis.findAll(List.of(ruc(1), ruc(2))).size());
            assertEquals(2, redis.list(Selection.all(), 10).size());
            assertEquals(2, redis.summarize(NOW).total());
            assertEquals(Map.of("lookups", 2L), redis.counters());
            assertEquals(1, redis.remove(Selection.expired(NOW)));
            assertEquals(1, redis.remove(Selection.ofRucs(List.of(ruc(1)))));
            List<HealthCheck> checks = redis.checkHealth();
            checks.forEach(c -> assertEquals(HealthCheck.Level.OK, c.level(), c.toString()));
            // What several processes share: claims, the wait for one (SUBSCRIBE) and its release (PUBLISH in a
            // script), and a rate-limit bucket timed by the server's clock (TIME).
            assertEquals(Set.of(ruc(3)), redis.singleFlight().claim(List.of(ruc(3))));
            try (RedisStore other = RedisStore.open(asRuc, CONTRACT_OPTIONS, CONTRACT_CLOCK)) {
                assertEquals(Set.of(), other.singleFlight().claim(List.of(ruc(3))));
                java.util.concurrent.CompletableFuture<Void> released = other.singleFlight()
                        .released(List.of(ruc(3))).get(ruc(3));
                redis.singleFlight().release(ruc(3));
                assertDoesNotThrow(() -> released.get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertTrue(redis.rateLimits().bucket("migo", io.github.bucket4j.BucketConfiguration.builder()
                    .addLimit(io.github.bucket4j.Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofSeconds(1))
                            .initialTokens(1).build())
                    .build()).tryConsume(1));
        } finally {
            try (Jedis admin = server.admin()) {
                admin.aclDelUser("ruc");
            }
        }
    }

    @Test
    void open_nothingListening_failsSayingConnectionRefused() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisLocation nowhere = RedisLocation.parse("redis://:hunter2-secret@127.0.0.1:" + port);

        StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(nowhere, CONTRACT_OPTIONS,
                CONTRACT_CLOCK));

        assertEquals("cannot connect to the Redis server at redis://127.0.0.1:" + port + "/0 (connection refused); "
                + "check that Redis runs there and that --store names the right host and port", e.getMessage());
    }

    @Test
    void open_serverThatNeverAnswers_failsAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    ignored.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // Closed by the test.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RedisLocation quiet = RedisLocation.parse("redis://127.0.0.1:" + silent.getLocalPort());

            StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(quiet,
                    CONTRACT_OPTIONS.withTimeout(Duration.ofMillis(300)), CONTRACT_CLOCK));

            assertTrue(e.getMessage().contains("did not answer within 300ms"), e.getMessage());
            assertTrue(e.getMessage().contains("RUC_CACHE_REDIS_TIMEOUT"), e.getMessage());
        }
    }

    @Test
    void open_readOnlyReplicaWithoutMarker_failsSayingUseThePrimary() throws IOException {
        int nowhere;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = probe.getLocalPort();
        }
        try (RedisServer replica = RedisServer.start(dir.resolve("replica"), "--replicaof", "127.0.0.1",
                String.valueOf(nowhere))) {
            StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(location(replica),
                    CONTRACT_OPTIONS, CONTRACT_CLOCK));

            assertTrue(e.getMessage().contains("read-only replica"), e.getMessage());
        }
    }

    @Test
    void serverKilledMidRun_failsWithOneLine_andNoAcknowledgedAnswerIsLost() {
        try (RedisServer durable = RedisServer.startDurable(dir.resolve("durable"))) {
            List<CacheEntry> stored = IntStream.range(0, 50).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList();
            try (RedisStore redis = RedisStore.open(location(durable), CONTRACT_OPTIONS, CONTRACT_CLOCK)) {
                stored.forEach(redis::put);
                redis.addToCounters(Map.of("lookups", 50L));

                durable.kill();

                StoreException e = assertThrows(StoreException.class,
                        () -> redis.put(valid(ruc(99), "migo", NOW)));
                assertTrue(e.getMessage().startsWith("the Redis server at " + durable.uri() + "/0 closed the "
                        + "connection") || e.getMessage().startsWith("cannot connect"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                List<HealthCheck> down = redis.checkHealth();
                assertEquals(5, down.size());
                down.forEach(c -> assertEquals(HealthCheck.Level.CRITICAL, c.level(), c.toString()));
            }
            durable.restart();
            try (RedisStore again = RedisStore.open(location(durable), CONTRACT_OPTIONS, CONTRACT_CLOCK)) {
                Map<String, List<CacheEntry>> found = again.findAll(stored.stream().map(CacheEntry::ruc).toList());
                assertEquals(50, found.size());
                assertEquals(Map.of("lookups", 50L), again.counters());
            }
        }
    }

    @Test
    void closedStore_refusesWorkAndHealthSaysCritical() {
        RedisStore redis = RedisStore.open(location(server), CONTRACT_OPTIONS, CONTRACT_CLOCK);
        redis.close();

        assertThrows(IllegalStateException.class, () -> redis.find(ruc(1)));
        redis.checkHealth().forEach(c -> assertEquals(HealthCheck.Level.CRITICAL, c.level(), c.toString()));
    }

    @Test
    void checkHealth_freshStore_reportsVersionPolicyAndLatency() {
        List<HealthCheck> checks = store.checkHealth();

        assertTrue(check(checks, "store.connection").detail().startsWith("Redis 7"), checks.toString());
        assertTrue(check(checks, "store.memory").detail().contains("noeviction"), checks.toString());
        assertTrue(check(checks, "store.latency").detail().contains("median"), checks.toString());
        try (Jedis admin = server.admin()) {
            // The sentinel is gone: only the marker and (once an answer is stored) the providers set remain.
            assertEquals(Set.of("ruc-cache:meta"), admin.keys("*"));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static HealthCheck check(List<HealthCheck> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError("no " + name + " in " + checks));
    }

    /** Returns how many times INFO commandstats says {@code command} was called. */
    private static long calls(String commandstats, String command) {
        return commandstats.lines().filter(l -> l.startsWith("cmdstat_" + command + ":"))
                .map(l -> l.replaceAll("^cmdstat_[^:]+:calls=([0-9]+),.*$", "$1")).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
    }
}
