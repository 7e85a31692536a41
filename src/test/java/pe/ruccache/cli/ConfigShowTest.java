package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config show} (each setting's value and source; secrets never shown) and {@code config init}. */
class ConfigShowTest {

    private static final String ENV_TOKEN = "env-token-7f3a9c";
    private static final String CONFIG_TOKEN = "config-token-b41d2e";
    private static final String PASSWORD = "redis-password-99e0";

    @TempDir
    Path home;

    @Test
    void showsEachValueAndItsSource_neverASecret() throws Exception {
        CliHarness cli = new CliHarness(home);
        Path config = Files.createDirectories(home.resolve("config").resolve("ruc-cache"))
                .resolve("config.properties");
        Files.writeString(config, "ttl.valid=2h\nmigo.token=" + CONFIG_TOKEN + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        cli.env.put("RUC_CACHE_DECOLECTA_TOKEN", ENV_TOKEN);
        cli.env.put("RUC_CACHE_REDIS_PASSWORD", PASSWORD);
        cli.env.put("RUC_CACHE_RATE", "5");
        Path store = home.resolve("elsewhere.db");

        CliHarness.Result table = cli.run("--store", store.toString(), "config", "show");
        assertEquals(0, table.code(), table.toString());
        CliHarness.Result json = cli.run("config", "show", "--format", "json", "--store", store.toString());
        assertEquals(0, json.code(), json.toString());
        for (CliHarness.Result r : List.of(table, json)) {
            for (String secret : List.of(ENV_TOKEN, CONFIG_TOKEN, PASSWORD)) {
                assertFalse(r.out().contains(secret) || r.err().contains(secret), "a secret shown: " + r);
            }
        }
        Map<String, List<String>> rows = new HashMap<>();
        for (JsonNode s : new ObjectMapper().readTree(json.out()).get("settings")) {
            rows.put(s.get("key").asText(), List.of(s.get("value").asText(), s.get("from").asText()));
        }
        assertEquals(List.of(store.toString(), "flag --store"), rows.get("store"));
        assertEquals(List.of("2h", "config file"), rows.get("ttl.valid"));
        assertEquals(List.of("24h", "default"), rows.get("ttl.invalid"));
        assertEquals(List.of("5", "env RUC_CACHE_RATE"), rows.get("rate"));
        assertEquals(List.of("set", "config file"), rows.get("migo.token"));
        assertEquals(List.of("set", "env RUC_CACHE_DECOLECTA_TOKEN"), rows.get("decolecta.token"));
        assertEquals(List.of("not set", ""), rows.get("apisnet.token"));
        assertEquals(List.of("set", "env RUC_CACHE_REDIS_PASSWORD"), rows.get("RUC_CACHE_REDIS_PASSWORD"));
        assertEquals(List.of("migo", "default"), rows.get("providers"));
        assertEquals(List.of(config.toString(), "default"), rows.get("RUC_CACHE_CONFIG"));
        assertEquals(List.of(home.resolve("cache").resolve("padron.db").toString(), "default"),
                rows.get("padron.db"));
        // Every setting of the table is listed, each provider's for the per-provider ones.
        assertEquals(30, rows.size(), rows.keySet().toString());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("ttl\\.valid +2h +config file")), table.out());
    }

    @Test
    void init_writesAPrivateCommentedFileWhoseLinesAreTheDefaults_andNeverOverwrites() throws Exception {
        CliHarness cli = new CliHarness(home);
        CliHarness.Result r = cli.run("config", "init");
        assertEquals(0, r.code(), r.toString());
        Path config = home.resolve("config").resolve("ruc-cache").resolve("config.properties");
        assertEquals("wrote " + config + " (rw-------); remove a line's '#' to set that key\n", r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        String text = Files.readString(config);
        assertTrue(text.lines().allMatch(l -> l.isEmpty() || l.startsWith("#")), "all commented: " + text);
        assertTrue(text.contains("\n#migo.token=\n") && text.contains("\n#providers=migo\n"), text);

        // Every key uncommented is valid and sets what the default is: config show says the same values.
        CliHarness.Result defaults = cli.run("config", "show", "--format", "json");
        String uncommented = text.lines().filter(l -> l.startsWith("#") && l.contains("=") && !l.startsWith("# "))
                .map(l -> l.substring(1)).filter(l -> !l.endsWith("=")).reduce("", (a, l) -> a + l + "\n");
        Files.writeString(config, uncommented);
        CliHarness.Result set = cli.run("config", "show", "--format", "json");
        assertEquals(0, set.code(), set.toString());
        Map<String, String> before = values(defaults.out());
        Map<String, String> after = values(set.out());
        int fromFile = 0;
        for (String line : uncommented.lines().toList()) {
            String key = line.substring(0, line.indexOf('='));
            assertEquals(before.get(key).replace(" (no limit)", ""), after.get(key), key);
            fromFile++;
        }
        assertTrue(fromFile >= 15, uncommented);

        CliHarness.Result again = cli.run("config", "init");
        assertEquals(78, again.code(), again.toString());
        assertTrue(again.err().contains("exists already"), again.err());
        assertEquals(uncommented, Files.readString(config), "overwritten");
    }

    private static Map<String, String> values(String json) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (JsonNode s : new ObjectMapper().readTree(json).get("settings")) {
            m.put(s.get("key").asText(), s.get("value").asText());
        }
        return m;
    }

    @Test
    void aBadValueIsTheConfigurationErrorARunWouldGet() {
        CliHarness cli = new CliHarness(home);
        cli.env.put("RUC_CACHE_RATE", "fast");
        CliHarness.Result r = cli.run("config", "show");
        assertEquals(78, r.code(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains("(from RUC_CACHE_RATE)"), r.err());
        CliHarness.Result none = cli.run("config");
        assertEquals(64, none.code(), none.toString());
    }
}
