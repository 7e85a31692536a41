import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Fills a cache file with VALID answers, as if a provider had given them, for benchmarks that time cache hits; and
 * optionally writes a CSV whose rows use those RUCs, in a scrambled order.
 * Usage: java -cp target/ruc-cache.jar bench/SeedCache.java CACHE_FILE [COUNT [CSV_FILE ROWS [grouped]]]
 * The first RUC is 20100038146; RUC i (1 <= i < COUNT) is 20 + i in 8 digits + its check digit. Row r of the CSV
 * uses RUC (r * 7919) mod COUNT, so with ROWS > COUNT each RUC repeats, far apart; with {@code grouped}, a RUC's
 * rows come together (an export sorted by customer), the groups in scrambled order.
 */
public class SeedCache {
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        if (args.length > 3) {
            writeCsv(Path.of(args[2]), count, Long.parseLong(args[3]), args.length > 4 && args[4].equals("grouped"));
        }
        if (count == 0) {
            return;
        }
        Instant now = Instant.now();
        Instant expires = now.plus(Duration.ofDays(365));
        try (Store store = SqliteStore.open(file, Duration.ofSeconds(30))) {
            List<CacheEntry> batch = new ArrayList<>();
            batch.add(entry("20100038146", "CONTINENTAL S.A.C.", now, expires));
            for (int i = 1; i < count; i++) {
                String ruc = ruc(i);
                batch.add(entry(ruc, "EMPRESA SINTETICA " + i + " S.A.C.", now, expires));
                if (batch.size() == 10_000) {
                    store.putAll(batch);
                    batch.clear();
                }
            }
            store.putAll(batch);
        }
    }

    static String ruc(int i) {
        if (i == 0) {
            return "20100038146";
        }
        String first = "20" + String.format("%08d", i);
        return first + Ruc.checkDigit(first);
    }

    private static void writeCsv(Path csv, int count, long rows, boolean grouped) throws IOException {
        long perRuc = Math.max(1, rows / Math.max(1, count));
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("id,ruc,nombre,importe\n");
            for (long r = 0; r < rows; r++) {
                long slot = grouped ? r / perRuc : r;
                int i = (int) ((slot * 7919) % Math.max(1, count));
                out.write(r + "," + ruc(i) + ",CLIENTE " + r + "," + (r % 1000) + ".50\n");
            }
        }
    }

    private static CacheEntry entry(String ruc, String name, Instant now, Instant expires) {
        return new CacheEntry(ruc, "migo", Status.VALID, null, null, new TaxpayerRecord(ruc, name, "ACTIVO",
                "HABIDO", "150131", "AV. JAVIER PRADO ESTE NRO. 4200", "LIMA", "LIMA", "SAN ISIDRO", null),
                now, expires);
    }
}
