package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pe.ruccache.cli.RucStub.ruc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.opencsv.CSVReaderBuilder;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pe.ruccache.testing.MutableClock;

/** Values as spreadsheets and pastes leave them, through bulk and lookup end to end, APIMIGO on MockWebServer. */
class SpreadsheetValuesTest {

    @TempDir
    Path home;

    private final MockWebServer migo = new MockWebServer();
    private final RucStub stub = new RucStub(false);
    private CliHarness cli;

    @BeforeEach
    void setUp() throws Exception {
        migo.setDispatcher(stub);
        migo.start();
        cli = new CliHarness(home);
        cli.clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
        cli.env.put("RUC_CACHE_MIGO_TOKEN", "tok-Values-31");
        cli.env.put("RUC_CACHE_MIGO_URL", migo.url("/api/v2").toString());
        cli.env.put("RUC_CACHE_HTTP_RETRIES", "0");
    }

    @AfterEach
    void tearDown() {
        migo.close();
    }

    /** Twenty plain RUCs with two es-PE decimal-comma values among them, as an export of a number column has. */
    private static List<String> plainListWithDecimalCommas() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            lines.add(ruc(i));
            if (i == 7) {
                lines.add("20100038146,0");
            }
            if (i == 15) {
                lines.add("2,01000381E+10");
            }
        }
        return lines;
    }

    @Test
    void bulk_plainListWithAFewDecimalCommas_notSplit_commaValuesSpreadsheetMangled() throws Exception {
        List<String> input = plainListWithDecimalCommas();
        CliHarness.Result r = cli.runWithInput(String.join("\n", input) + "\n", "bulk", "-");
        assertEquals(1, r.code(), r.toString());
        List<String[]> rows;
        try (var reader = new CSVReaderBuilder(new StringReader(r.out())).build()) {
            rows = reader.readAll();
        }
        // One header and one row per input line; a comma in a minority of lines split none of them.
        assertEquals(input.size() + 1, rows.size(), r.out());
        List<String> header = List.of(rows.get(0));
        assertEquals("column_1", header.get(0));
        assertEquals("ruc_normalized", header.get(1));
        int status = header.indexOf("status");
        int reason = header.indexOf("reason");
        for (int i = 0; i < input.size(); i++) {
            String[] row = rows.get(i + 1);
            assertEquals(input.get(i), row[0]);
            if (input.get(i).contains(",")) {
                assertEquals("INVALID", row[status], input.get(i));
                assertEquals("SPREADSHEET_MANGLED", row[reason], input.get(i));
            } else {
                assertEquals("VALID", row[status], input.get(i));
            }
        }
        assertEquals(20, stub.total.get());
        assertEquals(0, stub.requestsFor("20100038146"));
    }

    @Test
    void bulk_everyLineADecimalCommaNumber_noneSplit_allSpreadsheetMangled() throws Exception {
        CliHarness.Result one = cli.runWithInput("20100038146,0\n", "bulk", "--format", "jsonl", "-");
        assertEquals(1, one.code(), one.toString());
        JsonNode row = new ObjectMapper().readTree(one.out());
        assertEquals("20100038146,0", row.get("column_1").asText());
        assertEquals("SPREADSHEET_MANGLED", row.get("reason").asText());
        String all = ruc(1) + ",0\n" + ruc(2) + ",0\n" + ruc(3) + ",00\n";
        CliHarness.Result r = cli.runWithInput(all, "bulk", "--format", "jsonl", "-");
        assertEquals(1, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertEquals("SPREADSHEET_MANGLED", new ObjectMapper().readTree(line).get("reason").asText(), line);
        }
        assertEquals(0, stub.total.get());
    }

    @Test
    void lookupStdin_plainListWithAFewDecimalCommas_commaValuesSpreadsheetMangled() throws Exception {
        List<String> input = plainListWithDecimalCommas();
        CliHarness.Result r = cli.runWithInput(String.join("\n", input) + "\n", "lookup", "--format", "json",
                "-");
        assertEquals(1, r.code(), r.toString());
        JsonNode answers = new ObjectMapper().readTree(r.out());
        assertEquals(input.size(), answers.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode a = answers.get(i);
            assertEquals(input.get(i), a.get("input").asText());
            if (input.get(i).contains(",")) {
                assertEquals("INVALID", a.get("status").asText(), input.get(i));
                assertEquals("SPREADSHEET_MANGLED", a.get("reason").asText(), input.get(i));
            } else {
                assertEquals("VALID", a.get("status").asText(), input.get(i));
            }
        }
        assertEquals(20, stub.total.get());
    }

    /** U+00A0, U+2007, U+202F, U+3000, U+0085, U+FEFF, U+1680, U+2009, U+2028, U+200B..U+200F, U+2060, U+00AD. */
    private static final String SPACES = "\u00A0\u2007\u202F\u3000\u0085\uFEFF\u1680\u2009\u2028\u200B\u200C"
            + "\u200D\u200E\u200F\u2060\u00AD";

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"00A0", "2007", "202F", "3000", "0085", "FEFF", "1680", "2009", "2028", "200B", "200C",
        "200D", "200E", "200F", "2060", "00AD"})
    void lookup_unicodeSpaceAroundAndBetweenDigits_validAndAskedAsTheBareRuc(String hex) throws Exception {
        String c = String.valueOf((char) Integer.parseInt(hex, 16));
        String around = c + "20100038146" + c;
        String between = "20" + c + "100" + c + "038" + c + "146";
        CliHarness.Result args = cli.run("lookup", "--format", "json", around, between);
        assertEquals(0, args.code(), args.toString());
        // The value after the first line of stdin, where a U+FEFF is not a byte-order mark.
        CliHarness.Result stdin = cli.runWithInput(ruc(1) + "\n" + around + "\n" + between + "\n", "lookup",
                "--format", "json", "-");
        assertEquals(0, stdin.code(), stdin.toString());
        ObjectMapper json = new ObjectMapper();
        for (JsonNode a : List.of(json.readTree(args.out()).get(0), json.readTree(args.out()).get(1),
                json.readTree(stdin.out()).get(1), json.readTree(stdin.out()).get(2))) {
            assertEquals("VALID", a.get("status").asText(), a.toString());
            assertEquals("20100038146", a.get("ruc").asText(), a.toString());
        }
        assertEquals(1, stub.requestsFor("20100038146"));
        assertEquals(2, stub.total.get());
    }

    @Test
    void bulk_unicodeSpacesInTheRucColumn_removedEveryRowValid() throws Exception {
        StringBuilder input = new StringBuilder("nombre;ruc\n");
        for (char c : SPACES.toCharArray()) {
            input.append("ACME;").append(c).append("20").append(c).append("100038146").append(c).append('\n');
        }
        CliHarness.Result r = cli.runWithInput(input.toString(), "bulk", "--format", "jsonl", "-");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(SPACES.length(), lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode row = json.readTree(line);
            assertEquals("VALID", row.get("status").asText(), line);
            assertEquals("20100038146", row.get("ruc_normalized").asText(), line);
        }
        assertEquals(1, stub.total.get());
    }
}
