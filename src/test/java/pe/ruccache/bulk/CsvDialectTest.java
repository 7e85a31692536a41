package pe.ruccache.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pe.ruccache.core.InputException;

/** How bulk reads the files users have: encodings, delimiters, quoting, headers, and files that are not CSV. */
class CsvDialectTest {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    private static CsvInput open(byte[] bytes) {
        return CsvInput.open(new ByteArrayInputStream(bytes), "test.csv", bytes.length, null, null);
    }

    private static List<String[]> all(CsvInput in) {
        List<String[]> rows = new ArrayList<>();
        for (String[] r = in.next(); r != null; r = in.next()) {
            rows.add(r);
        }
        return rows;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void excelEsPe_semicolonWindows1252Crlf_readWithAccentsAndDecimalCommas() {
        byte[] bytes = "Razón Social;N° RUC;Importe\r\nPANADERÍA ÑUSTA;20100038146;1.234,50\r\n".getBytes(CP1252);
        try (CsvInput in = open(bytes)) {
            assertEquals(';', in.format().delimiter());
            assertEquals(CP1252, in.format().charset());
            List<String[]> rows = all(in);
            assertArrayEquals(new String[] {"Razón Social", "N° RUC", "Importe"}, rows.get(0));
            assertArrayEquals(new String[] {"PANADERÍA ÑUSTA", "20100038146", "1.234,50"}, rows.get(1));
            assertEquals("\r\n", in.lineTerminator());
            Layout layout = Layout.decide(rows, ColumnSpec.AUTO, false, "test.csv");
            assertTrue(layout.hasHeader());
            assertEquals(1, layout.rucColumn());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '/', value = {
        "UTF-8 / true",
        "UTF-8 / false",
        "windows-1252 / false",
    })
    void encodings_withAndWithoutBom_decodedAndBomNotInFirstCell(String charset, boolean bom) {
        byte[] text = "ruc,razón\n20100038146,COMPAÑÍA\n".getBytes(Charset.forName(charset));
        byte[] bytes = bom ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text) : text;
        try (CsvInput in = open(bytes)) {
            List<String[]> rows = all(in);
            assertEquals("ruc", rows.get(0)[0]);
            assertEquals("COMPAÑÍA", rows.get(1)[1]);
            assertEquals(bom, in.format().bom());
            assertEquals(0, in.fallbackBytes());
        }
    }

    @Test
    void utf16WithBom_tabDelimited_excelUnicodeText() {
        byte[] bytes = concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                "RUC\tNombre\r\n20100038146\tÑANDÚ SAC\r\n".getBytes(StandardCharsets.UTF_16LE));
        try (CsvInput in = open(bytes)) {
            assertEquals('\t', in.format().delimiter());
            List<String[]> rows = all(in);
            assertArrayEquals(new String[] {"20100038146", "ÑANDÚ SAC"}, rows.get(1));
        }
    }

    @Test
    void windows1252BytesAfterTheSniffedSample_readAsWindows1252AndCounted() {
        StringBuilder ascii = new StringBuilder("ruc,nombre\n");
        while (ascii.length() < InputSniffer.SAMPLE_BYTES + 10_000) {
            ascii.append("20100038146,EMPRESA SIN TILDES\n");
        }
        byte[] bytes = concat(ascii.toString().getBytes(StandardCharsets.US_ASCII),
                "20100038146,PANADERÍA ÑUSTA\n".getBytes(CP1252));
        try (CsvInput in = open(bytes)) {
            assertEquals(StandardCharsets.UTF_8, in.format().charset());
            List<String[]> rows = all(in);
            assertEquals("PANADERÍA ÑUSTA", rows.get(rows.size() - 1)[1]);
            assertEquals(2, in.fallbackBytes());
            assertEquals(ascii.length() + "20100038146,PANADER".length(), in.firstFallbackOffset());
        }
    }

