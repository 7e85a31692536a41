package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files in samples/ are what the README says they are, and answer as it says, offline and with no token. */
class SamplesTest {

    private static final Path SAMPLES = Path.of("samples");

    @TempDir
    Path home;

    @Test
    void zip_holdsExactlyTheTextFile() throws Exception {
        try (ZipFile zip = new ZipFile(SAMPLES.resolve("padron_reducido_ruc.zip").toFile())) {
            assertEquals(1, zip.size());
            byte[] inside = zip.getInputStream(zip.getEntry("padron_reducido_ruc.txt")).readAllBytes();
            assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("padron_reducido_ruc.txt")), inside);
        }
    }

    @Test
    void samplePadron_imports_andCustomerListAnswersOffline_withEveryKindOfAnswer() throws Exception {
        CliHarness cli = new CliHarness(home);
        assertEquals(0, cli.run("padron", "import", SAMPLES.resolve("padron_reducido_ruc.zip").toString()).code());
        JsonNode status = new ObjectMapper().readTree(cli.run("padron", "status", "--format", "json").out());
        assertEquals(297, status.get("rows").asInt());
        assertEquals(3, status.get("malformed_total").asInt(), "one too-many, one too-few, one bad check digit");

        // Excel in es-PE writes Windows-1252 and ';'.
        List<String> lines = Files.readAllLines(SAMPLES.resolve("clientes.csv"), Charset.forName("windows-1252"));
        assertEquals("Código;Razón social;RUC;Ciudad;Saldo (S/);Última compra", lines.get(0));
        StringBuilder rucs = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            rucs.append(line.split(";")[2]).append('\n');
        }
        CliHarness.Result r = cli.runWithInput(rucs.toString(), "lookup", "--provider", "padron", "--offline",
                "--format", "jsonl", "-");
        assertEquals(1, r.code(), "some RUCs are INVALID: " + r);
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        HashSet<String> seen = new HashSet<>();
        for (String line : r.out().split("\n")) {
            JsonNode o = new ObjectMapper().readTree(line);
            String kind = o.get("status").asText() + (o.get("reason").isNull() ? "" : " " + o.get("reason").asText());
            kinds.merge(kind, 1, Integer::sum);
            if (!seen.add(o.get("ruc").asText())) {
                duplicates.add(o.get("ruc").asText());
            }
        }
        assertEquals(Map.of("VALID", 29, "INVALID NOT_FOUND", 4, "INVALID BAD_CHECK_DIGIT", 2,
                "INVALID SPREADSHEET_MANGLED", 1), kinds);
        assertTrue(duplicates.size() >= 3, duplicates.toString());
    }
}
