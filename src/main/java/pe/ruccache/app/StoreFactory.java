package pe.ruccache.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.redis.RedisLocation;
import pe.ruccache.cache.redis.RedisOptions;
import pe.ruccache.cache.redis.RedisStore;
import pe.ruccache.cache.sqlite.PrivateFile;
import pe.ruccache.cache.sqlite.SqliteStore;
import pe.ruccache.core.ConfigException;

/**
 * Opens the store a {@code --store} value names: a SQLite file path ({@code sqlite:} or {@code file:} optional), or
 * a Redis server ({@code redis://} or {@code rediss://}).
 */
public final class StoreFactory {

    private StoreFactory() {
    }

    /** Opens the store named by {@code spec}, waiting up to {@code lockTimeout} for other processes. */
    public static Store open(String spec, Duration lockTimeout, Path userHome) {
        return open(spec, lockTimeout, RedisOptions.defaults(), Clock.systemUTC(), userHome);
    }

    /**
     * Opens the store named by {@code spec}: a SQLite file, waiting up to {@code lockTimeout} for other processes,
     * or a Redis server used with {@code redis}, keeping answers by {@code clock}.
     */
    public static Store open(String spec, Duration lockTimeout, RedisOptions redis, Clock clock, Path userHome) {
        return open(spec, lockTimeout, redis, clock, userHome, true);
    }

    /**
     * Opens the store named by {@code spec} as {@link #open(String, Duration, RedisOptions, Clock, Path)} does; without
     * {@code create}, a SQLite file that does not exist is a MissingStoreException and nothing is created (a Redis
     * server always has a store).
     */
    public static Store open(String spec, Duration lockTimeout, RedisOptions redis, Clock clock, Path userHome,
            boolean create) {
        if (RedisLocation.isRedis(spec)) {
            return RedisStore.open(RedisLocation.parse(spec), redis, clock);
        }
        Path file = sqlitePath(spec, userHome);
        return create ? SqliteStore.open(file, lockTimeout) : SqliteStore.openExisting(file, lockTimeout);
    }

    /**
     * Returns the one-line message saying there is no store where {@code spec} points, or null when there is one (or
     * it is a Redis server); opens and creates nothing.
     */
    public static String missing(String spec, Path userHome) {
        if (RedisLocation.isRedis(spec)) {
            return null;
        }
        return PrivateFile.missing(sqlitePath(spec, userHome).toAbsolutePath().normalize());
    }

    /** Returns the SQLite file that {@code spec} names; throws ConfigException for an unsupported scheme. */
    static Path sqlitePath(String spec, Path userHome) {
        String s = spec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (RedisLocation.isRedis(s)) {
            throw new ConfigException("a Redis store has no file; use StoreFactory.open");
        }
        if (lower.startsWith("sqlite:")) {
            s = s.substring("sqlite:".length());
        } else if (lower.startsWith("file:")) {
            s = s.substring("file:".length());
            if (s.startsWith("//")) {
                s = s.substring(2);
            }
        } else if (s.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigException("unsupported store '" + spec.replaceAll("//[^/@]*@", "//***@")
                    + "'; use a file path (or sqlite:PATH), redis://host:port or rediss://host:port");
        }
        if (s.isEmpty()) {
            throw new ConfigException("empty store path");
        }
        if (s.equals("~") || s.startsWith("~/")) {
            return userHome.resolve(s.substring(Math.min(2, s.length())));
        }
        return Path.of(s);
    }
}
