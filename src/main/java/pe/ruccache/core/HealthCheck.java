package pe.ruccache.core;

/**
 * One named check of the tool's health and what it found.
 *
 * @param name short name, e.g. {@code store.integrity}
 * @param level how bad it is
 * @param detail what was found, one line
 */
public record HealthCheck(String name, Level level, String detail) {

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
