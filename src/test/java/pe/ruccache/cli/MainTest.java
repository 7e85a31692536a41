package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in a child JVM: what only a whole process shows (exit status, stdout errors). */
class MainTest {

    @TempDir
    Path home;

    private Process start(List<String> args, File stdout) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout);
        pb.environment().put("RUC_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        return pb.start();
    }

    @Test
    void stdoutOnAFullDisk_exit74InsteadOfSuccess() throws Exception {
        File full = new File("/dev/full");
        Assumptions.assumeTrue(full.exists(), "needs Linux's /dev/full");
        Process p = start(List.of("lookup", "--offline", "--format", "jsonl", "20100038147"), full);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(74, p.exitValue(), err);
        assertTrue(err.startsWith("ruc-cache: cannot write the results to standard output"), err);
    }

    @Test
    void normalRun_exitCodeOfTheCommand() throws Exception {
        File out = home.resolve("out.txt").toFile();
        Process p = start(List.of("lookup", "--offline", "--format", "jsonl", "20100038147"), out);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertTrue(java.nio.file.Files.readString(out.toPath()).contains("\"reason\":\"BAD_CHECK_DIGIT\""));
    }
}
