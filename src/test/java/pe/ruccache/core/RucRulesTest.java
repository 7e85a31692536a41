package pe.ruccache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RucRulesTest {

    private final RucRules rules = RucRules.defaults();

    /** Reads the shared test vectors: input, expected (VALID_FORMAT or INVALID), reason, note. */
    static Stream<Arguments> vectors() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (var in = RucRulesTest.class.getResourceAsStream("/ruc-vectors.csv");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.substring(1, line.length() - 1).split("\",\"", -1);
                rows.add(Arguments.of(f[0], f[1], f[2], f[3]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1} {2} ({3})")
    @MethodSource("vectors")
    void check_sharedVectors_matchExpectedVerdict(String input, String expected, String reason, String note) {
        LocalCheck result = rules.check(input);
        if (expected.equals("VALID_FORMAT")) {
            LocalCheck.Valid valid = assertInstanceOf(LocalCheck.Valid.class, result, note);
            assertEquals(RucRules.normalize(input), valid.ruc().value());
        } else {
            LocalCheck.Invalid invalid = assertInstanceOf(LocalCheck.Invalid.class, result, note);
            assertEquals(Reason.valueOf(reason), invalid.reason(), note);
        }
    }

    @Test
    void check_seedExample_validAndNeighbourInvalid() {
        assertInstanceOf(LocalCheck.Valid.class, rules.check("20100038146"));
        LocalCheck.Invalid bad = assertInstanceOf(LocalCheck.Invalid.class, rules.check("20100038147"));
        assertEquals(Reason.BAD_CHECK_DIGIT, bad.reason());
        assertEquals("check digit is 7; expected 6", bad.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.01000381E+10", "2,01000381E+10", "2.01000381e10", "20100038146.0", "20100038146,00"})
    void check_spreadsheetMangledValues_reportedNotRepaired(String input) {
        LocalCheck.Invalid invalid = assertInstanceOf(LocalCheck.Invalid.class, rules.check(input));
        assertEquals(Reason.SPREADSHEET_MANGLED, invalid.reason());
        assertTrue(invalid.detail().contains("spreadsheet"), invalid.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {" 20100038146 ", "\t20100038146\r", "20.100.038.146", "\u00A020100038146\u00A0"})
    void check_separatorsAndWhiteSpace_stripped(String input) {
        LocalCheck.Valid valid = assertInstanceOf(LocalCheck.Valid.class, rules.check(input));
        assertEquals("20100038146", valid.ruc().value());
    }

    /** White space and invisible characters a paste from a web page, a PDF or a word processor brings. */
    static Stream<Arguments> unicodeSpaces() {
        return Stream.of(
                Arguments.of('\u00A0', "NO-BREAK SPACE"),
                Arguments.of('\u2007', "FIGURE SPACE"),
                Arguments.of('\u202F', "NARROW NO-BREAK SPACE"),
                Arguments.of('\u3000', "IDEOGRAPHIC SPACE"),
                Arguments.of('\u0085', "NEXT LINE"),
                Arguments.of('\uFEFF', "ZERO WIDTH NO-BREAK SPACE (byte-order mark)"),
                Arguments.of('\u1680', "OGHAM SPACE MARK"),
                Arguments.of('\u2002', "EN SPACE"),
                Arguments.of('\u2009', "THIN SPACE"),
                Arguments.of('\u205F', "MEDIUM MATHEMATICAL SPACE"),
                Arguments.of('\u2028', "LINE SEPARATOR"),
                Arguments.of('\u2029', "PARAGRAPH SEPARATOR"),
                Arguments.of('\u200B', "ZERO WIDTH SPACE"),
                Arguments.of('\u200C', "ZERO WIDTH NON-JOINER"),
                Arguments.of('\u200D', "ZERO WIDTH JOINER"),
                Arguments.of('\u200E', "LEFT-TO-RIGHT MARK"),
                Arguments.of('\u200F', "RIGHT-TO-LEFT MARK"),
                Arguments.of('\u2060', "WORD JOINER"),
                Arguments.of('\u00AD', "SOFT HYPHEN"),
                Arguments.of('\u202A', "LEFT-TO-RIGHT EMBEDDING"));
    }

    @ParameterizedTest(name = "U+{0} {1}")
    @MethodSource("unicodeSpaces")
    void check_unicodeSpaceAroundAndBetweenDigits_removedLikeAnAsciiSpace(char space, String name) {
        for (String input : List.of(space + "20100038146", "20100038146" + space, space + "20100038146" + space,
                "20100" + space + "038146", "20" + space + "100" + space + "038" + space + "146",
                space + "20.100.038-146" + space)) {
            LocalCheck.Valid valid = assertInstanceOf(LocalCheck.Valid.class, rules.check(input), name);
            assertEquals("20100038146", valid.ruc().value(), name);
            assertEquals("20100038146", RucRules.normalize(input), name);
        }
        LocalCheck.Invalid mangled = assertInstanceOf(LocalCheck.Invalid.class,
                rules.check("20100038146,0" + space), name);
        assertEquals(Reason.SPREADSHEET_MANGLED, mangled.reason(), name);
        LocalCheck.Invalid bad = assertInstanceOf(LocalCheck.Invalid.class, rules.check(space + "20100038147"), name);
        assertEquals(Reason.BAD_CHECK_DIGIT, bad.reason(), name);
        assertEquals("20100038147", bad.normalized(), name);
        LocalCheck.Invalid only = assertInstanceOf(LocalCheck.Invalid.class, rules.check(space + " " + space), name);
        assertEquals(Reason.EMPTY, only.reason(), name);
    }

    @Test
    void check_everySpaceSeparatorAndFormatCharacter_removed() {
        for (char c = 0x80; c < 0xFFFF; c++) {
            int type = Character.getType(c);
            if (type == Character.SPACE_SEPARATOR || type == Character.FORMAT) {
                LocalCheck check = rules.check("20100" + c + "038146");
                assertInstanceOf(LocalCheck.Valid.class, check, String.format("U+%04X", (int) c));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"20100\u0001038146", "20100x038146", "20100\uFFFD038146", "20100_038146"})
    void check_otherCharactersBetweenDigits_stillNotDigits(String input) {
        LocalCheck.Invalid invalid = assertInstanceOf(LocalCheck.Invalid.class, rules.check(input));
        assertEquals(Reason.NOT_DIGITS, invalid.reason());
    }

    @Test
    void check_nonAsciiDigits_notDigits() {
        // Arabic-Indic digits pass Character.isDigit but are not a RUC.
        LocalCheck.Invalid invalid = assertInstanceOf(LocalCheck.Invalid.class,
                rules.check("٢٠١٠٠٠٣٨١٤٦"));
        assertEquals(Reason.NOT_DIGITS, invalid.reason());
    }

    @Test
    void check_onlySeparators_empty() {
        assertEquals(Reason.EMPTY, ((LocalCheck.Invalid) rules.check(" - . ")).reason());
        assertEquals(Reason.EMPTY, ((LocalCheck.Invalid) rules.check(null)).reason());
    }

    @Test
    void check_prefix16_configurable() {
        String ruc16 = "16" + "12345678";
        ruc16 = ruc16 + Ruc.checkDigit(ruc16);
        assertInstanceOf(LocalCheck.Valid.class, rules.check(ruc16));
        RucRules strict = RucRules.withPrefixes(Set.of("10", "15", "17", "20"));
        LocalCheck.Invalid invalid = assertInstanceOf(LocalCheck.Invalid.class, strict.check(ruc16));
        assertEquals(Reason.BAD_PREFIX, invalid.reason());
        assertEquals("prefix 16 is not an accepted taxpayer type (accepted: 10, 15, 17, 20)", invalid.detail());
    }

    @Test
    void withPrefixes_malformedPrefix_rejected() {
        assertThrows(IllegalArgumentException.class, () -> RucRules.withPrefixes(Set.of("2")));
        assertThrows(IllegalArgumentException.class, () -> RucRules.withPrefixes(Set.of()));
    }

    @Test
    void ofDni_keepsLeadingZerosAndAddsCheckDigit() {
        Ruc ruc = Ruc.ofDni("00065595");
        assertEquals("10000655959", ruc.value()); // listed as valid in the shared vectors
        assertThrows(IllegalArgumentException.class, () -> Ruc.ofDni("1234567"));
    }

    @Test
    void ruc_constructorRejectsBadCheckDigit() {
        assertThrows(IllegalArgumentException.class, () -> new Ruc("20100038147"));
    }
}
