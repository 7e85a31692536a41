package pe.ruccache.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.DurationText;
import pe.ruccache.upstream.ProviderCatalog;

/** The settings table and what is written from it: the README's configuration table, the per-provider names. */
class SettingKeyTest {

    /** Returns the rows of the first table under the README's "## Configuration" heading. */
    private static List<String> readmeConfigurationRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8);
        int at = lines.indexOf("## Configuration");
        assertTrue(at >= 0, "README.md has a Configuration section");
        while (!lines.get(at).startsWith("|")) {
            at++;
        }
        assertEquals("| environment | config key | meaning |", lines.get(at));
        assertEquals("|---|---|---|", lines.get(at + 1));
        List<String> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }

    private static String row(SettingKey<?> key) {
        String config = key.configKey() == null ? "" : "`" + key.configKey() + "` ";
        return "| `" + key.env() + "` | " + config + "| " + key.help().replace("|", "\\|") + " |";
    }

    @Test
    void readmeConfigurationTable_isTheTable() throws IOException {
        assertEquals(SettingKey.ALL.stream().map(SettingKeyTest::row).toList(), readmeConfigurationRows());
    }

    @Test
    void help_namesTheDefault() {
        for (SettingKey<?> key : SettingKey.ALL) {
            if (key.fallback() instanceof Duration d) {
                assertTrue(key.help().contains("(default `" + DurationText.format(d) + "`"), key.env());
            } else if (key.fallback() instanceof Integer n) {
                assertTrue(key.help().contains("(default `" + n + "`"), key.env());
            }
        }
    }

    @Test
    void providerTemplates_spellNamesAsTheCatalog() {
        for (String name : ProviderCatalog.networkProviders()) {
            assertEquals(ProviderCatalog.tokenEnv(name), SettingKey.TOKEN.forProvider(name).env());
            assertEquals(ProviderCatalog.tokenFileEnv(name), SettingKey.TOKEN_FILE.forProvider(name).env());
            assertEquals(ProviderCatalog.urlEnv(name), SettingKey.URL.forProvider(name).env());
            assertEquals(ProviderCatalog.tokenKey(name), SettingKey.TOKEN.forProvider(name).configKey());
            assertEquals(ProviderCatalog.urlKey(name), SettingKey.URL.forProvider(name).configKey());
        }
        assertTrue(SettingKey.TOKEN.isTemplate() && !SettingKey.TOKEN.forProvider("migo").isTemplate());
    }

    @Test
    void everyVariableNamedInReadmeOrSources_isInTheTable() throws IOException {
        Set<String> known = new HashSet<>();
        for (SettingKey<?> key : SettingKey.ALL) {
            known.add(key.env());
            if (key.isTemplate()) {
                ProviderCatalog.networkProviders().forEach(name -> known.add(key.forProvider(name).env()));
            }
        }
        // The launcher's JVM options (bin/ruc-cache) and the tests' switch for Redis are no settings.
        known.addAll(List.of("RUC_CACHE_JAVA_OPTS", "RUC_CACHE_TEST_REDIS"));
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            sources.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
        }
        Pattern name = Pattern.compile("RUC_CACHE_[A-Z_<>]*[A-Z>]");
        for (Path file : files) {
            Matcher m = name.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                assertTrue(known.contains(m.group()), m.group() + " in " + file + " is not in SettingKey.ALL");
            }
        }
    }

    @Test
    void everyKey_uniqueNames() {
        assertEquals(SettingKey.ALL.size(), SettingKey.ALL.stream().map(SettingKey::env).distinct().count());
        assertEquals(SettingKey.ALL.stream().filter(k -> k.configKey() != null).count(),
                SettingKey.ALL.stream().map(SettingKey::configKey).filter(k -> k != null).distinct().count());
    }
}
