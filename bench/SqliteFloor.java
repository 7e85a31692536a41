import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The floor of the start-up benchmark for a tool on sqlite-jdbc: the least a Java program does to answer a cached
 * lookup (open the cache file with the driver, read the RUC's row, print two of its fields), with no command line,
 * settings or formatting. Usage: java SqliteFloor CACHE.db RUC
 */
public class SqliteFloor {
    public static void main(String[] args) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                PreparedStatement p = c.prepareStatement("SELECT status, razon_social FROM entries WHERE ruc = ?")) {
            p.setString(1, args[1]);
            try (ResultSet r = p.executeQuery()) {
                System.out.println(r.next() ? args[1] + " " + r.getString(1) + " " + r.getString(2) : "not cached");
            }
        }
    }
}
