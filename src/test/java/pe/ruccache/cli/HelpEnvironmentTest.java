package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.app.SettingKey;

/** The environment list at the end of {@code ruc-cache --help} names every setting; a command's help refers to it. */
class HelpEnvironmentTest {

    @TempDir
    Path home;

    @Test
    void rootHelp_listsEveryEnvironmentVariable_inTableOrder() {
        String help = new CliHarness(home).run("--help").out();
        int start = help.indexOf("Environment:\n");
        int end = help.indexOf("Tokens are never accepted on the command line.");
        assertTrue(start >= 0 && end > start, help);
        String list = help.substring(start + "Environment:\n".length(), end).replaceAll("\\s+", " ").strip();
        assertTrue(list.endsWith("."), list);
        assertTrue(list.contains("RUC_CACHE_<NAME>_URL (NAME: MIGO, DECOLECTA, APISNET), "), list);
        List<String> names = Arrays.asList(list.substring(0, list.length() - 1)
                .replace(" (NAME: MIGO, DECOLECTA, APISNET)", "").split(", "));
        assertEquals(SettingKey.ALL.stream().map(SettingKey::env).toList(), names);
        for (String line : help.substring(start, end).split("\n")) {
            assertTrue(line.length() <= 80, "within picocli's usage width, so it is not wrapped again: " + line);
        }
        String lookup = new CliHarness(home).run("lookup", "--help").out();
        assertTrue(!lookup.contains("Environment:") && lookup.contains("see 'ruc-cache --help'"),
                "a command's help refers to the root's list: " + lookup);
    }
}
