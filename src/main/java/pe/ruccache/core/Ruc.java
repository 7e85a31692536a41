package pe.ruccache.core;

/**
 * An 11-digit string whose check digit is right; only {@link RucRules} creates one from user input.
 *
 * @param value the eleven digits
 */
public record Ruc(String value) implements Comparable<Ruc> {

    private static final int[] WEIGHTS = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

    /** Checks the shape and the check digit; the prefix is policy and is checked by {@link RucRules}. */
    public Ruc {
        if (value == null || value.length() != 11 || !allAsciiDigits(value)) {
            throw new IllegalArgumentException("not an 11-digit RUC: " + value);
        }
        if (checkDigit(value) != value.charAt(10) - '0') {
            throw new IllegalArgumentException("bad check digit: " + value);
        }
    }

    /** Returns the check digit of the first ten of {@code digits}: weights 5432765432, (11 - sum mod 11) mod 10. */
    public static int checkDigit(CharSequence digits) {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (digits.charAt(i) - '0') * WEIGHTS[i];
        }
        return (11 - sum % 11) % 10;
    }

    /** Returns the RUC of a person: {@code 10} + the DNI (8 digits, leading zeros kept) + check digit. */
    public static Ruc ofDni(String dni) {
        if (dni == null || dni.length() != 8 || !allAsciiDigits(dni)) {
            throw new IllegalArgumentException("a DNI has 8 digits: " + dni);
        }
        String first = "10" + dni;
        return new Ruc(first + checkDigit(first));
    }

    /** Returns the two-digit taxpayer-type prefix. */
    public String prefix() {
        return value.substring(0, 2);
    }

    static boolean allAsciiDigits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Ruc other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
