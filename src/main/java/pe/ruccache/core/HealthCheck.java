package pe.ruccache.core;

/**
 * One named check of the tool's health and what it found.
 *
 * @param name short name, e.g. {@code store.integrity}
 * @param level how bad it is
 * @param detail what was found, one line
 * @param perf what it measured, for a monitoring system's graphs ({@code store_roundtrip=29ms}); null for none
 */
public record HealthCheck(String name, Level level, String detail, Perf perf) {

    /** A check that measured nothing. */
    public HealthCheck(String name, Level level, String detail) {
        this(name, level, detail, null);
    }

    /**
     * One performance figure in the Nagios plugin format: a label of letters, digits and underscores, a value and
     * its unit of measure ({@code ms}, {@code s}, or none).
     */
    public record Perf(String label, double value, String unit) {
        public Perf {
            if (!label.matches("[a-z0-9_]+") || !(unit.isEmpty() || unit.equals("ms") || unit.equals("s"))) {
                throw new IllegalArgumentException("bad performance label or unit: " + label + " " + unit);
            }
        }

        /** Returns it as Nagios reads it: {@code label=value[unit]}, the value without an exponent. */
        @Override
        public String toString() {
            String number = value == Math.rint(value) && Math.abs(value) < 1e15
                    ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value);
            return label + "=" + number + unit;
        }
    }

    /** Returns this check with the figure {@code label=value unit}. */
    public HealthCheck measured(String label, double value, String unit) {
        return new HealthCheck(name, level, detail, new Perf(label, value, unit));
    }

    /** Returns this check at {@code other} level with {@code newDetail}, keeping its figure. */
    public HealthCheck as(Level other, String newDetail) {
        return new HealthCheck(name, other, newDetail, perf);
    }

    /** Severity levels in the Nagios plugin order. */
    public enum Level {
        OK, WARNING, CRITICAL, UNKNOWN;

        /** Returns the worse of this level and {@code other}; CRITICAL outranks UNKNOWN, which outranks WARNING. */
        public Level worst(Level other) {
            return rank(other) > rank(this) ? other : this;
        }

        private static int rank(Level l) {
            return switch (l) {
                case OK -> 0;
                case WARNING -> 1;
                case UNKNOWN -> 2;
                case CRITICAL -> 3;
            };
        }
    }

    /** Returns a passing check. */
    public static HealthCheck ok(String name, String detail) {
        return new HealthCheck(name, Level.OK, detail);
    }

    /** Returns a warning. */
    public static HealthCheck warning(String name, String detail) {
        return new HealthCheck(name, Level.WARNING, detail);
    }

    /** Returns a failed check. */
    public static HealthCheck critical(String name, String detail) {
        return new HealthCheck(name, Level.CRITICAL, detail);
    }
}
