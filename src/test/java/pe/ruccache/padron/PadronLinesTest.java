package pe.ruccache.padron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.InputException;
import pe.ruccache.testing.PadronFixture;

class PadronLinesTest {

    /** One parsed line, copied out of the reused Line. */
    record Parsed(long number, long ruc, Malformation malformation, List<String> fields) {
    }

    private static List<Parsed> parse(byte[] bytes) throws IOException {
        return parse(new ByteArrayInputStream(bytes));
    }

    private static List<Parsed> parse(InputStream in) throws IOException {
        PadronLines lines = new PadronLines(in, "padron.txt");
        lines.header();
        PadronLines.Line line = new PadronLines.Line();
        List<Parsed> out = new ArrayList<>();
        while (lines.next(line)) {
            List<String> fields = new ArrayList<>();
            for (int i = 1; line.malformation == null && i < 15; i++) {
                fields.add(line.fields[i] == null ? null : new String(line.fields[i], StandardCharsets.UTF_8));
            }
            out.add(new Parsed(line.number, line.ruc, line.malformation, fields));
        }
        return out;
    }

    @Test
    void standardLines_goodOnesTrimmedAndDashesNull_badOnesClassified() throws IOException {
        List<Parsed> parsed = parse(PadronFixture.latin1(PadronFixture.standardLines()));
        assertEquals(10, parsed.size());
        Parsed pena = parsed.get(1);
        assertEquals(3, pena.number(), "the header is line 1");
        assertEquals(Long.parseLong(PadronFixture.PENA), pena.ruc());
        assertEquals("PEÑA NÚÑEZ MARÍA JOSÉ", pena.fields().get(0));
        assertEquals("BAJA DE OFICIO", pena.fields().get(1));
        assertNull(pena.fields().get(3), "'-' is empty");
        Parsed nandu = parsed.get(2);
        assertEquals("EMPRESA \"EL ÑANDÚ\" <SUR> \\ S.A.C.", nandu.fields().get(0));
        assertNull(nandu.fields().get(6), "'----' is empty too");
        assertEquals("301", nandu.fields().get(11));
        assertEquals(Malformation.TOO_FEW_FIELDS, parsed.get(5).malformation());
        assertEquals(Long.parseLong(PadronFixture.SHORT_LINE), parsed.get(5).ruc());
        assertEquals(Malformation.TOO_MANY_FIELDS, parsed.get(6).malformation());
        assertEquals(Malformation.NUL_BYTES, parsed.get(7).malformation());
        assertEquals(Long.parseLong(PadronFixture.NUL_LINE), parsed.get(7).ruc());
        assertEquals(Malformation.BAD_RUC, parsed.get(8).malformation());
        assertEquals(-1, parsed.get(8).ruc());
        // A repeated RUC parses fine; the snapshot counts it.
        assertNull(parsed.get(9).malformation());
    }

    @Test
    void lfOnly_noTrailingPipe_noFinalNewline_allRead() throws IOException {
        String text = PadronFormat.HEADER + "\n"
                + PadronFixture.CONTINENTAL + "|A|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|X\n"
                + PadronFixture.SUNAT + "|B|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|";
        List<Parsed> parsed = parse(text.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(2, parsed.size());
        assertEquals("X", parsed.get(0).fields().get(13));
        assertNull(parsed.get(0).malformation());
        assertEquals(Long.parseLong(PadronFixture.SUNAT), parsed.get(1).ruc());
    }

    @Test
    void blankLines_skippedNotCounted() throws IOException {
        byte[] bytes = PadronFixture.latin1(List.of("", "   ", PadronFixture.standardLines().get(0), ""));
        List<Parsed> parsed = parse(bytes);
        assertEquals(1, parsed.size());
        assertEquals(4, parsed.get(0).number());
    }

    @Test
    void rucWithLetters_orElevenDigitsWrongCheck_isBadRuc() throws IOException {
        List<Parsed> parsed = parse(PadronFixture.latin1(List.of(
                "2010003814X|A|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|",
                "201000381460|A|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|",
                "20100038147|A|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|")));
        for (Parsed p : parsed) {
            assertEquals(Malformation.BAD_RUC, p.malformation());
        }
    }

    @Test
    void latin1HighBytes_decodedAsLatin1() throws IOException {
        byte[] bytes = PadronFixture.latin1(List.of(PadronFixture.CONTINENTAL
                + "|ÑANDÚ ÁÉÍÓÚ ü ª º|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|"));
        assertEquals("ÑANDÚ ÁÉÍÓÚ ü ª º", parse(bytes).get(0).fields().get(0));
    }

    @Test
    void linesAcrossBufferBoundaries_readWhole() throws IOException {
        List<String> many = PadronFixture.syntheticLines(5_000);
        byte[] bytes = PadronFixture.latin1(many);
        // A stream that returns a few bytes at a time puts line ends at every possible buffer position.
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7777));
            }
        };
        List<Parsed> parsed = parse(trickle);
        assertEquals(5_000, parsed.size());
        assertTrue(parsed.stream().allMatch(p -> p.malformation() == null));
        assertEquals("EMPRESA SINTÉTICA Nº 4999 S.A.C.", parsed.get(4_999).fields().get(0));
    }

    @Test
    void endlessLine_refusedAsNotAPadronFile() {
        byte[] bytes = new byte[PadronLines.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(bytes, (byte) 'x');
        byte[] withHeader = PadronFixture.latin1(List.of());
        byte[] all = new byte[withHeader.length + bytes.length];
        System.arraycopy(withHeader, 0, all, 0, withHeader.length);
        System.arraycopy(bytes, 0, all, withHeader.length, bytes.length);
        InputException e = assertThrows(InputException.class, () -> parse(all));
        assertTrue(e.getMessage().startsWith("line 2 of padron.txt is longer than"), e.getMessage());
    }

    @Test
    void emptyStream_isEmptyFile() {
        InputException e = assertThrows(InputException.class, () -> parse(new byte[0]));
        assertEquals("padron.txt is empty", e.getMessage());
    }

    @Test
    void header_returnedWithoutLineBreak() throws IOException {
        PadronLines lines = new PadronLines(new ByteArrayInputStream(PadronFixture.latin1(List.of())), "p");
        assertArrayEquals(PadronFormat.HEADER.getBytes(StandardCharsets.ISO_8859_1), lines.header());
        assertFalse(lines.next(new PadronLines.Line()));
    }
}
