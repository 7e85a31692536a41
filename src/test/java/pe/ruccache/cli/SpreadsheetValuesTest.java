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
}
