package pe.ruccache.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the user requires of a VALID taxpayer beyond existing: ACTIVO, HABIDO. Separate from validity:
 * a taxpayer that fails the policy stays VALID in the cache.
 *
 * @param requireActive estado must be ACTIVO
 * @param requireHabido condición must be HABIDO
 */
public record Policy(boolean requireActive, boolean requireHabido) {

    /** The policy that requires nothing. */
    public static final Policy NONE = new Policy(false, false);

    /** Returns whether any requirement is set. */
    public boolean isEmpty() {
        return !requireActive && !requireHabido;
    }

    /**
     * Returns the policy verdict for the output's {@code policy} column: empty when nothing is required or the
     * outcome is not VALID, {@code OK} when met, else the failures ({@code NOT_ACTIVE}, {@code NOT_HABIDO}) joined by
     * {@code +}.
     */
    public String verdict(Outcome outcome) {
        if (isEmpty() || outcome.status() != Status.VALID) {
            return "";
        }
        List<String> failures = new ArrayList<>(2);
        if (requireActive && !outcome.record().isActive()) {
            failures.add("NOT_ACTIVE");
        }
        if (requireHabido && !outcome.record().isHabido()) {
            failures.add("NOT_HABIDO");
        }
        return failures.isEmpty() ? "OK" : String.join("+", failures);
    }

    /** Returns whether the outcome is VALID and meets every requirement. */
    public boolean accepts(Outcome outcome) {
        String verdict = verdict(outcome);
        return outcome.status() == Status.VALID && (verdict.isEmpty() || verdict.equals("OK"));
    }
}
