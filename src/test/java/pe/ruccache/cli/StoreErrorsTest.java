package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot be used gives one line and exit 74, and is never modified. */
class StoreErrorsTest {

    @TempDir
    Path home;

    private CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(home);
    }

    @Test
    void corruptCacheFile_exit74AndLeftUntouched() throws Exception {
        Files.createDirectories(cli.cacheFile().getParent());
        byte[] garbage = "this is not a database, it is a spreadsheet someone saved here\n".repeat(100)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(cli.cacheFile(), garbage);
        for (String[] args : new String[][] {{"lookup", "20100038147"}, {"stats"}, {"invalid", "list"},
            {"clear", "--expired"}}) {
            CliHarness.Result r = cli.run(args);
            assertEquals(74, r.code(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(cli.cacheFile().toString()), r.err());
        }
        assertArrayEquals(garbage, Files.readAllBytes(cli.cacheFile()));
    }

    @Test
    void corruptCacheFile_healthUnhealthy() throws Exception {
        Files.createDirectories(cli.cacheFile().getParent());
        Files.write(cli.cacheFile(), "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CliHarness.Result r = cli.run("health");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.out().startsWith("RUC-CACHE CRITICAL - "), r.out());
    }

    @Test
    void cacheFolderNotWritable_exit74() throws Exception {
        // A folder that would have to be created inside a regular file cannot exist, whoever runs the test.
        Path file = Files.writeString(home.resolve("plain-file"), "x");
        cli.env.put("RUC_CACHE_HOME", file.resolve("cache").toString());
        CliHarness.Result r = cli.run("lookup", "20100038147");
        assertEquals(74, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void cacheLockedByAnotherProcess_exit74AfterTimeout() throws Exception {
        assertEquals(1, cli.run("lookup", "20100038147").code());
        cli.env.put("RUC_CACHE_LOCK_TIMEOUT", "300ms");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + cli.cacheFile());
                Statement st = other.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            CliHarness.Result r = cli.run("lookup", "20100038147");
            assertEquals(74, r.code(), r.toString());
            assertTrue(r.err().contains("locked"), r.err());
            st.execute("ROLLBACK");
        }
        assertEquals(1, cli.run("lookup", "20100038147").code());
    }
}
