package pe.ruccache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @Test
    void parse_documentedForms() {
        assertEquals(Duration.ofSeconds(90), DurationText.parse("90s"));
        assertEquals(Duration.ofMinutes(15), DurationText.parse("15m"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ofDays(7), DurationText.parse("7d"));
        assertEquals(Duration.ofMinutes(90), DurationText.parse("1h30m"));
        assertEquals(Duration.ofMillis(250), DurationText.parse("250ms"));
        assertEquals(Duration.ofDays(14), DurationText.parse(" 2W "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "h", "1x", "1h 30m", "-1h", "1.5h", "ten minutes"})
    void parse_malformed_messageShowsExamples(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));
        assertTrue(e.getMessage().contains("90s, 15m, 1h or 7d"), e.getMessage());
    }

    @Test
    void parse_longerThanACentury_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationText.parse("999999999d"));
        assertEquals("'999999999d' is too long; the longest is 36525d (100 years)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999d", "36526d", "9999999999999999999999s", "36525d1s", "5300w"})
    void parse_anyNumberOfDigitsPastTheLimit_tooLongNotMalformed(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));
        assertEquals("'" + text + "' is too long; the longest is 36525d (100 years)", e.getMessage());
    }

    @Test
    void parse_leadingZerosAndTheLimitItself_accepted() {
        assertEquals(java.time.Duration.ofDays(36_525), DurationText.parse("36525d"));
        assertEquals(java.time.Duration.ofMinutes(15), DurationText.parse("0000000000000015m"));
    }

    @Test
    void format_readableForms() {
        assertEquals("1h", DurationText.format(Duration.ofHours(1)));
        assertEquals("24h", DurationText.format(Duration.ofHours(24)));
        assertEquals("7d", DurationText.format(Duration.ofDays(7)));
        assertEquals("1h30m", DurationText.format(Duration.ofMinutes(90)));
        assertEquals("1m30s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("0s", DurationText.format(Duration.ZERO));
        assertEquals("250ms", DurationText.format(Duration.ofMillis(250)));
    }
}
