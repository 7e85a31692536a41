package pe.ruccache.cache.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import pe.ruccache.cache.Selection;

/**
 * The providers known to have stored answers under the prefix, mirrored from the server's providers set, so that
 * reading a RUC asks for exactly the keys that can exist. The list only grows; it is sorted.
 */
final class RedisProviders {

    private final RedisConnection connection;
    private final RedisKeys keys;
    private volatile List<String> known = List.of();

    RedisProviders(RedisConnection connection, RedisKeys keys) {
        this.connection = connection;
        this.keys = keys;
    }

    /** Returns the providers known so far, without asking the server. */
    List<String> known() {
        return known;
    }

    /** Reads the set of providers from the server and returns every provider known. */
    List<String> refresh() {
        learn(connection.client().smembers(keys.providers()));
        return known;
    }

    /** Returns the providers whose keys a selection can touch: its own, or every one known. */
    List<String> of(Selection selection) {
        List<String> all = refresh();
        if (selection.provider() == null) {
            return all;
        }
        // A provider nobody has stored under may still be asked for; its keys simply do not exist.
        return RedisKeys.providerProblem(selection.provider()) == null ? List.of(selection.provider()) : List.of();
    }

    /** Adds {@code registered} to the known providers; returns those that were new. */
    synchronized List<String> learn(Collection<String> registered) {
        List<String> added = new ArrayList<>();
        for (String p : registered) {
            if (!known.contains(p) && RedisKeys.providerProblem(p) == null
                    && !p.equals(RedisKeys.HEALTH_PROVIDER)) {
                added.add(p);
            }
        }
        if (!added.isEmpty()) {
            TreeSet<String> all = new TreeSet<>(known);
            all.addAll(added);
            known = List.copyOf(all);
        }
        return added;
    }
}
