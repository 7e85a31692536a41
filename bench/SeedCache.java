import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.sqlite.SqliteStore;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * Fills a cache file with VALID answers, as if a provider had given them, for benchmarks that time cache hits.
 * Usage: java -cp target/ruc-cache.jar bench/SeedCache.java CACHE_FILE [COUNT]; the first RUC is 20100038146.
 */
public class SeedCache {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Instant now = Instant.now();
        Instant expires = now.plus(Duration.ofDays(365));
        try (Store store = SqliteStore.open(file, Duration.ofSeconds(30))) {
            List<CacheEntry> batch = new ArrayList<>();
            batch.add(entry("20100038146", "CONTINENTAL S.A.C.", now, expires));
            for (int i = 1; i < count; i++) {
                String first = "20" + String.format("%08d", i);
                String ruc = first + Ruc.checkDigit(first);
                batch.add(entry(ruc, "EMPRESA SINTETICA " + i + " S.A.C.", now, expires));
                if (batch.size() == 10_000) {
                    store.putAll(batch);
                    batch.clear();
                }
            }
            store.putAll(batch);
        }
    }

    private static CacheEntry entry(String ruc, String name, Instant now, Instant expires) {
        return new CacheEntry(ruc, "migo", Status.VALID, null, null, new TaxpayerRecord(ruc, name, "ACTIVO",
                "HABIDO", "150131", "AV. JAVIER PRADO ESTE NRO. 4200", "LIMA", "LIMA", "SAN ISIDRO", null),
                now, expires);
    }
}
