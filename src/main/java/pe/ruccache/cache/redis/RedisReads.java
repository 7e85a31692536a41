package pe.ruccache.cache.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.StoreArguments;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Reads answers by key: the keys of a RUC for every known provider, and for many RUCs MGETs pipelined in batches,
 * so that a window of bulk costs a few round trips; and decodes what it read.
 */
final class RedisReads {

    /** RUCs per MGET in batched reads, and MGETs in flight before reading their replies. */
    static final int READ_BATCH = 512;
    private static final int READS_IN_FLIGHT = 8;

    private final RedisConnection connection;
    private final RedisKeys keys;
    private final RedisProviders providers;

    RedisReads(RedisConnection connection, RedisKeys keys, RedisProviders providers) {
        this.connection = connection;
        this.keys = keys;
        this.providers = providers;
    }

    /** Returns the answers stored for {@code ruc}, in one round trip unless another process added a provider. */
    List<CacheEntry> find(String ruc) {
        Objects.requireNonNull(ruc, "ruc");
        return connection.call(() -> {
            List<String> known = providers.known();
            Response<Set<String>> registered;
            Response<List<byte[]>> values = null;
            try (AbstractPipeline pipe = connection.client().pipelined()) {
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
            List<String> added = providers.learn(registered.get());
            if (!added.isEmpty()) {
                decodeInto(added, List.of(ruc), connection.client().mget(entryKeys(added, List.of(ruc))),
                        (r, e) -> found.add(e));
            }
            return found;
        });
    }

    /** Returns the answers stored for each of {@code rucs} that has any. */
    Map<String, List<CacheEntry>> findAll(Collection<String> rucs) {
        Set<String> distinct = StoreArguments.distinctRucs(rucs);
        if (distinct.isEmpty()) {
            return new HashMap<>();
        }
        return connection.call(() -> {
            List<String> known = providers.refresh();
            Map<String, List<CacheEntry>> found = new HashMap<>(distinct.size() * 4 / 3 + 1);
            readInBatches(known, new ArrayList<>(distinct), (ruc, entry) ->
                    found.computeIfAbsent(ruc, r -> new ArrayList<>(2)).add(entry));
            return found;
        });
    }

    /** Reads the keys of every RUC of {@code rucs} for every provider of {@code candidates}, pipelined in batches. */
    void readInBatches(List<String> candidates, List<String> rucs, EntrySink sink) {
        if (candidates.isEmpty()) {
            return;
        }
        int perBatch = Math.max(1, READ_BATCH / candidates.size());
        try (AbstractPipeline pipe = connection.client().pipelined()) {
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

    /** Returns the entry stored as {@code value}, null when the key vanished; throws for an unreadable value. */
    CacheEntry decode(RedisKeys.Parsed key, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return EntryCodec.decode(key.ruc(), key.provider(), value);
        } catch (EntryCodec.UnreadableValueException e) {
            throw new StoreException("the answer " + keys.entry(key.provider(), key.ruc()) + " at "
                    + connection.location().display() + " cannot be read (" + e.getMessage() + "); upgrade "
                    + "ruc-cache, or remove it: ruc-cache clear --ruc " + key.ruc(), e);
        }
    }

    /** Returns the entry stored as {@code value} under {@code key}, null when there is none or it is unreadable. */
    static CacheEntry decodeOrNull(RedisKeys.Parsed key, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return EntryCodec.decode(key.ruc(), key.provider(), value);
        } catch (EntryCodec.UnreadableValueException e) {
            return null;
        }
    }

    /** Receives decoded entries with their RUC. */
    @FunctionalInterface
    interface EntrySink {
        void accept(String ruc, CacheEntry entry);
    }
}
