package pe.ruccache.cache.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.cache.CacheEntry;

/** Two processes write into one new file at once, as two cron jobs would: neither fails, nothing is lost. */
class SqliteMultiProcessTest {

    private static final int PER_WRITER = 2_000;

    @TempDir
    Path dir;

    @Test
    void twoProcessesWritingAtOnce_bothSucceedAndEveryEntryAndCountIsKept() throws Exception {
        Path file = dir.resolve("shared").resolve("cache.db");
        List<Process> writers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int writer = 1; writer <= 2; writer++) {
                Path log = dir.resolve("writer-" + writer + ".log");
                logs.add(log);
                writers.add(new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        SqliteWriter.class.getName(), file.toString(), String.valueOf(writer),
                        String.valueOf(PER_WRITER))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start());
            }
            // Both are started; release them together.
            for (Process writer : writers) {
                try (OutputStream start = writer.getOutputStream()) {
                    start.write('\n');
                }
            }
            for (int i = 0; i < writers.size(); i++) {
                Process writer = writers.get(i);
                assertTrue(writer.waitFor(5, TimeUnit.MINUTES), "writer " + (i + 1) + " did not finish");
                assertEquals(0, writer.exitValue(), "writer " + (i + 1) + " failed:\n" + read(logs.get(i)));
            }
        } finally {
            writers.forEach(Process::destroyForcibly);
        }

        try (SqliteStore store = SqliteStore.open(file, Duration.ofSeconds(10))) {
            List<String> rucs = new ArrayList<>();
            for (int writer = 1; writer <= 2; writer++) {
                for (int i = 0; i < PER_WRITER; i++) {
                    rucs.add(SqliteWriter.entry(writer, i).ruc());
                }
            }
            Map<String, List<CacheEntry>> found = store.findAll(rucs);
            assertEquals(2 * PER_WRITER, found.size());
            for (int writer = 1; writer <= 2; writer++) {
                for (int i = 0; i < PER_WRITER; i++) {
                    CacheEntry expected = SqliteWriter.entry(writer, i);
                    assertEquals(List.of(expected), found.get(expected.ruc()));
                }
            }
            assertEquals(Map.of("writes", 2L * PER_WRITER, "writer.1", (long) PER_WRITER,
                    "writer.2", (long) PER_WRITER), store.counters());
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }
}
