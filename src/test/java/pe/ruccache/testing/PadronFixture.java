package pe.ruccache.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import pe.ruccache.core.Ruc;
import pe.ruccache.padron.PadronFormat;

/**
 * Builds padrón files for tests, in SUNAT's format: ISO-8859-1, the real header, '|' with a trailing '|', CRLF line
 * breaks. The standard set mixes good lines (names with Ñ and accents, quotes, {@code <>\}, untrimmed fields,
 * {@code ----}) with one line of each malformed kind, so every test sees the awkward cases.
 */
public final class PadronFixture {

    /** CONTINENTAL S.A.C., a company with a full address. */
    public static final String CONTINENTAL = "20100038146";
    /** SUNAT itself. */
    public static final String SUNAT = "20131312955";
    /** A person with untrimmed fields, BAJA DE OFICIO and NO HALLADO, no address. */
    public static final String PENA = ruc("1046286700");
    /** A company whose name has quotes, angle brackets and a backslash. */
    public static final String NANDU = ruc("2051234567");
    /** A company with SUNAT's truncated estado and condición. */
    public static final String TRUNCATED = ruc("2060111222");
    /** The RUC of the line with too few fields. */
    public static final String SHORT_LINE = ruc("2060000000");
    /** The RUC of the line with too many fields. */
    public static final String LONG_LINE = ruc("2060000001");
    /** The RUC of the line with a NUL byte. */
    public static final String NUL_LINE = ruc("2060000002");
    /** A RUC with a bad check digit (line skipped as BAD_RUC). */
    public static final String BAD_CHECK = "20100038147";
    /** A valid RUC that no line mentions. */
    public static final String ABSENT = ruc("2099999999");

    /** The good taxpayers of {@link #standardLines()}. */
    public static final int STANDARD_ROWS = 5;

    private PadronFixture() {
    }

    /** Returns {@code first10} with its check digit. */
    public static String ruc(String first10) {
        return first10 + Ruc.checkDigit(first10);
    }

    /** Returns the standard lines, without the header. */
    public static List<String> standardLines() {
        List<String> lines = new ArrayList<>();
        lines.add(CONTINENTAL + "|CONTINENTAL S.A.C.|ACTIVO|HABIDO|150131|AV.|JAVIER PRADO ESTE|URB.|SANTA CATALINA"
                + "|4200|-|-|-|-|-|");
        lines.add("  " + PENA + " |  PEÑA NÚÑEZ MARÍA JOSÉ   | BAJA DE OFICIO |NO HALLADO|-|-|-|-|-|-|-|-|-|-|-|");
        lines.add(NANDU + "|EMPRESA \"EL ÑANDÚ\" <SUR> \\ S.A.C.|ACTIVO|NO HABIDO|040101|JR.|LOS PINOS|----|-"
                + "|123|B|-|301|-|-|");
        lines.add(SUNAT + "|SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT|ACTIVO"
                + "|HABIDO|150101|AV.|GARCILASO DE LA VEGA|-|-|1472|-|-|-|-|-|");
        lines.add(TRUNCATED + "|CORPORACIÓN ANDINA DEL SUR S.A.C.|BAJA MULT.INSCR. Y O|NO HALLADO SE MUDO D|080101"
                + "|CAL.|SAN JOSÉ|A.H.|LOS ÁLAMOS|-|-|5|-|C|-|");
        lines.add(SHORT_LINE + "|SOLO TRES CAMPOS|ACTIVO|");
        lines.add(LONG_LINE + "|NOMBRE CON | EN MEDIO S.A.C.|ACTIVO|HABIDO|150101|AV.|ARICA|-|-|1|-|-|-|-|-|");
        lines.add(NUL_LINE + "|NOMBRE\0ROTO|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|");
        lines.add(BAD_CHECK + "|DÍGITO MALO S.A.|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|");
        lines.add(CONTINENTAL + "|CONTINENTAL REPETIDO S.A.C.|ACTIVO|HABIDO|150131|-|-|-|-|-|-|-|-|-|-|");
        return lines;
    }

    /** Returns good lines for {@code count} synthetic taxpayers, ascending, starting at company {@code 2070000000x}. */
    public static List<String> syntheticLines(int count) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String ruc = ruc(String.format(java.util.Locale.ROOT, "207%07d", i));
            lines.add(ruc + "|EMPRESA SINTÉTICA Nº " + i + " S.A.C.|ACTIVO|HABIDO|150101|-|-|-|-|-|-|-|-|-|-|");
        }
        return lines;
    }

    /** Returns the file's bytes: the header and {@code lines}, ISO-8859-1, CRLF. */
    public static byte[] latin1(List<String> lines) {
        return latin1(PadronFormat.HEADER, lines);
    }

    /** Returns the file's bytes with another header line. */
    public static byte[] latin1(String header, List<String> lines) {
        StringBuilder b = new StringBuilder(header).append("\r\n");
        for (String line : lines) {
            b.append(line).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code bytes} to {@code file} and returns it. */
    public static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    /** Writes a zip holding {@code text} as {@code padron_reducido_ruc.txt} and returns it. */
    public static Path zip(Path file, byte[] text) throws IOException {
        return zip(file, PadronFormat.ENTRY_NAME, text);
    }

    /** Writes a zip holding {@code text} under {@code entryName} and returns it. */
    public static Path zip(Path file, String entryName, byte[] text) throws IOException {
        Files.write(file, zipBytes(entryName, text));
        return file;
    }

    /** Returns a zip holding {@code text} under {@code entryName}. */
    public static byte[] zipBytes(String entryName, byte[] text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write(text);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** Writes the first {@code keep} bytes of {@code source} to {@code target}: a download cut short. */
    public static Path truncated(Path source, Path target, int keep) throws IOException {
        byte[] all = Files.readAllBytes(source);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(all, 0, Math.min(keep, all.length));
        }
        return target;
    }
}
