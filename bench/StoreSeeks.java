import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import pe.ruccache.core.Ruc;

/**
 * Times the store's part of an all-cached bulk run alone: the same batched, sorted IN-list reads of every RUC that
 * bench/SeedCache.java wrote, through the JDBC driver ruc-cache uses, with no CSV, checks or output. Compared with
 * the sqlite3 shell running the same statements, it shows what the driver's own SQLite build costs.
 * Usage: java -cp target/ruc-cache.jar bench/StoreSeeks.java CACHE_FILE COUNT [SQL_FILE]
 * With SQL_FILE, also writes the same statements (keys inlined) for the sqlite3 shell.
 */
public class StoreSeeks {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        List<String> rucs = new ArrayList<>(n);
        for (long r = 0; r < n; r++) {
            int i = (int) ((r * 7919) % n);
            String first = "20" + String.format("%08d", i);
            rucs.add(i == 0 ? "20100038146" : first + Ruc.checkDigit(first));
        }
        Properties p = new Properties();
        p.setProperty("mmap_size", String.valueOf(1L << 30));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0], p)) {
            c.setAutoCommit(false);
            PreparedStatement in = c.prepareStatement("SELECT * FROM entries WHERE ruc IN ("
                    + String.join(",", Collections.nCopies(512, "?")) + ")");
            StringBuilder sql = args.length > 2 ? new StringBuilder("PRAGMA mmap_size=1073741824;\nBEGIN;\n") : null;
            long start = System.nanoTime();
            long found = 0;
            for (int w = 0; w < n; w += 4096) {
                List<String> window = new ArrayList<>(rucs.subList(w, Math.min(n, w + 4096)));
                Collections.sort(window);
                for (int b = 0; b < window.size(); b += 512) {
                    List<String> keys = window.subList(b, Math.min(window.size(), b + 512));
                    for (int i = 0; i < 512; i++) {
                        in.setString(i + 1, keys.get(Math.min(i, keys.size() - 1)));
                    }
                    if (sql != null) {
                        sql.append("SELECT * FROM entries WHERE ruc IN ('").append(String.join("','", keys))
                                .append("');\n");
                    }
                    try (ResultSet rows = in.executeQuery()) {
                        while (rows.next()) {
                            found++;
                            for (int col = 1; col <= 16; col++) {
                                rows.getString(col);
                            }
                        }
                    }
                }
            }
            System.out.println(found + " " + (System.nanoTime() - start) / 1_000_000);
            if (sql != null) {
                java.nio.file.Files.writeString(java.nio.file.Path.of(args[2]), sql.append("COMMIT;\n"));
            }
        }
    }
}
