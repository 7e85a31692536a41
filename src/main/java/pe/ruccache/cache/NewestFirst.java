package pe.ruccache.cache;

import java.util.Comparator;

/**
 * The order of {@link Store#list}: newest fetch first, then by RUC and provider. A class rather than a composed
 * lambda: built only when used, it costs nothing at start-up.
 */
public final class NewestFirst implements Comparator<CacheEntry> {

    @Override
    public int compare(CacheEntry a, CacheEntry b) {
        int byTime = b.fetchedAt().compareTo(a.fetchedAt());
        if (byTime != 0) {
            return byTime;
        }
        int byRuc = a.ruc().compareTo(b.ruc());
        return byRuc != 0 ? byRuc : a.provider().compareTo(b.provider());
    }
}
