package pe.ruccache.cache.redis;

import java.time.Duration;
import java.util.List;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The pooled connection of one store to its server: explicit timeouts, TLS that verifies the server, the user and
 * password, and a guard that runs work only while the store is open and turns Redis failures into one-line
 * {@link StoreException}s naming the server without its password (docs/DESIGN.md §5).
 */
final class RedisConnection {

    /**
     * How many connections one process may hold: each command or pipeline borrows one for a round trip or a batch,
     * so this covers bulk's concurrency with room to spare; more threads wait up to the timeout for one.
     */
    private static final int MAX_CONNECTIONS = 32;

    private final RedisLocation location;
    private final UnifiedJedis client;
    private final RedisFailure failure;
    private volatile boolean closed;

    private RedisConnection(RedisLocation location, UnifiedJedis client, RedisFailure failure) {
        this.location = location;
        this.client = client;
        this.failure = failure;
    }

    /**
     * Creates the pool for the server at {@code location}; connections are made when first borrowed. The password in
     * the URI wins over the one in {@code options}.
     */
    static RedisConnection open(RedisLocation location, RedisOptions options) {
        String password = location.password() != null ? location.password() : options.password();
        RedisFailure failure = new RedisFailure(location, options, password);
        return new RedisConnection(location, pool(location, options, password), failure);
    }

    private static UnifiedJedis pool(RedisLocation location, RedisOptions options, String password) {
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

    /** Returns the pooled client. */
    UnifiedJedis client() {
        return client;
    }

    /** Returns the translator of failures into StoreExceptions for this server. */
    RedisFailure failure() {
        return failure;
    }

    /** Returns the server's address without password. */
    RedisLocation location() {
        return location;
    }

    /** Runs {@code work} while open; Redis failures become StoreExceptions. */
    <T> T call(Work<T> work) {
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

    /** Returns whether {@link #close()} was called. */
    boolean isClosed() {
        return closed;
    }

    /** Refuses further work and closes the pool's sockets. */
    void close() {
        closed = true;
        try {
            client.close();
        } catch (RuntimeException ignored) {
            // Closing sockets to a server that is gone can fail; nothing is pending, so nothing is lost.
        }
    }

    /** Throws the first error among the replies of a transaction (a command can fail while the others apply). */
    static void checkResults(List<Object> results) {
        if (results == null) {
            throw new JedisDataException("EXECABORT the transaction was discarded");
        }
        for (Object r : results) {
            if (r instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    /** A piece of work against the server. */
    @FunctionalInterface
    interface Work<T> {
        T run();
    }
}
