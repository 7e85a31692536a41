import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Writes a synthetic file in the format of SUNAT's padrón reducido (ISO-8859-1, '|'-delimited, trailing '|', '-' for
 * empty, the real header), for benchmarks: LINES taxpayers in ascending RUC order, with correct check digits, about
 * 96 bytes a line (the real file averages about 83). Optionally writes CSV_OUT: every RUC once, shuffled,
 * with a header, as a customer list for the bulk benchmark. Deterministic: the same arguments give the same bytes.
 *
 * <p>Usage: {@code java bench/GeneratePadron.java OUT.txt LINES [CSV_OUT]}
 */
public class GeneratePadron {

    static final String HEADER = "RUC|NOMBRE O RAZÓN SOCIAL|ESTADO DEL CONTRIBUYENTE|CONDICIÓN DE DOMICILIO|UBIGEO|"
            + "TIPO DE VÍA|NOMBRE DE VÍA|CÓDIGO DE ZONA|TIPO DE ZONA|NÚMERO|INTERIOR|LOTE|DEPARTAMENTO|MANZANA|"
            + "KILÓMETRO|";

    static final String[] SURNAMES = {"QUISPE", "MAMANI", "HUAMÁN", "FLORES", "RODRÍGUEZ", "SÁNCHEZ", "GARCÍA",
        "ROJAS", "GONZÁLES", "CHÁVEZ", "RAMÍREZ", "TORRES", "MUÑOZ", "IBAÑEZ", "NÚÑEZ", "PEÑA", "CASTAÑEDA",
        "MENDOZA", "VARGAS", "ESPINOZA", "CCAHUANA", "YUPANQUI", "ZÚÑIGA", "BRICEÑO", "OCAÑA", "DÍAZ", "LÓPEZ"};
    static final String[] GIVEN = {"JUAN", "MARÍA", "ROSA", "JOSÉ", "LUIS", "CARMEN", "JESÚS", "ÁNGEL", "NOEMÍ",
        "SOFÍA", "RAÚL", "INÉS", "MOISÉS", "CÉSAR", "ÑUSTA", "PEDRO", "ANA", "VÍCTOR", "ELENA", "JULIO"};
    static final String[] WORDS = {"INVERSIONES", "COMERCIAL", "CONSTRUCTORA", "AGROINDUSTRIAS", "TRANSPORTES",
        "SERVICIOS", "DISTRIBUIDORA", "CORPORACIÓN", "ANDINA", "DEL SUR", "PERÚ", "MINERA", "TEXTIL", "ÑAÑA",
        "LOGÍSTICA", "EL PROGRESO", "SAN MARTÍN", "LOS ÁLAMOS", "MULTISERVICIOS", "FERRETERÍA", "PESQUERA"};
    static final String[] FORMS = {"S.A.C.", "E.I.R.L.", "S.R.L.", "S.A.", "SOCIEDAD ANONIMA CERRADA"};
    static final String[] ESTADOS = {"ACTIVO", "ACTIVO", "ACTIVO", "ACTIVO", "ACTIVO", "ACTIVO", "BAJA DE OFICIO",
        "BAJA DEFINITIVA", "BAJA DEFINITIVA", "SUSPENSION TEMPORAL", "BAJA PROV. POR OFICI", "BAJA MULT.INSCR. Y O"};
    static final String[] CONDICIONES = {"HABIDO", "HABIDO", "HABIDO", "HABIDO", "HABIDO", "HABIDO", "HABIDO",
        "NO HABIDO", "NO HALLADO", "NO HALLADO SE MUDO D", "PENDIENTE", "NO HALLADO NO EXISTE"};
    static final String[] VIAS = {"AV.", "JR.", "CAL.", "PJ.", "CAR.", "PRO."};
    static final String[] VIA_NAMES = {"JAVIER PRADO ESTE", "GARCILASO DE LA VEGA", "LOS PINOS", "HUARAZ", "ARICA",
        "28 DE JULIO", "PANAMERICANA NORTE", "LA MARINA", "BOLOGNESI", "SAN JOSÉ", "LOS OLIVOS", "ÑAÑA"};
    static final String[] ZONE_CODES = {"URB.", "A.H.", "P.J.", "COO.", "RES.", "CAS."};
    static final String[] ZONES = {"SANTA CATALINA", "LOS JARDINES", "VILLA EL SALVADOR", "SAN GABRIEL", "ÑAÑA",
        "LA PERLA", "SANTA ROSA", "LOS ÁLAMOS"};

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int lines = Integer.parseInt(args[1]);
        Path csv = args.length > 2 ? Path.of(args[2]) : null;
        Random random = new Random(42);
        long[] rucs = rucs(lines, random);
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            write(o, HEADER + "\r\n");
            StringBuilder line = new StringBuilder(160);
            for (long ruc : rucs) {
                line.setLength(0);
                line(line, ruc, random);
                write(o, line.append("\r\n").toString());
            }
        }
        if (csv != null) {
            long[] shuffled = rucs.clone();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 16)) {
                write(o, "ruc\n");
                StringBuilder b = new StringBuilder(16);
                for (long ruc : shuffled) {
                    b.setLength(0);
                    write(o, b.append(ruc).append('\n').toString());
                }
            }
        }
    }

    /** Returns {@code count} distinct valid RUCs, ascending: about 75% persons (10), 3% 15/17, 22% companies (20). */
    static long[] rucs(int count, Random random) {
        long[] out = new long[count];
        int persons = count * 75 / 100;
        int others = count * 3 / 100;
        int companies = count - persons - others;
        int i = 0;
        i = fill(out, i, persons, "10", 1_000_000, 78_000_000, random);
        i = fill(out, i, others / 2, "15", 100_000, 99_000_000, random);
        i = fill(out, i, others - others / 2, "17", 100_000, 99_000_000, random);
        fill(out, i, companies, "20", 10_000_000, 61_200_000, random);
        Arrays.sort(out);
        return out;
    }

    private static int fill(long[] out, int at, int n, String prefix, long from, long to, Random random) {
        // Evenly spread, with a random offset inside each slot, so the numbers are distinct and look unordered.
        long slot = Math.max(1, (to - from) / Math.max(1, n));
        for (int k = 0; k < n; k++) {
            long body = (from + k * slot + (slot > 1 ? random.nextInt((int) Math.min(slot, Integer.MAX_VALUE)) : 0))
                    % 100_000_000L;
            String digits = Long.toString(100_000_000L + body);
            String first = prefix + digits.substring(1);
            out[at++] = Long.parseLong(first + checkDigit(first));
        }
        return at;
    }

    static int checkDigit(String first) {
        int[] weights = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += (first.charAt(i) - '0') * weights[i];
        }
        return (11 - sum % 11) % 10;
    }

    private static void line(StringBuilder b, long ruc, Random r) {
        boolean company = ruc >= 20_000_000_000L;
        b.append(ruc).append('|');
        if (company) {
            b.append(pick(WORDS, r)).append(' ').append(pick(WORDS, r));
            if (r.nextInt(20) == 0) {
                b.append(" \"").append(pick(ZONES, r)).append('"');
            }
            b.append(' ').append(pick(FORMS, r));
        } else {
            b.append(pick(SURNAMES, r)).append(' ').append(pick(SURNAMES, r)).append(' ').append(pick(GIVEN, r));
            if (r.nextBoolean()) {
                b.append(' ').append(pick(GIVEN, r));
            }
        }
        b.append('|').append(pick(ESTADOS, r)).append('|').append(pick(CONDICIONES, r)).append('|');
        boolean address = company ? r.nextInt(20) < 17 : r.nextInt(5) == 0;
        if (!address) {
            b.append(r.nextInt(3) == 0 ? "-" : ubigeo(r));
            b.append("|-|-|-|-|-|-|-|-|-|-|");
            return;
        }
        b.append(ubigeo(r)).append('|');
        b.append(pick(VIAS, r)).append('|').append(pick(VIA_NAMES, r)).append('|');
        if (r.nextBoolean()) {
            b.append(pick(ZONE_CODES, r)).append('|').append(pick(ZONES, r)).append('|');
        } else {
            b.append("----|-|");
        }
        b.append(r.nextInt(4) == 0 ? "-" : Integer.toString(1 + r.nextInt(3000))).append('|');
        b.append(r.nextInt(5) == 0 ? Integer.toString(100 + r.nextInt(900)) : "-").append('|');
        boolean lot = r.nextInt(4) == 0;
        b.append(lot ? Integer.toString(1 + r.nextInt(40)) : "-").append('|');
        b.append("-|");
        b.append(lot ? String.valueOf((char) ('A' + r.nextInt(20))) : "-").append('|');
        b.append("-|");
    }

    private static String ubigeo(Random r) {
        int code = 10000 * (1 + r.nextInt(25)) + 100 * (1 + r.nextInt(9)) + 1 + r.nextInt(20);
        return code < 100000 ? "0" + code : Integer.toString(code);
    }

    private static String pick(String[] values, Random r) {
        return values[r.nextInt(values.length)];
    }

    private static void write(OutputStream o, String s) throws IOException {
        o.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
