package pe.ruccache.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.sqlite.SqliteStore;
import pe.ruccache.core.ConfigException;

/** Opens the store a {@code --store} value names: a SQLite file path ({@code sqlite:} or {@code file:} optional). */
public final class StoreFactory {

    private StoreFactory() {
    }

    /** Opens the store named by {@code spec}, waiting up to {@code lockTimeout} for other processes. */
    public static Store open(String spec, Duration lockTimeout, Path userHome) {
        return SqliteStore.open(sqlitePath(spec, userHome), lockTimeout);
    }

    /** Returns the SQLite file that {@code spec} names; throws ConfigException for an unsupported scheme. */
    static Path sqlitePath(String spec, Path userHome) {
        String s = spec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
            throw new ConfigException("the Redis store is not available in this version of ruc-cache; "
                    + "use a SQLite file path for --store");
        }
        if (lower.startsWith("sqlite:")) {
            s = s.substring("sqlite:".length());
        } else if (lower.startsWith("file:")) {
            s = s.substring("file:".length());
            if (s.startsWith("//")) {
                s = s.substring(2);
            }
        } else if (s.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new ConfigException("unsupported store '" + spec + "'; use a file path (or sqlite:PATH)");
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
