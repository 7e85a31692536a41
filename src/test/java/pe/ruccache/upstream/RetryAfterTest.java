package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2015-10-21T07:27:30Z");

    @Test
    void seconds_thatManySeconds() {
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse(" 120 ", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("0", NOW));
    }

    @Test
    void httpDate_timeUntilThen() {
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW));
    }

    @Test
    void httpDateInThePast_zero() {
        assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW));
    }

    @Test
    void absentNegativeOrGarbage_null() {
        assertNull(RetryAfter.parse(null, NOW));
        assertNull(RetryAfter.parse("-5", NOW));
        assertNull(RetryAfter.parse("1.5", NOW));
        assertNull(RetryAfter.parse("tomorrow", NOW));
    }
}
