package pe.ruccache.core;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations the way users type them: {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}. */
public final class DurationText {

    /** Past this, a duration is a typo, and instants it reaches cannot be written as ISO-8601 dates. */
    private static final Duration LONGEST = Duration.ofDays(36_525);

    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w)");

    private DurationText() {
    }

    /**
     * Returns the duration written in {@code text}: one or more number-unit pairs ({@code 1h30m}) with units
     * ms, s, m, h, d, w; throws IllegalArgumentException with a message a user can act on otherwise.
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; use e.g. 90s, 15m, 1h or 7d");
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 90s, 15m, 1h or 7d");
            }
            // Any number of digits is a duration, one too long past the limit rather than "not a duration".
            String digits = m.group(1).replaceFirst("^0+(?=.)", "");
            if (digits.length() > 12) {
                throw tooLong(text);
            }
            long n = Long.parseLong(digits);
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> throw new IllegalStateException(m.group(2));
            });
            if (total.compareTo(LONGEST) > 0) {
                throw tooLong(text);
            }
            at = m.end();
        }
        return total;
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text + "' is too long; the longest is " + LONGEST.toDays()
                + "d (100 years)");
    }

    /** Returns the shortest exact text for {@code d}, e.g. {@code 1h}, {@code 24h}, {@code 1h30m}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (d.isNegative()) {
            out.append('-');
            d = d.negated();
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        long millis = d.toMillisPart();
        if (hours > 0) {
            // Whole days read better as days only beyond 48h: 24h is the documented default TTL.
            if (hours > 48 && hours % 24 == 0 && minutes == 0 && seconds == 0 && millis == 0) {
                return out.append(hours / 24).append('d').toString();
            }
            out.append(hours).append('h');
        }
        if (minutes > 0) {
            out.append(minutes).append('m');
        }
        if (seconds > 0) {
            out.append(seconds).append('s');
        }
        if (millis > 0) {
            out.append(millis).append("ms");
        }
        return out.toString();
    }
}
