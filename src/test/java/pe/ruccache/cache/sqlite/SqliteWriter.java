package pe.ruccache.cache.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * A child process of {@link SqliteMultiProcessTest}: waits for a line on stdin (the start signal), then writes
 * {@code count} distinct entries into the shared file, half by single puts and half by batches, counting each.
 */
public final class SqliteWriter {

    private static final Instant FETCHED = Instant.parse("2025-03-14T15:09:26.535Z");
    private static final int BLOCK = 100;

    private SqliteWriter() {
    }

    /** Runs one writer: {@code file writerId count}; exits 0 only when every write succeeded. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int writer = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        // The start barrier: both writers are running before either opens the (not yet existing) file.
        if (System.in.read() < 0) {
            throw new IllegalStateException("no start signal");
        }
        try (SqliteStore store = SqliteStore.open(file, Duration.ofSeconds(60))) {
            for (int start = 0; start < count; start += BLOCK) {
                int end = Math.min(count, start + BLOCK);
                int half = start + (end - start) / 2;
                for (int i = start; i < half; i++) {
                    store.put(entry(writer, i));
                    store.addToCounters(Map.of("writes", 1L, "writer." + writer, 1L));
                }
                List<CacheEntry> batch = new ArrayList<>();
                for (int i = half; i < end; i++) {
                    batch.add(entry(writer, i));
                }
                store.putAll(batch);
                store.addToCounters(Map.of("writes", (long) batch.size(), "writer." + writer, (long) batch.size()));
                // Reads interleave with the other process's writes, as a lookup run's do.
                store.findAll(batch.stream().map(CacheEntry::ruc).toList());
            }
        }
    }

    /** Returns the {@code i}-th entry of {@code writer}; the RUC encodes both, so writers never collide. */
    static CacheEntry entry(int writer, int i) {
        String ruc = String.format(Locale.ROOT, "2%d%09d", writer, i);
        return new CacheEntry(ruc, "migo", Status.VALID, null, null,
                new TaxpayerRecord(ruc, "EMPRESA Ñ " + writer + "-" + i, "ACTIVO", "HABIDO", null, null, null, null,
                        null, null),
                FETCHED, FETCHED.plusSeconds(3600));
    }
}