    @Test
    void undecodableBytesWithExplicitEncoding_replacedNotDropped() {
        byte[] bytes = concat("ruc,nombre\n20100038146,A".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xFF, (byte) 0xFE}, "B\n".getBytes(StandardCharsets.US_ASCII));
        try (CsvInput in = CsvInput.open(new ByteArrayInputStream(bytes), "x", -1, StandardCharsets.UTF_8, null)) {
            List<String[]> rows = all(in);
            assertEquals("A\uFFFD\uFFFDB", rows.get(1)[1]);
            assertEquals(2, in.fallbackBytes());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '/', value = {
        "'ruc,nombre,ciudad\n20100038146,\"ACME, S.A.\",LIMA\n' / ','",
        "'ruc;nombre;direccion\n20100038146;ACME;AV. LOS OLIVOS, 123\n20131312955;SUNAT;AV. GARCILASO 1472\n' / ';'",
        "'ruc\tnombre\n20100038146\tACME\n' / '\t'",
        "'ruc|nombre|x\n20100038146|ACME|1\n' / '|'",
        "'20100038146\n20131312955\n' / ','",
    })
    void delimiter_sniffedFromConsistentCounts(String text, char expected) {
        try (CsvInput in = open(text.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(expected, in.format().delimiter());
        }
    }

    @Test
    void plainListWithCommasInAFewLines_oneValuePerLine_writtenCommaSeparated() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append(i == 5 ? "20100038146,0\n" : i == 12 ? "2,01000381E+10\n" : "20131312955\n");
        }
        try (CsvInput in = open(text.toString().getBytes(StandardCharsets.UTF_8))) {
            assertTrue(in.format().singleColumn());
            assertEquals(',', in.format().delimiter());
            List<String[]> rows = all(in);
            assertEquals(20, rows.size());
            assertArrayEquals(new String[] {"20100038146,0"}, rows.get(5));
            assertArrayEquals(new String[] {"2,01000381E+10"}, rows.get(12));
            rows.forEach(r -> assertEquals(1, r.length));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '/', value = {
        "'20100038146,0\n' / true",
        "'20100038146,0\n20131312955,00\n2,01000381E+10\n' / true",
        "'ruc,flag\n20100038146,0\n20131312955,0\n' / false",
        "'20100038146,1500\n20131312955,0\n20131312955,20\n' / false",
    })
    void linesThatAreWhollyADecimalCommaNumber_notSplitByTheirComma(String text, boolean singleColumn) {
        // An es-PE export of a number column writes '20100038146,0' on every line: one value, not a RUC and a 0.
        try (CsvInput in = open(text.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(singleColumn, in.format().singleColumn());
        }
    }

    @Test
    void delimiterInMostLines_stillTheDelimiter_shortRowsPadded() {
        String text = "ruc,nombre\n20100038146,ACME\n20131312955\n20100038146,SUNAT\n";
        try (CsvInput in = open(text.getBytes(StandardCharsets.UTF_8))) {
            assertFalse(in.format().singleColumn());
            assertEquals(',', in.format().delimiter());
        }
    }

    @Test
    void quotedFields_holdNewlinesDelimitersAndDoubledQuotes_lineNumbersFollowPhysicalLines() {
        String text = "ruc,nota\r\n20100038146,\"línea 1\r\nlínea 2, con coma\"\r\n20131312955,\"dijo \"\"sí\"\"\"\r\n"
                + "20100038146,EMPRESA \"LA ESTRELLA\" SAC\r\n";
        try (CsvInput in = open(text.getBytes(StandardCharsets.UTF_8))) {
            in.next();
            assertArrayEquals(new String[] {"20100038146", "línea 1\r\nlínea 2, con coma"}, in.next());
            assertEquals(2, in.line());
            assertArrayEquals(new String[] {"20131312955", "dijo \"sí\""}, in.next());
            assertEquals(4, in.line());
            // A quote inside an unquoted field is an ordinary character.
            assertArrayEquals(new String[] {"20100038146", "EMPRESA \"LA ESTRELLA\" SAC"}, in.next());
            assertNull(in.next());
        }
    }

    @Test
    void blankLines_andLinesOfOnlyDelimiters_skippedAndCounted() {
        String text = "\nruc;nombre\n\n   \n20100038146;A\n;;\n\n20131312955;B\n\n";
        try (CsvInput in = open(text.getBytes(StandardCharsets.UTF_8))) {
            List<String[]> rows = all(in);
            assertEquals(3, rows.size());
            assertEquals(6, in.blankLines());
        }
    }

    @Test
    void tenMegabyteLine_readWhole() {
        String big = "x".repeat(10 * 1024 * 1024);
        String text = "ruc,nota\n20100038146," + big + "\n20131312955,\"" + big + "\"\n20100038146,fin\n";
        try (CsvInput in = open(text.getBytes(StandardCharsets.US_ASCII))) {
            in.next();
            assertEquals(big.length(), in.next()[1].length());
            assertEquals(big.length(), in.next()[1].length());
            assertEquals("fin", in.next()[1]);
        }
    }

    @Test
    void quoteNeverClosed_inputExceptionNamingTheLine() {
        String text = "ruc,nota\n20100038146,ok\n20131312955,\"abierta\n20100038146,x\n";
        try (CsvInput in = open(text.getBytes(StandardCharsets.US_ASCII))) {
            in.next();
            in.next();
            InputException e = assertThrows(InputException.class, in::next);
            assertEquals("line 3: a quoted field opened here is never closed before the end of the input",
                    e.getMessage());
        }
    }

    @Test
    void emptyFile_inputException() {
        InputException e = assertThrows(InputException.class, () -> open(new byte[0]));
        assertEquals("test.csv is empty: no rows to check", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '/', value = {
        "504B0304140000000800 / test.csv is not text: it looks like a zip archive (an Excel .xlsx workbook is one); "
                + "save the sheet as CSV first",
        "D0CF11E0A1B11AE10000 / test.csv is not text: it looks like an Excel .xls workbook; save the sheet as CSV "
                + "first",
        "32303130303033383134360A00FF / test.csv is not text: it has a NUL byte at offset 12; bulk reads CSV or a "
                + "plain list of RUCs (UTF-16 files need a byte-order mark)",
    })
    void binaryFiles_refusedWithAClearMessage(String hex, String message) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        InputException e = assertThrows(InputException.class, () -> open(bytes));
        assertEquals(message, e.getMessage());
    }

    @Test
    void controlCharacters_refused() {
        byte[] bytes = new byte[2000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 7 == 0 ? 0x01 : 'a' + i % 20);
        }
        InputException e = assertThrows(InputException.class, () -> open(bytes));
        assertTrue(e.getMessage().contains("control characters"), e.getMessage());
    }

