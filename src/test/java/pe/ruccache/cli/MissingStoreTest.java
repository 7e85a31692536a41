package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that only read the cache never create one at a mistyped path; they say there is no cache there. */
class MissingStoreTest {

    @TempDir
    Path home;

    private CliHarness cli;

    @BeforeEach
    void setUp() {
        cli = new CliHarness(home);
    }

    @Test
    void readOnlyCommands_mistypedStorePath_exit74OneLineAndNothingCreated() {
        Path nosuch = home.resolve("nosuch");
        Path store = nosuch.resolve("dir").resolve("cache.db");
        for (String[] args : new String[][] {{"stats"}, {"stats", "--format", "prometheus"}, {"invalid", "list"},
            {"invalid", "show", "20100038146"}}) {
            String[] withStore = new String[args.length + 2];
            withStore[0] = "--store";
            withStore[1] = store.toString();
            System.arraycopy(args, 0, withStore, 2, args.length);
            CliHarness.Result r = cli.run(withStore);
            assertEquals(74, r.code(), String.join(" ", args) + ": " + r);
            assertEquals("", r.out(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("ruc-cache: no cache at " + store), r.err());
            assertFalse(Files.exists(nosuch), String.join(" ", args) + " created " + nosuch);
        }
    }

    @Test
    void readOnlyCommands_cacheHomeMissing_nothingCreated() {
        Path missingHome = home.resolve("typo-home");
        cli.env.put("RUC_CACHE_HOME", missingHome.toString());
        for (String[] args : new String[][] {{"stats"}, {"invalid", "list"}, {"invalid", "show", "20100038146"}}) {
            CliHarness.Result r = cli.run(args);
            assertEquals(74, r.code(), r.toString());
            assertTrue(r.err().contains("no cache at " + missingHome.resolve("cache.db")), r.err());
            assertFalse(Files.exists(missingHome), String.join(" ", args) + " created " + missingHome);
        }
    }

    @Test
    void health_missingStore_unknownAndNothingCreated() {
        Path nosuch = home.resolve("nosuch");
        Path store = nosuch.resolve("dir").resolve("cache.db");
        CliHarness.Result r = cli.run("--store", store.toString(), "health");
        // Nagios UNKNOWN: the check could not run (a mistyped path is a bad option), not a broken cache.
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().startsWith("RUC-CACHE UNKNOWN - "), r.out());
        assertTrue(r.out().contains("no cache at " + store), r.out());
        assertFalse(Files.exists(nosuch));

        CliHarness.Result json = cli.run("--store", store.toString(), "--format", "json", "health");
        assertEquals(3, json.code(), json.toString());
        assertTrue(json.out().contains("\"status\" : \"unknown\""), json.out());
        assertFalse(Files.exists(nosuch));
    }

    @Test
    void padronStatus_missingSnapshotFolder_nothingCreated() {
        Path nosuch = home.resolve("nosuch");
        cli.env.put("RUC_CACHE_PADRON_DB", nosuch.resolve("dir").resolve("padron.db").toString());
        CliHarness.Result r = cli.run("padron", "status");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("(none)"), r.out());
        assertFalse(Files.exists(nosuch));
        assertFalse(Files.exists(cli.cacheFile().getParent()), "padron status created the cache folder");
    }

    @Test
    void readOnlyCommands_existingCache_stillWork() {
        // A lookup creates the cache; the read-only commands then read it as before.
        cli.run("lookup", "--offline", "20100038147");
        assertTrue(Files.exists(cli.cacheFile()));
        assertEquals(0, cli.run("stats").code());
        assertEquals(0, cli.run("invalid", "list").code());
        assertEquals(0, cli.run("invalid", "show", "20100038146").code());
    }
}
