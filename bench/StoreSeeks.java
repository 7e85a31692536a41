import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Times the store's part of an all-cached bulk run alone: batched, sorted IN-list reads of every RUC that
 * bench/SeedCache.java wrote, through the JDBC driver ruc-cache uses, with no CSV, checks or output. Run beside the
 * sqlite3 shell on the same statements (keys inlined there), it separates what SQLite itself costs in each build
 * from what crossing JNI costs. MODE picks the statement:
 * <ul>
 *   <li>{@code count}: {@code SELECT count(*)}: the B-tree seeks alone, one value back per statement;</li>
 *   <li>{@code packed}: each row's 16 columns packed into one text value by SQL, read with one {@code getString}
 *       a row;</li>
 *   <li>{@code grouped}: the statement ruc-cache runs: the same packed rows joined into one value per statement,
 *       with their count, so one {@code getString} per 512 keys;</li>
 *   <li>{@code columns}: {@code SELECT *} read column by column, 16 {@code getString} calls a row (what the naive
 *       use of the driver costs; the shell just prints the row).</li>
 * </ul>
 * Usage: java -cp target/ruc-cache.jar bench/StoreSeeks.java CACHE_FILE COUNT MODE [SQL_FILE]
 * Prints the rows found and the milliseconds; with SQL_FILE, also writes the same statements for the sqlite3 shell.
 */
public class StoreSeeks {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        String mode = args[2];
        String what = switch (mode) {
            case "count" -> "count(*)";
            case "packed" -> packed();
            case "grouped" -> "count(*), group_concat(" + packed() + ", char(29))";
            case "columns" -> "*";
            default -> throw new IllegalArgumentException("MODE is count, packed, grouped or columns, not " + mode);
        };
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
            String select = "SELECT " + what + " FROM entries WHERE ruc IN (";
            PreparedStatement in = c.prepareStatement(select + String.join(",", Collections.nCopies(512, "?")) + ")");
            int columns = mode.equals("columns") ? 16 : mode.equals("grouped") ? 2 : 1;
            StringBuilder sql = args.length > 3 ? new StringBuilder("PRAGMA mmap_size=1073741824;\nBEGIN;\n") : null;
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
                        sql.append(select).append('\'').append(String.join("','", keys)).append("');\n");
                    }
                    try (ResultSet rows = in.executeQuery()) {
                        while (rows.next()) {
                            found += mode.equals("count") || mode.equals("grouped") ? rows.getLong(1) : 1;
                            for (int col = 1; col <= columns; col++) {
                                rows.getString(col);
                            }
                        }
                    }
                }
            }
            System.out.println(found + " " + (System.nanoTime() - start) / 1_000_000);
            if (sql != null) {
                Files.writeString(Path.of(args[3]), sql.append("COMMIT;\n"));
            }
        }
    }

    /** The packed-row expression of ruc-cache's batched read (package-private there, so read by reflection). */
    private static String packed() throws ReflectiveOperationException {
        Field f = Class.forName("pe.ruccache.cache.sqlite.EntryRows").getDeclaredField("PACKED");
        f.setAccessible(true);
        return (String) f.get(null);
    }
}
