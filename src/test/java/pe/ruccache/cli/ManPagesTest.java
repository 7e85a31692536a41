package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages: one per command, from the same model as the help, and rendered by man(1) without warnings. */
class ManPagesTest {

    @TempDir
    Path dir;

    @Test
    void onePagePerCommand_withItsOptionsAndExamples() {
        CommandLine root = ManPages.fullModel();
        Map<String, String> pages = new ManPages("1.2.3", "2026-12-03").render(root);
        List<CommandLine> commands = ManPages.commands(root);
        assertEquals(commands.size(), pages.size(), pages.keySet().toString());
        assertTrue(pages.containsKey("ruc-cache.1") && pages.containsKey("ruc-cache-bulk.1")
                && pages.containsKey("ruc-cache-padron-import.1"), pages.keySet().toString());
        for (CommandLine cmd : commands) {
            String name = ManPages.pageName(cmd.getCommandSpec());
            String page = pages.get(name + ".1");
            assertTrue(page.contains(".TH " + name.toUpperCase(java.util.Locale.ROOT) + " 1 \"2026-12-03\" "
                    + "\"ruc-cache 1.2.3\""), page);
            for (OptionSpec option : cmd.getCommandSpec().options()) {
                if (option.hidden()) {
                    continue;
                }
                assertTrue(page.contains("\\fB" + ManPages.escape(option.longestName()) + "\\fR"),
                        name + " documents " + option.longestName());
            }
            String firstExample = cmd.getCommandSpec().usageMessage().footer()[0].strip();
            assertTrue(page.contains(".SH EXAMPLES\n") && page.contains(firstExample.replace("-", "\\-")),
                    name + ": " + firstExample);
        }
        String rootPage = pages.get("ruc-cache.1");
        assertTrue(rootPage.contains(".B 78\n") && rootPage.contains(".B RUC_CACHE_PADRON_MAX_AGE\n")
                && rootPage.contains(".BR ruc-cache-bulk (1)"), rootPage);
    }

    @Test
    void manRendersEveryPage_withoutWarnings() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")) && Files.isExecutable(
                Path.of("/usr/bin/groff")), "man-db and groff are not installed (CI installs them)");
        ManPages.main(new String[] {dir.toString(), "2026-12-03"});
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        assertTrue(files.size() > 20, files.toString());
        for (Path file : files) {
            // As lintian checks a package's pages.
            ProcessBuilder pb = new ProcessBuilder("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                    file.toString());
            pb.environment().put("LC_ALL", "C.UTF-8");
            pb.environment().put("MANWIDTH", "80");
            pb.environment().put("MANROFFSEQ", "");
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Path err = dir.resolve("stderr");
            pb.redirectError(err.toFile());
            int code = pb.start().waitFor();
            String warnings = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(err);
            assertEquals(0, code, file + ": " + warnings);
            assertEquals("", warnings, file.getFileName() + " renders without warnings");
        }
        assertTrue(render(dir.resolve("ruc-cache-bulk.1")).contains("ruc-cache bulk clientes.csv > revisado.csv"));
    }

    private static String render(Path page) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("man", "-l", page.toString());
        pb.environment().put("MANWIDTH", "80");
        pb.environment().put("MANPAGER", "cat");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.replaceAll(".\b", "").replace('\u2010', '-').replace('\u2212', '-');
    }
}
