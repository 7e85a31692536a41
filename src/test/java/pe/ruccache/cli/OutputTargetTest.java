package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file the tool writes is written as its kind asks: a device, FIFO or descriptor alias in place (never
 * replaced by a regular file), a symbolic link through to its target, and the input never overwritten; a store or
 * snapshot at a device, FIFO or folder is refused before anything is created beside it.
 * Each test fails after a minute rather than hang: a FIFO opened the wrong way blocks forever.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OutputTargetTest {

    private static final String INPUT = "ruc\n20100038146\n20100038147\n";

    @TempDir
    Path dir;

    private CliHarness cli;
    private Path input;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliHarness(dir.resolve("home"));
        input = dir.resolve("clientes.csv");
        Files.writeString(input, INPUT);
    }

    /** Runs {@code bulk --offline -o TARGET clientes.csv}: one row is local-invalid, one an offline miss (exit 69). */
    private CliHarness.Result bulkTo(String target) {
        return cli.run("bulk", "--offline", "--output", target, input.toString());
    }

    private static String fileType(Path path) throws Exception {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return switch (mode & 0170000) {
            case 0020000 -> "character device";
            case 0010000 -> "fifo";
            case 0100000 -> "regular file";
            case 0120000 -> "symbolic link";
            default -> Integer.toOctalString(mode);
        };
    }

    private static void mknodNull(Path path) throws Exception {
        Process p = new ProcessBuilder("mknod", path.toString(), "c", "1", "3").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0,
                "making a device node needs root (mknod)");
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "mkfifo");
    }

    private List<Path> listFolder() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void characterDevice_writtenInPlace_stillADevice() throws Exception {
        Path devNull = dir.resolve("null");
        mknodNull(devNull);
        CliHarness.Result r = bulkTo(devNull.toString());
        assertEquals(69, r.code(), r.toString());
        assertEquals("character device", fileType(devNull));
        assertEquals(List.of(input, dir.resolve("home"), devNull), listFolder(), "no .part file left beside it");
    }

    @Test
    void fifo_itsReaderGetsEveryRow_andItStaysAFifo() throws Exception {
        Path fifo = dir.resolve("rows.fifo");
        mkfifo(fifo);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CliHarness.Result r = bulkTo(fifo.toString());
        assertEquals(69, r.code(), r.toString());
        String rows = reader.get(30, TimeUnit.SECONDS);
        assertEquals(3, rows.lines().count(), rows);
        assertTrue(rows.lines().skip(1).allMatch(l -> l.startsWith("2010003814")), rows);
        assertEquals("fifo", fileType(fifo));
    }

    @Test
    void symbolicLink_targetReplaced_linkKept() throws Exception {
        Path real = Files.createDirectory(dir.resolve("data")).resolve("revisado.csv");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("revisado.csv"), Path.of("data/revisado.csv"));
        CliHarness.Result r = bulkTo(link.toString());
        assertEquals(69, r.code(), r.toString());
        assertEquals("symbolic link", fileType(link));
        assertEquals(Path.of("data/revisado.csv"), Files.readSymbolicLink(link));
        List<String> rows = Files.readAllLines(real);
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("ruc,ruc_normalized,status"), rows.toString());
        try (Stream<Path> files = Files.list(real.getParent())) {
            assertEquals(List.of(real), files.toList(), "the temporary file was renamed beside the target");
        }
    }

    @Test
    void danglingSymbolicLink_createsItsTarget() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("revisado.csv"), Path.of("nuevo.csv"));
        CliHarness.Result r = bulkTo(link.toString());
        assertEquals(69, r.code(), r.toString());
        assertEquals("symbolic link", fileType(link));
        assertEquals(3, Files.readAllLines(dir.resolve("nuevo.csv")).size());
    }

    @Test
    void dash_meansStandardOutput_noFileNamedDash() throws Exception {
        Path dash = Path.of("-").toAbsolutePath();
        Assumptions.assumeFalse(Files.exists(dash, LinkOption.NOFOLLOW_LINKS), "a file named '-' already exists");
        CliHarness.Result r = bulkTo("-");
        assertEquals(69, r.code(), r.toString());
        assertEquals(3, r.out().lines().count(), r.toString());
        assertFalse(Files.exists(dash, LinkOption.NOFOLLOW_LINKS), "a file named '-' was created");
    }

    @Test
    void outputIsTheInput_refusedWithExit64_inputUntouched() throws Exception {
        Path alias = Files.createSymbolicLink(dir.resolve("alias.csv"), input.getFileName());
        Path hardLink = Files.createLink(dir.resolve("hard.csv"), input);
        for (String target : List.of(input.toString(), alias.toString(), hardLink.toString(),
                dir.resolve("home/../clientes.csv").toString())) {
            CliHarness.Result r = bulkTo(target);
            assertEquals(64, r.code(), target + ": " + r);
            assertTrue(r.err().startsWith("ruc-cache: --output " + target + " is the input file; write to another "
                    + "file (the input was not touched)"), r.err());
            assertEquals("", r.out());
            assertEquals(INPUT, Files.readString(input));
        }
        assertEquals(List.of(alias, input, hardLink), listFolder(), "nothing written beside the input");
    }

    @Test
    void store_atADevice_refusedInOneLine_nothingCreatedBesideIt() throws Exception {
        Path devNull = dir.resolve("null");
        mknodNull(devNull);
        CliHarness.Result r = cli.run("--store", devNull.toString(), "lookup", "--offline", "20100038146");
        assertEquals(74, r.code(), r.toString());
        assertEquals("ruc-cache: the cache file " + devNull + " is not a regular file but a character device; use a "
                + "file name instead\n", r.err());
        assertEquals("character device", fileType(devNull));
        assertEquals(List.of(input, devNull), listFolder(), "no -journal, -wal or -shm beside the device");
    }

    @Test
    void store_atAFifoOrFolder_refused() throws Exception {
        Path fifo = dir.resolve("cache.fifo");
        mkfifo(fifo);
        CliHarness.Result r = cli.run("--store", fifo.toString(), "stats");
        assertEquals(74, r.code(), r.toString());
        assertTrue(r.err().startsWith("ruc-cache: the cache file " + fifo + " is not a regular file but a FIFO"),
                r.err());
        r = cli.run("--store", dir.toString(), "lookup", "--offline", "20100038146");
        assertEquals(74, r.code(), r.toString());
        assertEquals("ruc-cache: the cache file " + dir + " is a folder; use a file name instead\n", r.err());
        assertEquals(List.of(fifo, input), listFolder());
    }

    @Test
    void padronSnapshot_atAFifo_refusedByEveryPadronCommand() throws Exception {
        Path fifo = dir.resolve("padron.fifo");
        mkfifo(fifo);
        cli.env.put("RUC_CACHE_PADRON_DB", fifo.toString());
        for (List<String> args : List.of(List.of("padron", "status"),
                List.of("lookup", "--provider", "padron", "20100038146"))) {
            CliHarness.Result r = cli.run(args.toArray(String[]::new));
            assertEquals(74, r.code(), args + ": " + r);
            assertTrue(r.err().startsWith("ruc-cache: the padrón snapshot " + fifo + " is not a regular file but a "
                    + "FIFO"), r.err());
        }
        assertEquals("fifo", fileType(fifo));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("padron.fifo."))
                    .toList(), "no lock or scratch file beside the FIFO");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/proc/self/fd/1", "/dev/fd/1"})
    void descriptorAlias_toARedirectedFile_writtenInPlace_sameFileKept(String alias) throws Exception {
        // A child JVM, whose stdout is a regular file: the alias resolves to it, and must not be renamed over. (Not
        // /dev/stdout itself, handled the same way: a build without the fix, run as root, would replace it.)
        File stdout = dir.resolve("stdout.csv").toFile();
        Files.writeString(stdout.toPath(), "");
        Object before = Files.readAttributes(stdout.toPath(), BasicFileAttributes.class).fileKey();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "bulk", "--offline", "--output", alias, input.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout)
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("RUC_CACHE_HOME", dir.resolve("home").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(69, p.exitValue(), Files.readString(dir.resolve("stderr.txt")));
        assertEquals(before, Files.readAttributes(stdout.toPath(), BasicFileAttributes.class).fileKey(),
                "stdout's file was replaced");
        assertEquals(3, Files.readAllLines(stdout.toPath()).size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".part")).toList());
        }
    }
}
