package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code bin/ruc-cache}, run for real by bash on a copy of the checkout whose jar is a tiny program
 * that prints its arguments (the real jar is not built yet when the tests run, and the launcher's own paths are
 * what is tested).
 */
class LauncherTest {

    private static final Path BASH = Path.of("/bin/bash");
    /** nobody on Debian: a user that owns nothing here, like a cron user of a root install. */
    private static final int OTHER_UID = 65534;

    @TempDir
    Path tmp;

    private Path checkout;
    private Path home;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(BASH), "no /bin/bash");
        // Another user must be able to reach the copy, as a cron user reaches /opt/ruc-cache.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        checkout = Files.createDirectories(tmp.resolve("opt-ruc-cache"));
        Files.createDirectories(checkout.resolve("bin"));
        Files.copy(Path.of("bin", "ruc-cache"), checkout.resolve("bin").resolve("ruc-cache"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(checkout.resolve("target"));
        writeEchoJar(checkout.resolve("target").resolve("ruc-cache.jar"));
        home = Files.createDirectories(tmp.resolve("home"));
    }

    @Test
    void javaHomeWithoutJava_exit78OneLine_noArchiveLeft() throws Exception {
        Path notJava = Files.createDirectories(tmp.resolve("not-a-jdk"));
        Run r = launch(Map.of("JAVA_HOME", notJava.toString(), "PATH", System.getenv("PATH")), "--version");
        assertEquals(78, r.code(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(List.of("ruc-cache: JAVA_HOME=" + notJava + " has no bin/java; point it at a Java 17 or newer, "
                + "or unset it"), r.err().lines().toList());
        assertEquals(List.of("ruc-cache.jar"), filesUnder(checkout.resolve("target")), "left behind");
    }

    @Test
    void noJavaOnPath_exit78OneLine_noArchiveLeft() throws Exception {
        // An empty PATH: nothing but bash itself, so the check needs no other tool either.
        Path emptyPath = Files.createDirectories(tmp.resolve("empty-path"));
        Run r = launch(Map.of("PATH", emptyPath.toString()), "lookup", "20100038146");
        assertEquals(78, r.code(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(List.of("ruc-cache: no java found on PATH; install Java 17 or newer, or set JAVA_HOME"),
                r.err().lines().toList());
        assertEquals(List.of("ruc-cache.jar"), filesUnder(checkout.resolve("target")), "left behind");
    }

    @Test
    void javaHomeTooOld_exit78OneLine() throws Exception {
        // A JAVA_HOME whose java says it is Java 11: refused before anything is written.
        Path old = Files.createDirectories(tmp.resolve("jdk-11").resolve("bin"));
        Path fake = old.resolve("java");
        Files.writeString(fake, "#!/bin/bash\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = launch(Map.of("JAVA_HOME", old.getParent().toString(), "PATH", System.getenv("PATH")), "stats");
        assertEquals(78, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("ruc-cache: " + fake + " is Java 11; ruc-cache needs Java 17 or newer"),
                r.err());
        assertEquals(List.of("ruc-cache.jar"), filesUnder(checkout.resolve("target")), "left behind");
    }

    @Test
    void checkoutOfAnotherUser_runsWithoutWritingIntoIt() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path setpriv = Path.of("/usr/bin/setpriv");
        // Root writes anywhere, so a root test runs the launcher as another user; without setpriv it cannot.
        assumeTrue(!root || Files.isExecutable(setpriv), "running as root without setpriv: see the README's "
                + "manual check of a root install used by another user");
        List<String> before = filesUnder(checkout);
        List<String> asOther = new ArrayList<>();
        if (root) {
            asOther.addAll(List.of(setpriv.toString(), "--reuid=" + OTHER_UID, "--regid=" + OTHER_UID,
                    "--clear-groups"));
            chownTree(home, OTHER_UID);
        } else {
            makeReadOnly(checkout);
        }
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "HOME", home.toString(),
                "PATH", System.getenv("PATH"));
        Run first = launch(asOther, env, "--version");
        assertEquals(0, first.code(), first.toString());
        assertEquals("ran --version\n", first.out(), first.toString());
        assertFalse(first.err().contains("Permission denied"), first.toString());
        Run second = launch(asOther, env, "lookup", "20100038146");
        assertEquals(0, second.code(), second.toString());
        assertEquals("ran lookup 20100038146\n", second.out(), second.toString());
        assertEquals("", second.err(), "the second run starts quietly: " + second);
        assertEquals(before, filesUnder(checkout), "the launcher wrote into the checkout");
        // What it keeps (lock, start-up archive) is the user's own, under their cache folder.
        assertTrue(filesUnder(home).stream().anyMatch(f -> f.startsWith(".cache/ruc-cache/launcher/")
                && (f.endsWith(".jsa") || f.endsWith(".aot"))), filesUnder(home).toString());

        // With no cache folder to use either, it still runs, without the optimisation.
        Map<String, String> noHome = Map.of("JAVA_HOME", System.getProperty("java.home"), "HOME",
                "/nonexistent", "PATH", System.getenv("PATH"));
        Run bare = launch(asOther, noHome, "stats");
        assertEquals(0, bare.code(), bare.toString());
        assertEquals("ran stats\n", bare.out(), bare.toString());
        assertEquals(before, filesUnder(checkout));
    }

    /**
     * The start-up archive is per Java: Java 17 gets a class-data-sharing archive, Java 25 an ahead-of-time cache,
     * and when the java on PATH changes under the same name, the next run makes the archive again rather than hand
     * Java 17 an option only Java 25 knows. No run prints a word beyond the program's (no native-access warning).
     */
    @Test
    void archivePerJava_madeAgainWhenTheJavaOnPathChanges() throws Exception {
        Path java25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        assumeTrue(Files.isExecutable(java25.resolve("bin").resolve("java")), "no Java 25 at " + java25);
        Path java17 = Path.of(System.getProperty("java.home"));
        assumeTrue(Runtime.version().feature() < 25, "the tests run on Java 25 already");
        Path link = Files.createDirectories(tmp.resolve("java-on-path"));
        Path target = checkout.resolve("target");
        String path = link + ":" + System.getenv("PATH");
        for (Path jdk : List.of(java17, java25, java17)) {
            Files.deleteIfExists(link.resolve("java"));
            Files.createSymbolicLink(link.resolve("java"), jdk.resolve("bin").resolve("java"));
            Map<String, String> env = Map.of("PATH", path, "HOME", home.toString());
            Run first = launch(env, "lookup", "20100038146");
            assertEquals(0, first.code(), jdk + ": " + first);
            assertEquals("ran lookup 20100038146\n", first.out(), jdk + ": " + first);
            assertEquals("", first.err(), jdk + ": " + first);
            boolean aot = jdk.equals(java25);
            Path archive = target.resolve("ruc-cache-default." + (aot ? "aot" : "jsa"));
            assertTrue(Files.size(archive) > 0, jdk + ": " + filesUnder(target));
            assertFalse(Files.exists(target.resolve("ruc-cache-default." + (aot ? "jsa" : "aot"))),
                    jdk + ": " + filesUnder(target));
            long made = Files.getLastModifiedTime(target.resolve("ruc-cache-default.stamp")).toMillis();
            Run second = launch(env, "stats");
            assertEquals("ran stats\n", second.out(), jdk + ": " + second);
            assertEquals("", second.err(), jdk + ": " + second);
            assertEquals(made, Files.getLastModifiedTime(target.resolve("ruc-cache-default.stamp")).toMillis(),
                    jdk + ": the second run made the archive again");
        }
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        return launch(List.of(), env, args);
    }

    private Run launch(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(BASH.toString());
        command.add(checkout.resolve("bin").resolve("ruc-cache").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.directory(tmp.toFile());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish");
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Returns the files and folders under {@code dir}, relative, sorted. */
    private static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).filter(p -> !Files.isDirectory(p))
                    .map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void makeReadOnly(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                p.toFile().setWritable(false, false);
            }
        }
    }

    private static void chownTree(Path dir, int uid) throws Exception {
        Process p = new ProcessBuilder("chown", "-R", uid + ":" + uid, dir.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    /** Writes a runnable jar whose main class prints {@code ran} and its arguments. */
    private void writeEchoJar(Path jar) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("echo-src"));
        Path classes = Files.createDirectories(tmp.resolve("echo-classes"));
        Path java = Files.writeString(src.resolve("Echo.java"),
                "public class Echo { public static void main(String[] a) { "
                        + "System.out.println((\"ran \" + String.join(\" \", a)).strip()); } }");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                java.toString());
        assertEquals(0, rc, "javac");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("Echo.class"));
            out.write(Files.readAllBytes(classes.resolve("Echo.class")));
            out.closeEntry();
        }
    }
}
