package pe.ruccache.padron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.InputException;

class PadronFormatTest {

    private static void check(String header, java.nio.charset.Charset charset) {
        PadronFormat.checkHeader(header.getBytes(charset), "padron.txt");
    }

    @Test
    void sunatHeader_latin1_accepted() {
        check(PadronFormat.HEADER, StandardCharsets.ISO_8859_1);
        // Padding around names and a missing trailing '|' change nothing.
        String padded = " " + PadronFormat.HEADER.replace("|", " | ").strip().replaceAll("\\|$", "");
        check(padded, StandardCharsets.ISO_8859_1);
    }

    @Test
    void changedColumn_refusedNamingTheColumn() {
        String changed = PadronFormat.HEADER.replace("ESTADO DEL CONTRIBUYENTE", "ESTADO");
        InputException e = assertThrows(InputException.class, () -> check(changed, StandardCharsets.ISO_8859_1));
        assertEquals("the padrón's columns changed: column 3 of padron.txt is 'ESTADO' where 'ESTADO DEL "
                + "CONTRIBUYENTE' was expected; this ruc-cache cannot read the new layout, so the file was not "
                + "imported", e.getMessage());
    }

    @Test
    void accentDropped_isAChangedColumn() {
        // A re-encoded or retyped header is a different file: the accents are part of SUNAT's header.
        String changed = PadronFormat.HEADER.replace("KILÓMETRO", "KILOMETRO");
        InputException e = assertThrows(InputException.class, () -> check(changed, StandardCharsets.ISO_8859_1));
        assertTrue(e.getMessage().contains("column 15 of padron.txt is 'KILOMETRO' where 'KILÓMETRO'"),
                e.getMessage());
    }

    @Test
    void extraColumn_refusedNamingIt() {
        InputException e = assertThrows(InputException.class,
                () -> check(PadronFormat.HEADER + "CORREO|", StandardCharsets.ISO_8859_1));
        assertTrue(e.getMessage().contains("has 16 columns where 15 were expected (column 16 is 'CORREO')"),
                e.getMessage());
    }

    @Test
    void missingColumn_refusedNamingIt() {
        String shorter = PadronFormat.HEADER.replace("MANZANA|KILÓMETRO|", "MANZANA|");
        InputException e = assertThrows(InputException.class, () -> check(shorter, StandardCharsets.ISO_8859_1));
        assertTrue(e.getMessage().contains("has 14 columns where 15 were expected (column 15 'KILÓMETRO' is "
                + "missing)"), e.getMessage());
    }

    @Test
    void utf8File_refusedAsWrongEncoding() {
        InputException e = assertThrows(InputException.class, () -> check(PadronFormat.HEADER, StandardCharsets.UTF_8));
        assertTrue(e.getMessage().startsWith("padron.txt is encoded in UTF-8"), e.getMessage());
    }

    @Test
    void noHeader_firstLineIsATaxpayer_saysSo() {
        InputException e = assertThrows(InputException.class,
                () -> check("20100038146|CONTINENTAL S.A.C.|ACTIVO|HABIDO|-|-|-|-|-|-|-|-|-|-|-|",
                        StandardCharsets.ISO_8859_1));
        assertTrue(e.getMessage().startsWith("padron.txt has no header line"), e.getMessage());
    }

    @Test
    void notDelimited_saysNotAPadronFile() {
        InputException e = assertThrows(InputException.class,
                () -> check("<!DOCTYPE html><html>", StandardCharsets.ISO_8859_1));
        assertTrue(e.getMessage().startsWith("padron.txt is not a padrón file"), e.getMessage());
    }
}