    private static List<String[]> records(String... lines) {
        List<String[]> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.split(";", -1));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '/', value = {
        "'Razón Social;RUC;x' / 1",
        "'nombre;Nro. RUC' / 1",
        "'NÚMERO DE DOCUMENTO;nombre' / 0",
        "'nombre;num_doc' / 1",
        "'id;ruc_proveedor' / 1",
        "'construcción;Documento' / 1",
    })
    void header_namesTheRucColumn_caseAccentAndSpaceInsensitive(String header, int column) {
        Layout layout = Layout.decide(records(header, "A;20100038146;1"), ColumnSpec.AUTO, false, "f");
        assertTrue(layout.hasHeader());
        assertEquals(column, layout.rucColumn());
    }

    @Test
    void noKnownHeader_columnFoundByValues_headerTold() {
        Layout layout = Layout.decide(records("cliente;codigo", "ACME;20100038146", "SUNAT;20131312955"),
                ColumnSpec.AUTO, false, "f");
        assertTrue(layout.hasHeader());
        assertEquals(1, layout.rucColumn());
    }

    @Test
    void noHeader_firstRowIsData() {
        Layout layout = Layout.decide(records("ACME;20100038146", "SUNAT;20131312955"), ColumnSpec.AUTO, false,
                "f");
        assertFalse(layout.hasHeader());
        assertEquals(1, layout.rucColumn());
        assertEquals(2, layout.width());
        Layout forced = Layout.decide(records("ruc", "20100038146"), ColumnSpec.AUTO, true, "f");
        assertFalse(forced.hasHeader());
    }

    @Test
    void plainListOfJunk_oneColumnChecked_noRowTakenForAHeader() {
        Layout layout = Layout.decide(records("hola", "123"), ColumnSpec.AUTO, false, "f");
        assertFalse(layout.hasHeader());
        assertEquals(0, layout.rucColumn());
    }

    @Test
    void columnByNameAndByIndex() {
        assertEquals(2, Layout.decide(records("a;b;Mi RUC", "x;y;1"), ColumnSpec.parse("mi_ruc"), false, "f")
                .rucColumn());
        Layout labelled = Layout.decide(records("a;b", "20100038146;x"), ColumnSpec.parse("1"), false, "f");
        assertEquals(0, labelled.rucColumn());
        assertTrue(labelled.hasHeader());
        // A first cell with digits in the chosen column is data, not a label.
        Layout byIndex = Layout.decide(records("2010003814;x", "20100038146;y"), ColumnSpec.parse("1"), false, "f");
        assertFalse(byIndex.hasHeader());
    }

    @Test
    void namedColumnMissing_errorListsTheColumnsFound() {
        InputException e = assertThrows(InputException.class, () -> Layout.decide(records("nombre;ruc_cliente"),
                ColumnSpec.parse("ruc"), false, "clientes.csv"));
        assertEquals("no column named 'ruc' in clientes.csv; columns found: 1='nombre', 2='ruc_cliente'",
                e.getMessage());
        InputException index = assertThrows(InputException.class, () -> Layout.decide(records("a;b", "1;2"),
                ColumnSpec.parse("3"), false, "x.csv"));
        assertEquals("there is no column 3 in x.csv: it has 2 columns (1='a', 2='b')", index.getMessage());
    }

    @Test
    void noColumnLooksLikeRucs_errorAsksForColumn() {
        InputException e = assertThrows(InputException.class, () -> Layout.decide(
                records("nombre;ciudad", "ACME;LIMA"), ColumnSpec.AUTO, false, "f.csv"));
        assertTrue(e.getMessage().startsWith("cannot tell which column of f.csv holds the RUCs"), e.getMessage());
        assertTrue(e.getMessage().endsWith("columns found: 1='nombre', 2='ciudad'; name it with --column NAME or "
                + "--column NUMBER"), e.getMessage());
    }
}
