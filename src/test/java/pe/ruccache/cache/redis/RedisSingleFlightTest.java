package pe.ruccache.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.core.StoreException;
import pe.ruccache.testing.RedisServer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Claims on one real redis-server taken by several stores, each standing for a process: who wins, how a waiter
 * learns of a release, what happens when a holder dies (its lease ends) or lives long (it renews), and Redis failing.
 */
class RedisSingleFlightTest {

    private static final String X = "20100038146";
    private static final String Y = "20131312955";
    private static final String Z = "20100047218";
    /** Far longer than any wait below should take: reaching it means the wake-up never came. */
    private static final long PATIENCE_SECONDS = 10;

    @TempDir
    static Path dir;

    private static RedisServer server;

    private final List<RedisStore> stores = new ArrayList<>();
    private final List<RedisSingleFlight> ownFlights = new ArrayList<>();

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

    @BeforeEach
    void clean() {
        server.flushAll();
    }

    @AfterEach
    void closeAll() {
        ownFlights.forEach(RedisSingleFlight::close);
        stores.forEach(RedisStore::close);
    }

    /** Opens a store on {@code s}, as one more process would. */
    private RedisStore process(RedisServer s) {
        RedisStore store = RedisStore.open(RedisLocation.parse(s.uri()), RedisOptions.defaults(), Clock.systemUTC());
        stores.add(store);
        return store;
    }

    private RedisSingleFlight flightsWithLease(RedisStore store, Duration lease) {
        RedisSingleFlight flights = new RedisSingleFlight(store, lease);
        ownFlights.add(flights);
        return flights;
    }

    private static void awaitDone(CompletableFuture<Void> future) throws Exception {
        future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void claim_firstProcessWins_otherWaitsUntilReleaseThenWins() throws Exception {
        RedisSingleFlight a = (RedisSingleFlight) process(server).singleFlight();
        RedisSingleFlight b = (RedisSingleFlight) process(server).singleFlight();

        assertEquals(Set.of(X), a.claim(List.of(X)));
        assertEquals(Set.of(), b.claim(List.of(X)));
        CompletableFuture<Void> released = b.released(List.of(X)).get(X);
        assertFalse(released.isDone());

        a.release(X);

        // Woken by the release's message, long before the 15 s lease would have ended.
        awaitDone(released);
        assertEquals(Set.of(X), b.claim(List.of(X)));
    }

    @Test
    void claim_severalRucsInOneCall_eachGoesToWhoeverAskedFirst() {
        RedisSingleFlight a = (RedisSingleFlight) process(server).singleFlight();
        RedisSingleFlight b = (RedisSingleFlight) process(server).singleFlight();

        assertEquals(Set.of(X, Y), a.claim(List.of(X, Y)));
        assertEquals(Set.of(Z), b.claim(List.of(Y, Z, Y)));

        try (Jedis admin = server.admin()) {
            long pttl = admin.pttl("ruc-cache:flight:" + Z);
            assertTrue(pttl > 0 && pttl <= RedisSingleFlight.MIN_LEASE.toMillis(), "PTTL " + pttl);
        }
    }

    @Test
    void holderDied_itsLeaseEnds_andAWaiterTakesOver() throws Exception {
        try (Jedis admin = server.admin()) {
            // A process that claimed X and was killed: nobody renews or releases its claim.
            admin.set("ruc-cache:flight:" + X, "killed-process", SetParams.setParams().px(300));
        }
        RedisSingleFlight b = (RedisSingleFlight) process(server).singleFlight();
        assertEquals(Set.of(), b.claim(List.of(X)));
        CompletableFuture<Void> released = b.released(List.of(X)).get(X);
        assertFalse(released.isDone());

        // No message comes; the poll sees the claim gone once its lease ends.
        awaitDone(released);

        assertEquals(Set.of(X), b.claim(List.of(X)));
    }

    @Test
    void holderAlive_renewsItsClaim_pastManyLeases() throws Exception {
        RedisSingleFlight a = flightsWithLease(process(server), Duration.ofMillis(300));
        RedisSingleFlight b = (RedisSingleFlight) process(server).singleFlight();
        assertEquals(Set.of(X), a.claim(List.of(X)));
        CompletableFuture<Void> released = b.released(List.of(X)).get(X);

        // Four of its leases later the holder, still working, still holds the claim.
        assertThrows(TimeoutException.class, () -> released.get(1_200, TimeUnit.MILLISECONDS));
        assertEquals(Set.of(), b.claim(List.of(X)));

        a.release(X);
        awaitDone(released);
    }

    @Test
    void release_afterTheClaimWasTakenOver_leavesTheNewHoldersClaim() {
        RedisSingleFlight a = (RedisSingleFlight) process(server).singleFlight();
        assertEquals(Set.of(X), a.claim(List.of(X)));
        try (Jedis admin = server.admin()) {
            // As if A had stalled past its lease and another process had claimed X since.
            admin.set("ruc-cache:flight:" + X, "another-process", SetParams.setParams().px(60_000));

            a.release(X);

            assertEquals("another-process", admin.get("ruc-cache:flight:" + X));
        }
    }

    @Test
    void close_releasesTheClaimsStillHeld_andWakesTheirWaiters() throws Exception {
        RedisStore first = process(server);
        RedisSingleFlight a = (RedisSingleFlight) first.singleFlight();
        RedisSingleFlight b = (RedisSingleFlight) process(server).singleFlight();
        assertEquals(Set.of(X, Y), a.claim(List.of(X, Y)));
        Map<String, CompletableFuture<Void>> released = b.released(List.of(X, Y));

        // A run that stopped early (--max-errors, an error) closes its store with claims it never used.
        first.close();

        awaitDone(released.get(X));
        awaitDone(released.get(Y));
        assertEquals(Set.of(X, Y), b.claim(List.of(X, Y)));
    }

    @Test
    void redisStopped_waitsAndClaimsFailWithStoreException() throws Exception {
        try (RedisServer own = RedisServer.start(dir.resolve("stopped"))) {
            RedisSingleFlight a = (RedisSingleFlight) process(own).singleFlight();
            RedisSingleFlight b = (RedisSingleFlight) process(own).singleFlight();
            assertEquals(Set.of(X), a.claim(List.of(X)));
            CompletableFuture<Void> released = b.released(List.of(X)).get(X);

            own.kill();

            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> released.get(PATIENCE_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(StoreException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(own.uri()), e.getCause().getMessage());
            StoreException claim = assertThrows(StoreException.class, () -> b.claim(List.of(Y)));
            assertFalse(claim.getMessage().contains("\n"), claim.getMessage());
        }
    }
}
