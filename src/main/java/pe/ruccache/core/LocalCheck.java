package pe.ruccache.core;

/** The result of checking a value locally, before any cache or network. */
public sealed interface LocalCheck {

    /** Returns the value after normalising (separators removed); empty when there was nothing to keep. */
    String normalized();

    /**
     * The value is a well-formed RUC.
     *
     * @param ruc the RUC
     */
    record Valid(Ruc ruc) implements LocalCheck {
        @Override
        public String normalized() {
            return ruc.value();
        }
    }

    /**
     * The value cannot be a RUC.
     *
     * @param normalized the value after normalising
     * @param reason one of the local reasons
     * @param detail a sentence a user can act on
     */
    record Invalid(String normalized, Reason reason, String detail) implements LocalCheck {
        public Invalid {
            if (!reason.isLocal()) {
                throw new IllegalArgumentException("not a local reason: " + reason);
            }
        }

        /** Returns whether the normalised value has the shape of a RUC (11 digits), so it can be a registry key. */
        public boolean isKeyable() {
            return normalized.length() == 11 && Ruc.allAsciiDigits(normalized);
        }
    }
}
