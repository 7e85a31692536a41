package pe.ruccache.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Reads the {@code Retry-After} header, which is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
final class RetryAfter {

    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,10}");

    private RetryAfter() {
    }

    /**
     * Returns the wait {@code header} asks for, measured from {@code now}; zero for a date in the past, null when the
     * header is absent or malformed (a malformed header is ignored rather than failing the answer).
     */
    static Duration parse(String header, Instant now) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (SECONDS.matcher(value).matches()) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            // RFC_1123_DATE_TIME accepts the IMF-fixdate form every current server sends.
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
