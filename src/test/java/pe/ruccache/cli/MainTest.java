package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
    @Test
    void closedStdout_bulkStopsAtOnceWith141_noStackTrace() throws Exception {
        // Enough rows for minutes of writing into a closed pipe (locally invalid, so no store or provider is asked).
        Path input = home.resolve("big.txt");
        Files.writeString(input, "20100038147\n".repeat(2_000_000));
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "bulk", "--offline",
                input.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("RUC_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        Process p = pb.start();
        // As `| head -1` does: read one line, then close the pipe.
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertTrue(out.readLine().startsWith("column_1,ruc_normalized,status"));
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running after its stdout was closed");
        assertEquals(141, p.exitValue(), err);
        // Quiet, as a filter killed by SIGPIPE: no trace, no summary.
        assertEquals("", err);
    }

    @Test
    void sigterm_midBulk_jsonArrayClosed_exitsAsKilledBySigterm() throws Exception {
        try (mockwebserver3.MockWebServer migo = new mockwebserver3.MockWebServer()) {
            RucStub stub = new RucStub(false);
            CountDownLatch fiveAsked = new CountDownLatch(5);
            stub.afterEach = fiveAsked::countDown;
            migo.setDispatcher(stub);
            migo.start();
            StringBuilder rucs = new StringBuilder();
            for (int i = 1; i <= 3000; i++) {
                rucs.append(RucStub.ruc(i)).append('\n');
            }
            Path input = home.resolve("list.txt");
            Files.writeString(input, rucs);
            File stdout = home.resolve("out.json").toFile();
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "bulk", "--format", "json",
                    "--concurrency", "2", "--window-rows", "3", input.toString()));
            File stderr = home.resolve("err.txt").toFile();
            // Process.destroy() closes the streams it holds: both go to files.
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr);
            pb.environment().put("RUC_CACHE_HOME", home.resolve("cache").toString());
            pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
            pb.environment().put("RUC_CACHE_MIGO_TOKEN", "tok-Main-1");
            pb.environment().put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
            Process p = pb.start();
            assertTrue(fiveAsked.await(60, TimeUnit.SECONDS));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String err = Files.readString(stderr.toPath());
            assertEquals(143, p.exitValue(), err);
            assertTrue(err.contains("stopped early: interrupted (SIGTERM)"), err);
            com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(stdout);
            assertTrue(rows.isArray() && rows.size() < 3000, String.valueOf(rows.size()));
        }
    }
    /**
     * Starts {@code body} as a bash script in a process group of its own, as a terminal's foreground job is, with
     * SIGINT at its default (a test runner started in the background has it ignored, and bash cannot undo that).
     * The script finds {@code $JAVA}, {@code $CP} and {@code $MAIN} to run ruc-cache, {@code $INPUT}, {@code $OUT}
     * and {@code $ERR} in the test's folder, and a cache whose migo is {@code migo}.
     */
    private Process startScript(String body, Path input, mockwebserver3.MockWebServer migo) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/setsid").exists() || new File("/bin/setsid").exists(),
                "needs setsid (util-linux) to give the script a process group of its own");
        Path script = home.resolve("nightly.sh");
        Files.writeString(script, body);
        ProcessBuilder pb = new ProcessBuilder("setsid", "env", "--default-signal=INT", "bash",
                script.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("CP", System.getProperty("java.class.path"));
        pb.environment().put("MAIN", Main.class.getName());
        pb.environment().put("INPUT", input.toString());
        pb.environment().put("OUT", home.resolve("out.csv").toString());
        pb.environment().put("ERR", home.resolve("err.txt").toString());
        pb.environment().put("RUC_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("RUC_CACHE_MIGO_TOKEN", "tok-Main-2");
        pb.environment().put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Sends Ctrl-C's SIGINT to the script's whole process group; returns what the script printed until it ended. */
    private static String ctrlC(Process shell) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + shell.pid()).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shell.waitFor(60, TimeUnit.SECONDS));
        return printed;
    }

    @Test
    void ctrlC_inAShellScript_theScriptStopsToo() throws Exception {
        try (mockwebserver3.MockWebServer migo = new mockwebserver3.MockWebServer()) {
            RucStub stub = new RucStub(false);
            CountDownLatch fiveAsked = new CountDownLatch(5);
            stub.afterEach = fiveAsked::countDown;
            migo.setDispatcher(stub);
            migo.start();
            StringBuilder rucs = new StringBuilder();
            for (int i = 1; i <= 3000; i++) {
                rucs.append(RucStub.ruc(i)).append('\n');
            }
            Path input = home.resolve("list.txt");
            Files.writeString(input, rucs);
            Process shell = startScript("\"$JAVA\" -cp \"$CP\" \"$MAIN\" bulk --concurrency 2 \"$INPUT\" > \"$OUT\" "
                    + "2>/dev/null\necho \"the script went on after exit $?\"\n", input, migo);
            assertTrue(fiveAsked.await(60, TimeUnit.SECONDS));
            String printed = ctrlC(shell);
            // bash stops a script whose command died of SIGINT, and goes on after one that merely exited 130.
            assertEquals("", printed);
            assertEquals(130, shell.exitValue());
        }
    }

    @Test
    void ctrlC_whileTheRunWaitsOnAPipeLeftOpen_theProcessStillDiesOfItAndSaysWhy() throws Exception {
        try (mockwebserver3.MockWebServer migo = new mockwebserver3.MockWebServer()) {
            RucStub stub = new RucStub(false);
            CountDownLatch fiveAsked = new CountDownLatch(5);
            stub.afterEach = fiveAsked::countDown;
            migo.setDispatcher(stub);
            migo.start();
            // Five RUCs to ask about, then more than the 64 KiB bulk sniffs before it starts of locally invalid ones.
            StringBuilder rucs = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                rucs.append(RucStub.ruc(i)).append('\n');
            }
            rucs.append("20100038147\n".repeat(6000));
            Path input = home.resolve("list.txt");
            Files.writeString(input, rucs);
            // Its stdin is this test's pipe to the script, written and left open (a producer outside the terminal's
            // process group, which Ctrl-C does not stop): once the rows are answered, the run waits on stdin, where
            // no Java thread can be woken, until the stop's time is up.
            Process shell = startScript("\"$JAVA\" -cp \"$CP\" \"$MAIN\" bulk --window-rows 5 - > \"$OUT\" "
                    + "2> \"$ERR\"\necho \"the script went on after exit $?\"\n", input, migo);
            shell.getOutputStream().write(Files.readAllBytes(input));
            shell.getOutputStream().flush();
            assertTrue(fiveAsked.await(60, TimeUnit.SECONDS));
            // Most rows are written (whole windows of 5): the run has read what the pipe held and waits on it for more
            // (the last windows' rows stay with it until then).
            Path out = home.resolve("out.csv");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lineCount(out) < 5000 && System.nanoTime() < deadline) {
                Thread.sleep(20); // Polls a condition; the assertion below says whether it came.
            }
            assertTrue(lineCount(out) >= 5000, String.valueOf(lineCount(out)));
            // Rows written do not say that all the pipe held was read (a slow machine may still be reading hundreds
            // of rows, and then stops as any interrupted run does): the kernel says when a thread waits on the pipe.
            while (!readingAPipe(shell) && System.nanoTime() < deadline) {
                Thread.sleep(20); // Polls a condition; the assertion below says whether it came.
            }
            assertTrue(readingAPipe(shell), "the run never waited on its stdin");
            String printed = ctrlC(shell);
            assertEquals("", printed, "bash went on: the process exited 130 instead of dying of SIGINT");
            assertEquals(130, shell.exitValue());
            String err = Files.readString(home.resolve("err.txt"));
            assertTrue(err.contains("ruc-cache: stopped: the run had not ended 10 s after interrupted (SIGINT)"), err);
        }
    }

    /** Returns whether a thread of a process under {@code shell} sleeps in the kernel reading a pipe (Linux). */
    private static boolean readingAPipe(Process shell) {
        return shell.descendants().anyMatch(process -> {
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", process.pid() + "", "task"))) {
                return tasks.anyMatch(task -> {
                    try {
                        String wchan = Files.readString(task.resolve("wchan"));
                        return wchan.contains("pipe_read") || wchan.contains("pipe_wait");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static long lineCount(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (java.util.stream.Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
