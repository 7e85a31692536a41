import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.app.StoreFactory;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.redis.RedisOptions;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * Seeds a store (a SQLite file or a redis:// URI, as --store takes them) with VALID answers, writes a CSV of their
 * RUCs, and times Store.findAll over all of them in bulk-sized windows, as bulk reads the store.
 * Usage: java -cp target/ruc-cache.jar bench/StoreBench.java
 *          seed STORE COUNT [EXTRA_PROVIDERS]  (EXTRA_PROVIDERS: also store one answer under each of these names,
 *                                               so findAll must read that many keys per RUC, as in a real cache
 *                                               where local checks and manual marks have written some)
 *          csv FILE COUNT
 *          findall STORE COUNT [WINDOW [RUNS]]  RUNS timed passes after one warm-up pass: prints one line a pass,
 *                                               its milliseconds and RUCs per second
 * RUC 0 is 20100038146; RUC i (1 <= i < COUNT) is 20 + i in 8 digits + its check digit, as bench/SeedCache.java.
 */
public class StoreBench {

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "seed" -> seed(args[1], Integer.parseInt(args[2]), args.length > 3 ? args[3] : "");
            case "csv" -> csv(Path.of(args[1]), Integer.parseInt(args[2]));
            case "findall" -> findAll(args[1], Integer.parseInt(args[2]),
                    args.length > 3 ? Integer.parseInt(args[3]) : 4096, args.length > 4 ? Integer.parseInt(args[4]) : 3);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static String ruc(int i) {
        if (i == 0) {
            return "20100038146";
        }
        String first = "20" + String.format(Locale.ROOT, "%08d", i);
        return first + Ruc.checkDigit(first);
    }

    static Store open(String spec) {
        return StoreFactory.open(spec, Duration.ofSeconds(30), RedisOptions.defaults(), Clock.systemUTC(),
                Path.of(System.getProperty("user.home")));
    }

    static void seed(String spec, int count, String extraProviders) {
        Instant now = Instant.now();
        Instant expires = now.plus(Duration.ofDays(365));
        try (Store store = open(spec)) {
            List<CacheEntry> batch = new ArrayList<>(10_000);
            for (int i = 0; i < count; i++) {
                String ruc = ruc(i);
                batch.add(new CacheEntry(ruc, "migo", Status.VALID, null, null, new TaxpayerRecord(ruc,
                        "EMPRESA SINTETICA " + i + " S.A.C.", "ACTIVO", "HABIDO", "150131",
                        "AV. JAVIER PRADO ESTE NRO. 4200", "LIMA", "LIMA", "SAN ISIDRO", null), now, expires));
                if (batch.size() == 10_000) {
                    store.putAll(batch);
                    batch.clear();
                }
            }
            for (String provider : extraProviders.split(",")) {
                if (!provider.isBlank()) {
                    batch.add(new CacheEntry("20000000001", provider.strip(), Status.INVALID,
                            pe.ruccache.core.Reason.MANUAL, "bench", null, now, expires));
                }
            }
            store.putAll(batch);
        }
    }

    static void csv(Path file, int count) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("ruc\n");
            for (long r = 0; r < count; r++) {
                // A scrambled order, so that neither store is read in key order.
                out.write(ruc((int) ((r * 7919) % count)));
                out.write('\n');
            }
        }
    }

    static void findAll(String spec, int count, int window, int runs) {
        List<String> rucs = new ArrayList<>(count);
        for (long r = 0; r < count; r++) {
            rucs.add(ruc((int) ((r * 7919) % count)));
        }
        try (Store store = open(spec)) {
            pass(store, rucs.subList(0, Math.min(count, 100_000)), window);
            for (int run = 0; run < runs; run++) {
                long started = System.nanoTime();
                long found = pass(store, rucs, window);
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (found != count) {
                    throw new IllegalStateException("found " + found + " of " + count + " in " + spec);
                }
                System.out.printf(Locale.ROOT, "%d %d%n", millis, millis == 0 ? 0 : count * 1000L / millis);
            }
        }
    }

    private static long pass(Store store, List<String> rucs, int window) {
        long found = 0;
        for (int from = 0; from < rucs.size(); from += window) {
            Map<String, List<CacheEntry>> answers = store.findAll(rucs.subList(from, Math.min(rucs.size(),
                    from + window)));
            found += answers.size();
        }
        return found;
    }
}
