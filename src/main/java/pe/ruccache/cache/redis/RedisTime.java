package pe.ruccache.cache.redis;

import io.github.bucket4j.TimeMeter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis server's clock, read once and then followed with this process's monotonic clock: the time every process
 * sharing a rate-limit bucket computes its refills with, so that machines whose own clocks disagree by seconds still
 * agree to within a network round trip. Bucket4j's default for shared buckets is each machine's wall clock, which
 * never lets them over-spend (a refill is never counted twice) but makes a machine whose clock lags wait for as long
 * as it lags.
 */
final class RedisTime implements TimeMeter {

    /** Readings of the server's clock; the one with the shortest round trip is kept, being the most precise. */
    private static final int SAMPLES = 3;

    private final LongSupplier localNanos;
    private final long offsetNanos;

    private RedisTime(LongSupplier localNanos, long offsetNanos) {
        this.localNanos = localNanos;
        this.offsetNanos = offsetNanos;
    }

    /**
     * Reads the clock of the server behind {@code client} and returns a time meter that follows it by
     * {@code localNanos} (System::nanoTime outside tests); Redis failures are left to the caller to translate.
     */
    static RedisTime sync(UnifiedJedis client, LongSupplier localNanos) {
        long bestRoundTrip = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long before = localNanos.getAsLong();
            Object reply = client.sendCommand(Protocol.Command.TIME);
            long after = localNanos.getAsLong();
            long serverNanos = serverNanos(reply);
            if (after - before < bestRoundTrip) {
                bestRoundTrip = after - before;
                // The server read its clock somewhere in the round trip; the middle is the best guess.
                bestOffset = serverNanos - (before + (after - before) / 2);
            }
        }
        return new RedisTime(localNanos, bestOffset);
    }

    /** Returns TIME's reply (seconds and microseconds since the epoch, as two bulk strings) in nanoseconds. */
    private static long serverNanos(Object reply) {
        if (!(reply instanceof List<?> parts) || parts.size() != 2) {
            throw new IllegalStateException("unexpected reply to TIME: " + reply);
        }
        long seconds = Long.parseLong(text(parts.get(0)));
        long micros = Long.parseLong(text(parts.get(1)));
        return seconds * 1_000_000_000L + micros * 1_000L;
    }

    private static String text(Object part) {
        return part instanceof byte[] bytes ? new String(bytes, StandardCharsets.US_ASCII) : String.valueOf(part);
    }

    /** Returns the server's time now, in nanoseconds since the epoch. */
    @Override
    public long currentTimeNanos() {
        return localNanos.getAsLong() + offsetNanos;
    }

    /** Returns true: the time is the server's wall clock, as Bucket4j requires of a clock shared by processes. */
    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
