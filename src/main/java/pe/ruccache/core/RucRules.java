package pe.ruccache.core;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Normalises user input and checks it locally: length, digits, accepted prefix and check digit.
 * Values that a spreadsheet turned into numbers are reported, never repaired.
 */
public final class RucRules {

    /** The prefixes accepted when none are configured: persons (10, 15, 17), 16 (disputed) and companies (20). */
    public static final Set<String> DEFAULT_PREFIXES = Set.of("10", "15", "16", "17", "20");

    private static final RucRules DEFAULTS = new RucRules(DEFAULT_PREFIXES);

    /** {@code 2.01000381E+10}, {@code 2,01000381E10}: scientific notation written by a spreadsheet. */
    private static final Pattern SCIENTIFIC = Pattern.compile("[0-9](?:[.,][0-9]+)?[eE]\\+?[0-9]+");
    /** {@code 20100038146.0}: a number formatted with decimals. */
    private static final Pattern DECIMAL_TAIL = Pattern.compile("[0-9]{9,12}[.,]0+");

    private final Set<String> prefixes;
    private final String prefixList;

    private RucRules(Collection<String> prefixes) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String p : prefixes) {
            String trimmed = p.strip();
            if (trimmed.length() != 2 || !Ruc.allAsciiDigits(trimmed)) {
                throw new IllegalArgumentException("a RUC prefix has two digits: '" + p + "'");
            }
            sorted.add(trimmed);
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("at least one RUC prefix must be accepted");
        }
        this.prefixes = Set.copyOf(sorted);
        this.prefixList = String.join(", ", sorted);
    }

    /** Returns the rules with the default prefixes. */
    public static RucRules defaults() {
        return DEFAULTS;
    }

    /** Returns rules accepting exactly {@code prefixes}; throws IllegalArgumentException for a malformed prefix. */
    public static RucRules withPrefixes(Collection<String> prefixes) {
        return new RucRules(prefixes);
    }

    /** Returns the accepted prefixes. */
    public Set<String> prefixes() {
        return prefixes;
    }

    /**
     * Returns the value with white space and the separators dot and hyphen removed. White space is Unicode's: the
     * ASCII spaces, every space separator (no-break, figure, narrow, ideographic...), line and paragraph
     * separators, NEXT LINE, and the invisible format characters a paste brings (zero-width spaces and joiners,
     * direction marks, the byte-order mark, the soft hyphen).
     */
    public static String normalize(String raw) {
        if (raw == null) {
            return "";
        }
        return without(raw, RucRules::isSeparator);
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '-' || isSpace(c);
    }

    /** Returns whether {@code c} is white space or an invisible format character, removed from values. */
    static boolean isSpace(char c) {
        if (c < 0x80) {
            // The ASCII fast path: the same set as Character.isWhitespace.
            return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F;
        }
        return switch (Character.getType(c)) {
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.FORMAT -> true;
            default -> c == '\u0085';
        };
    }

    /** Returns {@code raw} without white space (see {@link #isSpace}), the same string when it has none. */
    private static String withoutSpaces(String raw) {
        return without(raw, RucRules::isSpace);
    }

    /** Returns {@code raw} without the characters {@code drop} matches, the same string when it has none. */
    private static String without(String raw, CharDrop drop) {
        int i = 0;
        while (i < raw.length() && !drop.test(raw.charAt(i))) {
            i++;
        }
        if (i == raw.length()) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length()).append(raw, 0, i);
        for (; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!drop.test(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Which characters {@link #without} drops. */
    @FunctionalInterface
    private interface CharDrop {
        boolean test(char c);
    }

    /**
     * Returns whether {@code value} (without white space) is a number as a spreadsheet writes one:
     * {@code 2.01000381E+10}, {@code 2,01000381E10}, {@code 20100038146.0}, {@code 20100038146,0}.
     */
    public static boolean isSpreadsheetNumber(String value) {
        return SCIENTIFIC.matcher(value).matches() || DECIMAL_TAIL.matcher(value).matches();
    }

    /** Checks {@code raw} locally and returns either a RUC or the reason it cannot be one. */
    public LocalCheck check(String raw) {
        // White space anywhere is removed first, so that a mangled value with a no-break space is still seen as one.
        String compact = raw == null ? "" : withoutSpaces(raw);
        if (compact.isEmpty()) {
            return new LocalCheck.Invalid("", Reason.EMPTY, "empty value");
        }
        if (compact.length() == 11 && Ruc.allAsciiDigits(compact) && prefixes.contains(compact.substring(0, 2))
                && Ruc.checkDigit(compact) == compact.charAt(10) - '0') {
            // The common case in bulk files, decided without the patterns below: 11 digits cannot be mangled.
            return new LocalCheck.Valid(new Ruc(compact));
        }
        if (isSpreadsheetNumber(compact)) {
            return new LocalCheck.Invalid(compact, Reason.SPREADSHEET_MANGLED,
                    "'" + compact + "' looks like a number reformatted by a spreadsheet; "
                            + "format the column as text and export it again");
        }
        String normalized = normalize(compact);
        if (normalized.isEmpty()) {
            return new LocalCheck.Invalid("", Reason.EMPTY, "only separators, no digits");
        }
        if (!Ruc.allAsciiDigits(normalized)) {
            return new LocalCheck.Invalid(normalized, Reason.NOT_DIGITS,
                    "contains characters other than digits: '" + abbreviate(normalized) + "'");
        }
        if (normalized.length() != 11) {
            return new LocalCheck.Invalid(normalized, Reason.BAD_LENGTH,
                    "has " + normalized.length() + (normalized.length() == 1 ? " digit" : " digits")
                            + "; a RUC has 11");
        }
        String prefix = normalized.substring(0, 2);
        if (!prefixes.contains(prefix)) {
            return new LocalCheck.Invalid(normalized, Reason.BAD_PREFIX,
                    "prefix " + prefix + " is not an accepted taxpayer type (accepted: " + prefixList + ")");
        }
        int expected = Ruc.checkDigit(normalized);
        int actual = normalized.charAt(10) - '0';
        if (expected != actual) {
            return new LocalCheck.Invalid(normalized, Reason.BAD_CHECK_DIGIT,
                    "check digit is " + actual + "; expected " + expected);
        }
        return new LocalCheck.Valid(new Ruc(normalized));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
