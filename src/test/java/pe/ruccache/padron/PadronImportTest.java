package pe.ruccache.padron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.core.InputException;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;
import pe.ruccache.testing.MutableClock;
import pe.ruccache.testing.PadronFixture;
import pe.ruccache.upstream.ProviderAnswer;

/** Importing padrón files into snapshots, and answering from them; real SQLite files in a temporary folder. */
class PadronImportTest {

    private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
    private static final Instant FILE_DATE = Instant.parse("2026-11-24T10:30:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private Path snapshot;
    private PadronService padron;

    @BeforeEach
    void setUp() {
        snapshot = dir.resolve("home").resolve("padron.db");
        padron = service(0);
    }

    private PadronService service(long maxPages) {
        return new PadronService(new PadronSettings(snapshot, PadronSettings.SUNAT_URL, Duration.ofDays(3)), clock,
                () -> {
                    throw new AssertionError("no download in these tests");
                }, maxPages);
    }

    private Path standardText() throws IOException {
        Path file = PadronFixture.write(dir.resolve("padron_reducido_ruc.txt"),
                PadronFixture.latin1(PadronFixture.standardLines()));
        Files.setLastModifiedTime(file, FileTime.from(FILE_DATE));
        return file;
    }

    private Path syntheticZip(String name, int rows) throws IOException {
        Path file = PadronFixture.zip(dir.resolve(name), PadronFixture.latin1(PadronFixture.syntheticLines(rows)));
        Files.setLastModifiedTime(file, FileTime.from(FILE_DATE));
        return file;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private ProviderAnswer ask(String ruc) {
        try (PadronProvider provider = padron.openProvider()) {
            return provider.fetch(new Ruc(ruc));
        }
    }

    @Test
    void importText_keepsGoodLines_countsEachMalformedKind_recordsFacts() throws Exception {
        Path file = standardText();
        List<Long> skipped = new ArrayList<>();
        ImportSummary summary = padron.importFile(file, false, new ImportListener() {
            @Override
            public void malformed(long line, Malformation kind) {
                skipped.add(line);
            }
        });
        SnapshotInfo info = summary.info();
        assertEquals(PadronFixture.STANDARD_ROWS, info.rows());
        assertEquals(Map.of(Malformation.TOO_FEW_FIELDS, 1L, Malformation.TOO_MANY_FIELDS, 1L,
                Malformation.NUL_BYTES, 1L, Malformation.BAD_RUC, 1L, Malformation.DUPLICATE_RUC, 1L),
                info.malformed());
        assertEquals(List.of(7L, 8L, 9L, 10L), skipped, "line numbers count the header as line 1");
        assertEquals(file.toString(), info.source());
        assertEquals(Files.size(file), info.fileBytes());
        assertEquals(sha256(file), info.sha256());
        assertEquals(NOW, info.importedAt());
        assertEquals(FILE_DATE, info.dataAsOf(), "the file's modification time dates the data");
        assertEquals(-1, summary.previousRows());
        assertEquals(info, padron.current());
    }

    @Test
    void provider_foundWithRecordDatedAsSnapshot_addressComposed_absentIsNotFound() throws Exception {
        padron.importFile(standardText(), false, ImportListener.NONE);
        ProviderAnswer.Found continental = assertInstanceOf(ProviderAnswer.Found.class,
                ask(PadronFixture.CONTINENTAL));
        assertEquals("padron", continental.provider());
        TaxpayerRecord r = continental.record();
        assertEquals(new TaxpayerRecord(PadronFixture.CONTINENTAL, "CONTINENTAL S.A.C.", "ACTIVO", "HABIDO", "150131",
                "AV. JAVIER PRADO ESTE NRO. 4200 URB. SANTA CATALINA", null, null, null, FILE_DATE), r);
        TaxpayerRecord pena = ((ProviderAnswer.Found) ask(PadronFixture.PENA)).record();
        assertEquals("PEÑA NÚÑEZ MARÍA JOSÉ", pena.razonSocial());
        assertEquals("NO HALLADO", pena.condicion());
        assertNull(pena.ubigeo());
        assertNull(pena.direccion());
        TaxpayerRecord nandu = ((ProviderAnswer.Found) ask(PadronFixture.NANDU)).record();
        assertEquals("EMPRESA \"EL ÑANDÚ\" <SUR> \\ S.A.C.", nandu.razonSocial());
        assertEquals("JR. LOS PINOS NRO. 123 DPTO. 301 INT. B", nandu.direccion());
        TaxpayerRecord truncated = ((ProviderAnswer.Found) ask(PadronFixture.TRUNCATED)).record();
        assertEquals("BAJA MULT.INSCR. Y O", truncated.estado());
        assertEquals("CAL. SAN JOSÉ MZA. C LOTE. 5 A.H. LOS ÁLAMOS", truncated.direccion());
        ProviderAnswer absent = ask(PadronFixture.ABSENT);
        ProviderAnswer.NotFound notFound = assertInstanceOf(ProviderAnswer.NotFound.class, absent);
        assertEquals("padron: not in SUNAT's padrón as of 2026-11-24T10:30:00Z", notFound.detail());
    }

    @Test
    void provider_rucOfMalformedLine_failsSoTheChainMovesOn() throws Exception {
        padron.importFile(standardText(), false, ImportListener.NONE);
        ProviderAnswer.Failed failed = assertInstanceOf(ProviderAnswer.Failed.class, ask(PadronFixture.LONG_LINE));
        assertEquals(Reason.BAD_RESPONSE, failed.reason());
        assertTrue(failed.detail().contains("line 8") && failed.detail().contains("too many fields"),
                failed.detail());
        // The duplicate's RUC has a good line: that one answers.
        assertInstanceOf(ProviderAnswer.Found.class, ask(PadronFixture.CONTINENTAL));
    }

    @Test
    void fetchAll_answersLikeFetchOneByOne() throws Exception {
        padron.importFile(standardText(), false, ImportListener.NONE);
        List<Ruc> rucs = new ArrayList<>();
        for (String r : List.of(PadronFixture.SUNAT, PadronFixture.ABSENT, PadronFixture.CONTINENTAL,
                PadronFixture.NUL_LINE, PadronFixture.PENA, PadronFixture.SUNAT)) {
            rucs.add(new Ruc(r));
        }
        for (int i = 0; i < 1200; i++) {
            // More than one batch, so the batches' boundaries are crossed.
            rucs.add(new Ruc(PadronFixture.ruc(String.format(java.util.Locale.ROOT, "208%07d", i))));
        }
        try (PadronProvider provider = padron.openProvider()) {
            Map<Ruc, ProviderAnswer> all = provider.fetchAll(rucs);
            assertEquals(rucs.stream().distinct().count(), all.size());
            for (Ruc ruc : rucs) {
                assertEquals(provider.fetch(ruc), all.get(ruc), ruc.value());
            }
        }
    }

    @Test
    void importZip_sameAsText_hashIsTheZips() throws Exception {
        Path zip = PadronFixture.zip(dir.resolve("padron_reducido_ruc.zip"),
                PadronFixture.latin1(PadronFixture.standardLines()));
        SnapshotInfo info = padron.importFile(zip, false, ImportListener.NONE).info();
        assertEquals(PadronFixture.STANDARD_ROWS, info.rows());
        assertEquals(5, info.malformedTotal());
        assertEquals(sha256(zip), info.sha256());
        assertEquals(Files.size(zip), info.fileBytes());
    }

    @Test
    void importZip_entryUnderAnotherName_single_text_isUsed() throws Exception {
        Path zip = PadronFixture.zip(dir.resolve("descarga.zip"), "PADRON_REDUCIDO_RUC.TXT",
                PadronFixture.latin1(PadronFixture.syntheticLines(3)));
        assertEquals(3, padron.importFile(zip, false, ImportListener.NONE).info().rows());
    }

    @Test
    void truncatedZip_refused_previousSnapshotKeepsServing() throws Exception {
        padron.importFile(syntheticZip("old.zip", 50), false, ImportListener.NONE);
        byte[] before = Files.readAllBytes(snapshot);
        Path full = syntheticZip("new.zip", 2000);
        Path cut = PadronFixture.truncated(full, dir.resolve("cut.zip"), (int) Files.size(full) / 2);
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(cut, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith(cut + " is not a complete zip file"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the snapshot as of 2026-11-24T10:30:00Z keeps serving"), e.getMessage());
        assertEquals(50, padron.current().rows());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(snapshot)), "the snapshot is untouched");
        assertFalse(Files.exists(snapshot.resolveSibling("padron.db.tmp")), "no scratch file is left");
    }

    @Test
    void zipWithDamagedData_refusedByInflaterOrChecksum() throws Exception {
        padron.importFile(syntheticZip("old.zip", 50), false, ImportListener.NONE);
        Path zip = syntheticZip("damaged.zip", 3000);
        byte[] bytes = Files.readAllBytes(zip);
        // Flip bytes in the middle of the compressed data, leaving the zip's directory intact.
        for (int i = bytes.length / 3; i < bytes.length / 3 + 16; i++) {
            bytes[i] ^= 0x5A;
        }
        Files.write(zip, bytes);
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(zip, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith(zip + " is damaged"), e.getMessage());
        assertEquals(50, padron.current().rows());
    }

    @Test
    void changedHeader_refused_previousKept() throws Exception {
        padron.importFile(syntheticZip("old.zip", 50), false, ImportListener.NONE);
        Path file = PadronFixture.write(dir.resolve("nuevo.txt"), PadronFixture.latin1(
                PadronFormat.HEADER.replace("UBIGEO", "CÓDIGO UBIGEO"), PadronFixture.syntheticLines(100)));
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(file, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith("the padrón's columns changed: column 5 of " + file
                + " is 'CÓDIGO UBIGEO' where 'UBIGEO' was expected"), e.getMessage());
        assertEquals(50, padron.current().rows());
    }

    @Test
    void webPageSavedAsZip_refusedSayingWhatItIs() throws Exception {
        Path file = PadronFixture.write(dir.resolve("padron_reducido_ruc.zip"),
                "<html><body>Servicio no disponible</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(file, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith(file + " is not a zip file: it starts with '<htm' (a web page"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("no snapshot was created"), e.getMessage());
        assertNull(padron.current());
    }

    @Test
    void zipWithoutThePadron_refusedListingWhatItHolds() throws Exception {
        Path zip = PadronFixture.zip(dir.resolve("otro.zip"), "clientes.csv", new byte[] {'a'});
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(zip, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith(zip + " holds no padron_reducido_ruc.txt (it holds: clientes.csv)"),
                e.getMessage());
    }

    @Test
    void missingFile_inputError() {
        Path missing = dir.resolve("no-such.zip");
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(missing, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith(missing + " does not exist"), e.getMessage());
    }

    @Test
    void headerOnly_refusedAsNoTaxpayers() throws Exception {
        Path file = PadronFixture.write(dir.resolve("vacio.txt"), PadronFixture.latin1(List.of()));
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(file, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith(file + " holds no taxpayer lines"), e.getMessage());
    }

    @Test
    void textCutShort_fewerThanNinetyPercent_refusedUnlessAllowed() throws Exception {
        padron.importFile(syntheticZip("old.zip", 1000), false, ImportListener.NONE);
        Path cut = PadronFixture.write(dir.resolve("cut.txt"), PadronFixture.latin1(
                PadronFixture.syntheticLines(1000).subList(0, 600)));
        InputException e = assertThrows(InputException.class,
                () -> padron.importFile(cut, false, ImportListener.NONE));
        assertTrue(e.getMessage().contains("holds 600 taxpayers, fewer than 90% of the 1000 in the current "
                + "snapshot"), e.getMessage());
        assertEquals(1000, padron.current().rows());
        ImportSummary allowed = padron.importFile(cut, true, ImportListener.NONE);
        assertEquals(600, allowed.info().rows());
        assertEquals(1000, allowed.previousRows());
    }

    @Test
    void diskFull_storeError_previousKept_scratchRemoved() throws Exception {
        padron.importFile(syntheticZip("old.zip", 50), false, ImportListener.NONE);
        // Ten pages cannot hold five thousand taxpayers: SQLite reports the database (disk) full.
        PadronService small = service(10);
        Path big = syntheticZip("big.zip", 5000);
        StoreException e = assertThrows(StoreException.class,
                () -> small.importFile(big, false, ImportListener.NONE));
        assertTrue(e.getMessage().startsWith("the disk holding the padrón snapshot "
                + snapshot.resolveSibling("padron.db.tmp") + " is full"), e.getMessage());
        assertTrue(e.getMessage().endsWith("keeps serving"), e.getMessage());
        assertEquals(50, padron.current().rows());
        assertFalse(Files.exists(snapshot.resolveSibling("padron.db.tmp")));
    }

    @Test
    void secondImport_replacesFirst_whileAnOpenProviderKeepsItsSnapshot() throws Exception {
        padron.importFile(syntheticZip("old.zip", 50), false, ImportListener.NONE);
        try (PadronProvider open = padron.openProvider()) {
            clock.advance(Duration.ofDays(1));
            padron.importFile(standardText(), true, ImportListener.NONE);
            // The open snapshot is the file it opened: one run sees one snapshot.
            assertEquals(50, open.info().rows());
            assertInstanceOf(ProviderAnswer.Found.class,
                    open.fetch(new Ruc(PadronFixture.ruc("2070000049"))));
        }
        assertEquals(PadronFixture.STANDARD_ROWS, padron.current().rows());
        assertInstanceOf(ProviderAnswer.NotFound.class, ask(PadronFixture.ruc("2070000049")));
    }

    @Test
    void snapshotFileAndFolder_privateToTheUser() throws Exception {
        padron.importFile(standardText(), false, ImportListener.NONE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot.getParent())));
    }

    @Test
    void anotherImportRunning_refusedAtOnce() throws Exception {
        Path file = standardText();
        Files.createDirectories(snapshot.getParent());
        Path lockFile = snapshot.resolveSibling("padron.db.lock");
        // Another holder of the lock: a second channel in this process is refused just as another process is.
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            assertNotNull(held);
            StoreException e = assertThrows(StoreException.class,
                    () -> padron.importFile(file, false, ImportListener.NONE));
            assertTrue(e.getMessage().startsWith("another ruc-cache is importing the padrón into " + snapshot),
                    e.getMessage());
        }
        assertEquals(PadronFixture.STANDARD_ROWS, padron.importFile(file, false, ImportListener.NONE).info().rows());
    }

    @Test
    void foreignSqliteFile_atSnapshotPath_refusedUntouched() throws Exception {
        Files.createDirectories(snapshot.getParent());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + snapshot);
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x)");
        }
        byte[] before = Files.readAllBytes(snapshot);
        StoreException e = assertThrows(StoreException.class, () -> padron.current());
        assertTrue(e.getMessage().startsWith("the file " + snapshot + " is not a ruc-cache padrón snapshot"),
                e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(snapshot)));
    }

    @Test
    void health_ageBeyondLimit_warns_withinLimit_ok_absentInChain_dependsOnChain() throws Exception {
        assertEquals(List.of(), padron.health(false, false), "no snapshot and not in the chain: nothing to say");
        assertEquals("WARNING", padron.health(true, false).get(0).level().name());
        assertEquals("CRITICAL", padron.health(true, true).get(0).level().name());
        padron.importFile(standardText(), false, ImportListener.NONE);
        assertEquals("OK", padron.health(true, true).get(0).level().name());
        clock.advance(Duration.ofDays(3));
        var check = padron.health(true, true).get(0);
        assertEquals("WARNING", check.level().name());
        assertEquals("5 taxpayers as of 2026-11-24T10:30:00Z (4d4h old), older than 3d; run 'ruc-cache padron "
                + "update'", check.detail());
    }

    @Test
    void batchedReadsAnswerAsSingleReads_nullFieldsAndSeparatorCharactersIncluded() throws IOException {
        List<String> lines = new ArrayList<>(PadronFixture.standardLines());
        String unit = PadronFixture.ruc("2070000001");
        String record = PadronFixture.ruc("2070000002");
        // Control characters that the batched read uses to pack a row: such a row is read column by column.
        lines.add(unit + "|NOMBRE\u001FCON SEPARADOR|ACTIVO|HABIDO|150101|AV.|LIMA\u001F|-|-|1|-|-|-|-|-|");
        lines.add(record + "|\u001E|ACTIVO|-|-|-|-|-|-|-|-|-|-|-|-|");
        // Values holding the row separator: in the name, and in the address's last part shaped so that each piece
        // passes for a whole row, the second one a taxpayer the padrón does not hold.
        String group = PadronFixture.ruc("2070000003");
        String lastPart = PadronFixture.ruc("2070000004");
        String injected = "\u001D" + PadronFixture.ABSENT
                + "\u001FFALSO\u001FACTIVO\u001FHABIDO\u001F150101\u001FAV. X";
        lines.add(group + "|NOMBRE" + injected + "|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|");
        lines.add(lastPart + "|NOMBRE|ACTIVO|HABIDO|150101|-|-|-|URB." + injected + "|-|-|-|-|-|-|");
        Path file = PadronFixture.write(dir.resolve("padron_reducido_ruc.txt"), PadronFixture.latin1(lines));
        padron.importFile(file, false, ImportListener.NONE);
        List<String> rucs = List.of(PadronFixture.CONTINENTAL, PadronFixture.PENA, PadronFixture.NANDU,
                PadronFixture.SUNAT, PadronFixture.TRUNCATED, unit, record, group, lastPart,
                PadronFixture.ABSENT);
        long[] keys = rucs.stream().mapToLong(Long::parseLong).toArray();
        try (Snapshot snap = Snapshot.open(snapshot)) {
            Map<Long, Snapshot.Entry> batch = snap.findAll(keys);
            for (long key : keys) {
                assertEquals(snap.find(key), batch.get(key), "RUC " + key);
            }
            assertNull(batch.get(Long.parseLong(PadronFixture.ABSENT)));
            TaxpayerRecord withSeparator = ((Snapshot.Entry.Taxpayer) batch.get(Long.parseLong(unit))).record();
            assertEquals("NOMBRE\u001FCON SEPARADOR", withSeparator.razonSocial());
            TaxpayerRecord withRowSeparator = ((Snapshot.Entry.Taxpayer) batch.get(Long.parseLong(group))).record();
            assertEquals("NOMBRE" + injected, withRowSeparator.razonSocial());
            TaxpayerRecord inAddress = ((Snapshot.Entry.Taxpayer) batch.get(Long.parseLong(lastPart))).record();
            assertEquals("URB." + injected, inAddress.direccion());
            long[] alone = {Long.parseLong(lastPart), Long.parseLong(PadronFixture.ABSENT)};
            assertEquals(Map.of(alone[0], batch.get(alone[0])), snap.findAll(alone), "only the row the padrón holds");
            TaxpayerRecord pena = ((Snapshot.Entry.Taxpayer) batch.get(Long.parseLong(PadronFixture.PENA))).record();
            assertEquals("PEÑA NÚÑEZ MARÍA JOSÉ", pena.razonSocial());
            assertNull(pena.ubigeo(), "'-' is empty, read back as no value");
        }
    }

    @Test
    void batchedRead_aRowShapedValueInALaterBatch_leavesAnEarlierBatchsAnswerAlone() throws IOException {
        // The first batch of 500 finds CONTINENTAL; a value in the second is shaped so that its pieces pass for a
        // whole row of CONTINENTAL before the batch turns out not to split into its count of rows.
        // Rows follow it in its batch, so the count is exceeded only after the made-up row.
        List<String> synthetic = new ArrayList<>(PadronFixture.syntheticLines(600));
        String odd = synthetic.get(550).substring(0, 11);
        synthetic.set(550, odd + "|NOMBRE|ACTIVO|HABIDO|150101|-|-|-|URB.\u001D" + PadronFixture.CONTINENTAL
                + "\u001FFALSO\u001FBAJA DE OFICIO\u001FNO HALLADO\u001F150101\u001FAV. X|-|-|-|-|-|-|");
        List<String> lines = new ArrayList<>(PadronFixture.standardLines());
        lines.addAll(synthetic);
        padron.importFile(PadronFixture.write(dir.resolve("padron_reducido_ruc.txt"), PadronFixture.latin1(lines)),
                false, ImportListener.NONE);
        List<Long> keys = new ArrayList<>();
        keys.add(Long.parseLong(PadronFixture.CONTINENTAL));
        for (String line : synthetic) {
            keys.add(Long.parseLong(line.substring(0, 11)));
        }
        try (Snapshot snap = Snapshot.open(snapshot)) {
            Map<Long, Snapshot.Entry> batch = snap.findAll(keys.stream().mapToLong(Long::longValue).toArray());
            assertEquals(keys.size(), batch.size());
            for (long key : keys) {
                assertEquals(snap.find(key), batch.get(key), "RUC " + key);
            }
        }
    }

    @Test
    void batchedRead_whileTheFirstConnectionIsBusy_readsThroughASecondWithoutWaiting() throws Exception {
        padron.importFile(standardText(), false, ImportListener.NONE);
        List<String> rucs = List.of(PadronFixture.CONTINENTAL, PadronFixture.PENA, PadronFixture.NANDU,
                PadronFixture.SUNAT, PadronFixture.TRUNCATED, PadronFixture.SHORT_LINE, PadronFixture.ABSENT);
        long[] keys = rucs.stream().mapToLong(Long::parseLong).toArray();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (Snapshot snap = Snapshot.open(snapshot)) {
            Map<Long, Snapshot.Entry> expected = new HashMap<>();
            for (long key : keys) {
                Snapshot.Entry entry = snap.find(key);
                if (entry != null) {
                    expected.put(key, entry);
                }
            }
            // The first connection stays busy (the other store reader of a bulk run) until the read ends: a read
            // that waited for it would never end, and the wait below would time out.
            Map<Long, Snapshot.Entry> batch = snap.connection().locked(() -> CompletableFuture
                    .supplyAsync(() -> snap.findAll(keys), reader).orTimeout(10, TimeUnit.SECONDS).join());
            assertEquals(expected, batch);
            assertInstanceOf(Snapshot.Entry.MalformedLine.class, batch.get(Long.parseLong(PadronFixture.SHORT_LINE)));
        } finally {
            reader.shutdownNow();
        }
    }
}
