package pe.ruccache.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Status;

/**
 * Definitive answers kept in memory for a short while in front of the store, for a long-running process (the
 * server): each for at most the memory's time to live, and never past the answer's own expiry. Safe for use by
 * several threads.
 */
public final class RecentAnswers {

    private final Cache<String, Outcome> memory;

    /**
     * Creates the memory.
     *
     * @param ttl the longest an answer is kept; zero keeps none
     * @param maxEntries the most answers kept
     * @param clock the time source the answers' expiry is measured by
     */
    public RecentAnswers(Duration ttl, int maxEntries, Clock clock) {
        long ttlNanos = ttl.toNanos();
        this.memory = Caffeine.newBuilder()
                .maximumSize(ttl.isZero() ? 0 : maxEntries)
                .expireAfter(new Expiry<String, Outcome>() {
                    @Override
                    public long expireAfterCreate(String key, Outcome value, long currentTime) {
                        long left = Duration.between(clock.instant(), value.expiresAt()).toNanos();
                        return Math.max(0, Math.min(ttlNanos, left));
                    }

                    @Override
                    public long expireAfterUpdate(String key, Outcome value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Outcome value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /** Returns the answer kept for {@code ruc}, or null. */
    public Outcome get(String ruc) {
        return memory.getIfPresent(ruc);
    }

    /**
     * Keeps {@code answer} when it is definitive (VALID or INVALID, not stale, with an expiry), as the store would
     * give it back: from the cache, naming its provider.
     */
    public void offer(Outcome answer) {
        if (answer.status() == Status.ERROR || answer.stale() || answer.expiresAt() == null
                || answer.fetchedAt() == null) {
            return;
        }
        memory.put(answer.ruc(), Outcome.SOURCE_CACHE.equals(answer.source()) ? answer
                : new Outcome(null, answer.ruc(), answer.status(), answer.reason(), answer.detail(), answer.record(),
                        Outcome.SOURCE_CACHE, answer.provider(), answer.fetchedAt(), answer.expiresAt(), false));
    }

    /** Forgets every answer. */
    public void clear() {
        memory.invalidateAll();
    }
}
