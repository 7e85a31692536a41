package pe.ruccache.cache.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.Store;
import pe.ruccache.cache.StoreContract;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;

/** Runs the store contract against the SQLite file, plus what only a file can get wrong. */
class SqliteStoreTest extends StoreContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @TempDir
    Path dir;

    @Override
    protected Store newStore() {
        return SqliteStore.open(dir.resolve("contract").resolve("cache.db"), TIMEOUT);
    }

    // ---- concurrent batched reads --------------------------------------------------------------------------------

    @Test
    void findAll_fromTwoThreadsAtOnce_bothCompleteWithTheirOwnEntries_whileWritesGoOn() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("two.db"), TIMEOUT)) {
            List<CacheEntry> entries = IntStream.range(0, 3000).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList();
            store.putAll(entries);
            List<String> left = entries.subList(0, 1500).stream().map(CacheEntry::ruc).toList();
            List<String> right = entries.subList(1500, 3000).stream().map(CacheEntry::ruc).toList();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                CyclicBarrier start = new CyclicBarrier(3);
                Future<Integer> a = pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < 20; i++) {
                        n += store.findAll(left).size();
                    }
                    return n;
                });
                Future<Integer> b = pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < 20; i++) {
                        n += store.findAll(right).size();
                    }
                    return n;
                });
                Future<?> writes = pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        store.put(valid(ruc(5000 + i), "decolecta", NOW));
                    }
                    return null;
                });
                assertEquals(20 * 1500, a.get(30, TimeUnit.SECONDS));
                assertEquals(20 * 1500, b.get(30, TimeUnit.SECONDS));
                writes.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, store.find(ruc(5049)).size());
        }
    }

    @Test
    void findAll_whileTheFirstConnectionIsBusy_readsThroughTheSecondWithoutWaitingForIt() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("busy.db"), TIMEOUT)) {
            List<CacheEntry> entries = IntStream.range(0, 10).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList();
            store.putAll(entries);
            List<String> rucs = entries.stream().map(CacheEntry::ruc).toList();
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                // The first connection stays busy (as with the other half of a bulk window) until the read ends: a
                // read that waited for it would never end, and the wait below would time out.
                int found = store.connection().locked(() -> CompletableFuture
                        .supplyAsync(() -> store.findAll(rucs).size(), reader).orTimeout(10, TimeUnit.SECONDS).join());
                assertEquals(10, found);
            } finally {
                reader.shutdownNow();
            }
        }
    }

    // ---- files and permissions ----------------------------------------------------------------------------------

    @Test
    void reopen_afterClose_keepsEntriesAndCounters() {
        Path file = dir.resolve("cache.db");
        CacheEntry entry = valid(ruc(1), "migo", NOW);
        try (SqliteStore first = SqliteStore.open(file, TIMEOUT)) {
            first.put(entry);
            first.addToCounters(Map.of("lookups", 2L));
        }

        try (SqliteStore second = SqliteStore.open(file, TIMEOUT)) {
            assertEquals(List.of(entry), second.find(ruc(1)));
            assertEquals(Map.of("lookups", 2L), second.counters());
        }
    }

    @Test
    void open_missingFolders_createsThemAndTheFilePrivate() throws IOException {
        assumeTrue(POSIX, "POSIX permissions");
        Path folder = dir.resolve("home").resolve("ruc-cache");
        Path file = folder.resolve("cache.db");

        try (SqliteStore created = SqliteStore.open(file, TIMEOUT)) {
            created.put(valid(ruc(1), "migo", NOW));

            assertEquals("rwx------", permissions(folder));
            assertEquals("rw-------", permissions(file));
            // SQLite gives its journal files the mode of the database file.
            assertEquals("rw-------", permissions(Path.of(file + "-wal")));
            assertEquals("rw-------", permissions(Path.of(file + "-shm")));
        }
    }

    @Test
    void open_existingFileAndFolder_keepsTheirPermissions() throws IOException {
        assumeTrue(POSIX, "POSIX permissions");
        Path folder = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Path file = Files.createFile(folder.resolve("cache.db"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.put(valid(ruc(1), "migo", NOW));
        }

        assertEquals("rwxr-x---", permissions(folder));
        assertEquals("rw-r-----", permissions(file));
    }

    @Test
    void open_relativeOrUnnormalisedPath_locationIsTheAbsoluteFile() {
        Path file = dir.resolve("x").resolve("..").resolve("cache.db");

        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            assertEquals(dir.resolve("cache.db").toAbsolutePath().toString(), store.location());
        }
    }

    @Test
    void sizeBytes_countsTheFileAndItsCompanions() throws IOException {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.putAll(IntStream.range(0, 500).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList());

            long expected = Files.size(file) + sizeOrZero(Path.of(file + "-wal")) + sizeOrZero(Path.of(file + "-shm"));
            assertEquals(expected, store.sizeBytes().orElseThrow());
            assertTrue(expected > 500 * 100, "500 entries take room");
        }
    }

    @Test
    void open_pathIsAFolder_failsNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("cache.db"));

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(folder, TIMEOUT));

        assertOneLineNaming(folder, e);
    }

    @Test
    void open_folderNotWritable_failsNamingIt() throws IOException {
        assumeTrue(POSIX, "POSIX permissions");
        assumeTrue(permissionsEnforced(), "permissions are not enforced for this user (root)");
        Path folder = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
        Path file = folder.resolve("cache.db");

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("not writable"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void open_folderCannotBeCreated_failsNamingIt() throws IOException {
        assumeTrue(POSIX, "POSIX permissions");
        assumeTrue(permissionsEnforced(), "permissions are not enforced for this user (root)");
        Path parent = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-x------"));
        Path file = parent.resolve("ruc-cache").resolve("cache.db");

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertTrue(e.getMessage().contains("cannot create the cache folder " + file.getParent()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void open_parentIsAFile_failsNamingIt() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("ruc-cache"), "x");
        Path file = notAFolder.resolve("cache.db");

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertTrue(e.getMessage().contains("cannot create the cache folder " + notAFolder), e.getMessage());
    }

    @Test
    void open_readOnlyFile_failsSayingReadOnly() throws IOException {
        assumeTrue(POSIX, "POSIX permissions");
        assumeTrue(permissionsEnforced(), "permissions are not enforced for this user (root)");
        Path file = dir.resolve("cache.db");
        SqliteStore.open(file, TIMEOUT).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        byte[] before = sha256(file);

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertArrayEquals(before, sha256(file));
    }

    // ---- files that are not ours --------------------------------------------------------------------------------

    @Test
    void open_randomBytes_failsAndLeavesFileUntouched() throws IOException {
        Path file = dir.resolve("cache.db");
        byte[] noise = new byte[64 * 1024];
        new Random(42).nextBytes(noise);
        Files.write(file, noise);
        byte[] before = sha256(file);

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
        assertArrayEquals(before, sha256(file));
    }

    @Test
    void open_sqliteMagicFollowedByGarbage_failsAndLeavesFileUntouched() throws IOException {
        Path file = dir.resolve("cache.db");
        byte[] content = new byte[16 * 4096];
        new Random(7).nextBytes(content);
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, content, 0, magic.length);
        Files.write(file, content);
        byte[] before = sha256(file);

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertArrayEquals(before, sha256(file));
    }

    @Test
    void open_ourHeaderFollowedByGarbage_failsAndLeavesFileUntouched() throws IOException {
        // The header says "ruc-cache, current version", so only reading the schema reveals the damage.
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.putAll(IntStream.range(0, 200).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList());
        }
        byte[] content = Files.readAllBytes(file);
        byte[] garbage = new byte[content.length - 100];
        new Random(3).nextBytes(garbage);
        System.arraycopy(garbage, 0, content, 100, garbage.length);
        Files.write(file, content);
        byte[] before = sha256(file);

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertArrayEquals(before, sha256(file));
    }

    @Test
    void open_newerSchemaVersion_failsNamingVersionAndLeavesFileUntouched() throws Exception {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.put(valid(ruc(1), "migo", NOW));
        }
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA user_version = 99");
        }
        byte[] before = sha256(file);

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertTrue(e.getMessage().contains("99"), e.getMessage());
        assertArrayEquals(before, sha256(file));
    }

    @Test
    void open_anotherApplicationsDatabase_failsAndLeavesFileUntouched() throws Exception {
        Path file = dir.resolve("cache.db");
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            statement.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
            statement.execute("INSERT INTO invoices (total) VALUES (118.0)");
        }
        byte[] before = sha256(file);

        StoreException e = assertThrows(StoreException.class, () -> SqliteStore.open(file, TIMEOUT));

        assertOneLineNaming(file, e);
        assertTrue(e.getMessage().contains("another application"), e.getMessage());
        assertArrayEquals(before, sha256(file));
    }

    @Test
    void open_currentFile_leavesItUnchanged() throws IOException {
        // Opening runs no DDL and no pragma that writes: a cached lookup must not rewrite the file.
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.putAll(IntStream.range(0, 100).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList());
        }
        byte[] before = sha256(file);

        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            assertEquals(1, store.find(ruc(5)).size());
            store.summarize(NOW);
        }

        assertArrayEquals(before, sha256(file));
    }

    @Test
    void open_emptyExistingFile_becomesAStore() throws IOException {
        Path file = Files.createFile(dir.resolve("cache.db"));

        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.put(valid(ruc(1), "migo", NOW));
            assertEquals(1, store.find(ruc(1)).size());
        }
    }

    // ---- locks and several connections --------------------------------------------------------------------------

    @Test
    void put_lockHeldLongerThanTimeout_failsSayingLockedAndWaited() throws Exception {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, Duration.ofMillis(300));
                Connection other = raw(file);
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");

            long started = System.nanoTime();
            StoreException e = assertThrows(StoreException.class, () -> store.put(valid(ruc(1), "migo", NOW)));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertEquals("the cache file " + file + " is locked by another process; waited 300ms", e.getMessage());
            assertTrue(waitedMillis >= 250, "gave up after " + waitedMillis + " ms");
            statement.execute("COMMIT");
            // The failed put left no transaction open behind it: the other connection can write at once.
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("COMMIT");
            assertEquals(List.of(), store.find(ruc(1)));
        }
    }

    @Test
    void put_afterALockTimeout_failsAtOnceInsteadOfWaitingAgain() throws Exception {
        // A command whose write timed out is failing; its final counter flush must not make the user wait twice.
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, Duration.ofMillis(2000));
                Connection other = raw(file);
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            assertThrows(StoreException.class, () -> store.put(valid(ruc(1), "migo", NOW)));
            long started = System.nanoTime();
            StoreException again = assertThrows(StoreException.class,
                    () -> store.addToCounters(java.util.Map.of("lookups", 1L)));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(again.getMessage().contains("is locked by another process"), again.getMessage());
            assertTrue(waitedMillis < 1000, "waited again for " + waitedMillis + " ms");
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void put_lockReleasedWithinTimeout_succeeds() throws Exception {
        Path file = dir.resolve("cache.db");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT);
                Connection other = raw(file);
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            Future<?> put = pool.submit(() -> store.put(valid(ruc(1), "migo", NOW)));

            // The put must wait while the other connection writes; a bounded wait shows it is still blocked.
            assertThrows(TimeoutException.class, () -> put.get(200, TimeUnit.MILLISECONDS));
            statement.execute("COMMIT");

            put.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(1, store.find(ruc(1)).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void find_whileAnotherConnectionWrites_isNotBlocked() throws Exception {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, Duration.ofMillis(300))) {
            store.put(valid(ruc(1), "migo", NOW));
            try (Connection other = raw(file); Statement statement = other.createStatement()) {
                statement.execute("BEGIN EXCLUSIVE");
                statement.execute("DELETE FROM entries");

                // WAL: readers see the last committed state while a writer works.
                assertEquals(1, store.find(ruc(1)).size());
                statement.execute("ROLLBACK");
            }
        }
    }

    @Test
    void open_sameNewFileFromTwoConnectionsAtOnce_bothSucceed() throws Exception {
        // Two cron jobs starting together on a fresh machine: one creates the schema, the other must accept it.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                Path file = dir.resolve("race-" + round).resolve("cache.db");
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<SqliteStore>> opened = List.of(
                        pool.submit(() -> {
                            together.await();
                            return SqliteStore.open(file, TIMEOUT);
                        }),
                        pool.submit(() -> {
                            together.await();
                            return SqliteStore.open(file, TIMEOUT);
                        }));
                for (Future<SqliteStore> store : opened) {
                    store.get(30, TimeUnit.SECONDS).close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoStoresOnOneFile_seeEachOthersWrites() {
        Path file = dir.resolve("cache.db");
        try (SqliteStore a = SqliteStore.open(file, TIMEOUT); SqliteStore b = SqliteStore.open(file, TIMEOUT)) {
            CacheEntry entry = valid(ruc(1), "migo", NOW);
            a.put(entry);
            assertEquals(List.of(entry), b.find(ruc(1)));

            b.addToCounters(Map.of("lookups", 1L));
            a.addToCounters(Map.of("lookups", 1L));
            assertEquals(Map.of("lookups", 2L), a.counters());

            assertEquals(1, b.remove(Selection.all()));
            assertEquals(List.of(), a.find(ruc(1)));
        }
    }

    // ---- full disk and damage -----------------------------------------------------------------------------------

    @Test
    void put_diskFull_failsSayingFullAndKeepsEarlierEntries() {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.put(valid(ruc(1), "migo", NOW));
            store.capAtCurrentSize();

            StoreException e = assertThrows(StoreException.class, () -> {
                for (int i = 100; i < 1_100; i++) {
                    store.put(big(ruc(i)));
                }
            });

            assertEquals("the disk holding the cache file " + file + " is full; free some space and retry",
                    e.getMessage());
            assertEquals(1, store.find(ruc(1)).size());
        }
    }

    @Test
    void putAll_diskFullHalfway_storesNoneOfTheBatch() {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.capAtCurrentSize();
            List<CacheEntry> batch = IntStream.range(0, 200).mapToObj(i -> big(ruc(i))).toList();

            assertThrows(StoreException.class, () -> store.putAll(batch));

            assertEquals(Map.of(), store.findAll(batch.stream().map(CacheEntry::ruc).toList()));
        }
    }

    @Test
    void checkHealth_damagedDataPage_reportsIntegrityCriticalWithoutThrowing() throws IOException {
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.putAll(IntStream.range(0, 3_000).mapToObj(i -> valid(ruc(i), "migo", NOW)).toList());
        }
        long pages = Files.size(file) / 4096;
        byte[] garbage = new byte[4096];
        new Random(11).nextBytes(garbage);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(pages / 2 * 4096);
            raf.write(garbage);
        }

        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            List<HealthCheck> checks = store.checkHealth();

            HealthCheck integrity = checks.stream().filter(c -> c.name().equals("store.integrity")).findFirst()
                    .orElseThrow();
            assertEquals(HealthCheck.Level.CRITICAL, integrity.level(), integrity.toString());
            assertTrue(integrity.detail().contains(file.toString()), integrity.detail());
        }
    }

    @Test
    void checkHealth_closedStore_reportsCriticalWithoutThrowing() {
        SqliteStore store = SqliteStore.open(dir.resolve("cache.db"), TIMEOUT);
        store.close();

        List<HealthCheck> checks = store.checkHealth();

        assertEquals(3, checks.size());
        checks.forEach(c -> assertEquals(HealthCheck.Level.CRITICAL, c.level(), c.toString()));
    }

    @Test
    void put_reservedHealthProvider_isRejected() {
        String ruc = ruc(1);
        CacheEntry sentinel = new CacheEntry(ruc, Schema.HEALTH_PROVIDER, Status.VALID, null, null,
                new TaxpayerRecord(ruc, "X", null, null, null, null, null, null, null, null), NOW, NOW);

        assertThrows(IllegalArgumentException.class, () -> store.put(sentinel));
    }

    @Test
    void sentinelLeftByACrash_isInvisible() throws Exception {
        // A process killed during a health check leaves its sentinel behind; nobody must ever see it.
        Path file = dir.resolve("cache.db");
        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            store.put(valid(ruc(1), "migo", NOW));
        }
        try (Connection raw = raw(file); Statement statement = raw.createStatement()) {
            statement.execute("INSERT INTO entries (ruc, provider, status, fetched_at, expires_at, razon_social) "
                    + "VALUES ('" + ruc(1) + "', '" + Schema.HEALTH_PROVIDER + "', 'VALID', 0, 0, 'X')");
        }

        try (SqliteStore store = SqliteStore.open(file, TIMEOUT)) {
            assertEquals(1, store.find(ruc(1)).size());
            assertEquals(1, store.findAll(List.of(ruc(1))).get(ruc(1)).size());
            assertEquals(1, store.list(Selection.all(), 10).size());
            assertEquals(Map.of("migo", 1L), store.summarize(NOW).byProvider());
            assertEquals(1, store.remove(Selection.all()));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static CacheEntry big(String ruc) {
        String address = "AV. ".repeat(500);
        return new CacheEntry(ruc, "migo", Status.VALID, null, null,
                new TaxpayerRecord(ruc, "EMPRESA", "ACTIVO", "HABIDO", null, address, null, null, null, null),
                NOW, NOW.plus(VALID_TTL));
    }

    private static void assertOneLineNaming(Path file, StoreException e) {
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** Returns whether a folder without write permission is really not writable: not so for root. */
    private boolean permissionsEnforced() throws IOException {
        Path probe = Files.createDirectory(dir.resolve("probe"));
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("r-x------"));
        return !Files.isWritable(probe);
    }

    private static Connection raw(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static long sizeOrZero(Path path) throws IOException {
        return Files.exists(path) ? Files.size(path) : 0;
    }

    private static byte[] sha256(Path file) throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
