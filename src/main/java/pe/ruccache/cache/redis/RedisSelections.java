package pe.ruccache.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.NewestFirst;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.StoreArguments;
import pe.ruccache.cache.StoreSummary;
import pe.ruccache.core.Status;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Lists, removes and summarizes the answers a {@link Selection} chooses: by key when it names RUCs, else with a
 * SCAN walk. A removal that depends on values (expired, by status or reason) deletes a key only if it still holds
 * the value that was read, so an answer another process refreshed meanwhile is never lost.
 */
final class RedisSelections {

    /** Deletes each key only if it still holds the value read before (KEYS[i] vs ARGV[i]); returns how many. */
    static final byte[] DELETE_IF_UNCHANGED = ("local n = 0\n"
            + "for i = 1, #KEYS do\n"
            + "  if redis.call('GET', KEYS[i]) == ARGV[i] then n = n + redis.call('UNLINK', KEYS[i]) end\n"
            + "end\n"
            + "return n\n").getBytes(StandardCharsets.UTF_8);

    private static final Comparator<CacheEntry> NEWEST_FIRST = new NewestFirst();

    private final RedisConnection connection;
    private final RedisKeys keys;
    private final RedisProviders providers;
    private final RedisReads reads;
    private final RedisScan scan;

    RedisSelections(RedisConnection connection, RedisKeys keys, RedisProviders providers, RedisReads reads,
            RedisScan scan) {
        this.connection = connection;
        this.keys = keys;
        this.providers = providers;
        this.reads = reads;
        this.scan = scan;
    }

    /** Returns at most {@code limit} selected answers, newest first. */
    List<CacheEntry> list(Selection selection, int limit) {
        if (StoreArguments.listsNothing(selection, limit)) {
            return List.of();
        }
        Set<String> rucs = selection.rucs();
        return connection.call(() -> {
            // The oldest of the newest kept so far is at the head, ready to make room.
            PriorityQueue<CacheEntry> newest = new PriorityQueue<>(Math.min(limit, 1_024) + 1,
                    NEWEST_FIRST.reversed());
            RedisReads.EntrySink keep = (ruc, entry) -> {
                if (selection.matches(entry)) {
                    newest.add(entry);
                    if (newest.size() > limit) {
                        newest.poll();
                    }
                }
            };
            if (rucs != null) {
                reads.readInBatches(providers.of(selection), new ArrayList<>(rucs), keep);
            } else {
                scan.walk(selection.provider(), true, (page, values, pipe) -> {
                    for (int i = 0; i < page.size(); i++) {
                        CacheEntry entry = reads.decode(page.get(i), values.get(i));
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

    /** Removes the selected answers; returns how many were removed. */
    long remove(Selection selection) {
        if (StoreArguments.selectsNoRuc(selection)) {
            return 0;
        }
        Set<String> rucs = selection.rucs();
        boolean byValue = selection.status() != null || selection.reason() != null
                || selection.expiredAt() != null;
        return connection.call(() -> {
            List<Response<?>> removals = new ArrayList<>();
            if (rucs != null) {
                List<String> candidates = providers.of(selection);
                if (!candidates.isEmpty()) {
                    removeKnownKeys(candidates, new ArrayList<>(rucs), selection, byValue, removals);
                }
            } else {
                scan.walk(selection.provider(), byValue, (page, values, pipe) ->
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
        try (AbstractPipeline pipe = connection.client().pipelined()) {
            for (int from = 0; from < rucs.size(); from += RedisReads.READ_BATCH) {
                List<String> batch = rucs.subList(from, Math.min(rucs.size(), from + RedisReads.READ_BATCH));
                List<RedisKeys.Parsed> page = new ArrayList<>(batch.size() * candidates.size());
                for (String ruc : batch) {
                    for (String provider : candidates) {
                        page.add(new RedisKeys.Parsed(provider, ruc));
                    }
                }
                List<byte[]> values = null;
                if (byValue) {
                    Response<List<byte[]>> read = pipe.mget(keys.entryBytes(page));
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
                CacheEntry entry = reads.decode(key, values.get(i));
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

    /** Counts every answer under the prefix, in one SCAN walk. */
    StoreSummary summarize(Instant now) {
        Objects.requireNonNull(now, "now");
        return connection.call(() -> {
            long[] counts = new long[3];
            Map<String, Long> invalidByReason = new HashMap<>();
            Map<String, Long> validByEstado = new HashMap<>();
            Map<String, Long> validByCondicion = new HashMap<>();
            Map<String, Long> byProvider = new HashMap<>();
            scan.walk(null, true, (page, values, pipe) -> {
                for (int i = 0; i < page.size(); i++) {
                    CacheEntry e = reads.decode(page.get(i), values.get(i));
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
}
