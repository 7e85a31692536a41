package pe.ruccache.cache.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Walks the answers' keys under the prefix with {@code SCAN}, never {@code KEYS}, so that a large prefix never
 * blocks a shared server; each page comes with its values read in the same round trip as the next page's SCAN.
 */
final class RedisScan {

    /** Keys asked for per SCAN call: Redis's own advice for a balance of round trips and blocking time. */
    static final int SCAN_COUNT = 1_000;

    private final RedisConnection connection;
    private final RedisKeys keys;

    RedisScan(RedisConnection connection, RedisKeys keys) {
        this.connection = connection;
        this.keys = keys;
    }

    /**
     * Walks the answers' keys (of one provider, or all when {@code provider} is null), handing each page to
     * {@code handler} with its values when {@code withValues}. The MGET of one page and the SCAN for the next travel
     * together, so a page costs one round trip; whatever the handler queues on the pipeline goes with the next one.
     */
    void walk(String provider, boolean withValues, PageHandler handler) {
        ScanParams params = new ScanParams().match(keys.entryPattern(provider)).count(SCAN_COUNT);
        try (AbstractPipeline pipe = connection.client().pipelined()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            List<RedisKeys.Parsed> pending = List.of();
            do {
                Response<ScanResult<String>> next = pipe.scan(cursor, params);
                Response<List<byte[]>> values = withValues && !pending.isEmpty() ? pipe.mget(keys.entryBytes(pending))
                        : null;
                pipe.sync();
                if (!pending.isEmpty()) {
                    handler.page(pending, values == null ? null : values.get(), pipe);
                }
                ScanResult<String> result = next.get();
                cursor = result.getCursor();
                pending = parseAll(result.getResult());
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            if (!pending.isEmpty()) {
                Response<List<byte[]>> values = withValues ? pipe.mget(keys.entryBytes(pending)) : null;
                pipe.sync();
                handler.page(pending, values == null ? null : values.get(), pipe);
            }
            pipe.sync();
        }
    }

    private List<RedisKeys.Parsed> parseAll(List<String> found) {
        List<RedisKeys.Parsed> parsed = new ArrayList<>(found.size());
        for (String key : found) {
            RedisKeys.Parsed p = keys.parse(key);
            if (p != null) {
                parsed.add(p);
            }
        }
        return parsed;
    }

    /** Receives one page of a SCAN with its values (null when not asked for). */
    @FunctionalInterface
    interface PageHandler {
        void page(List<RedisKeys.Parsed> keys, List<byte[]> values, AbstractPipeline pipe);
    }
}
