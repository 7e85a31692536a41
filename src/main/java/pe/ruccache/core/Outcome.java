package pe.ruccache.core;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to one lookup, with its provenance.
 *
 * @param input the value as the user gave it
 * @param ruc the normalised value (may be empty or not a RUC when INVALID)
 * @param status VALID, INVALID or ERROR
 * @param reason null when VALID
 * @param detail a sentence explaining an INVALID or ERROR answer; null when VALID
 * @param record the taxpayer, when VALID
 * @param source {@code local}, {@code cache} or the provider's name
 * @param provider the provider that produced the answer (also when served from cache); null for local answers
 * @param fetchedAt when the provider answered; null for local answers
 * @param expiresAt when the cached answer expires; null when it is not cached
 * @param stale whether this is an expired cached answer served because every provider failed
 */
public record Outcome(
        String input,
        String ruc,
        Status status,
        Reason reason,
        String detail,
        TaxpayerRecord record,
        String source,
        String provider,
        Instant fetchedAt,
        Instant expiresAt,
        boolean stale) {

    /** The source of answers found by the local checks. */
    public static final String SOURCE_LOCAL = "local";
    /** The source of answers served from the store. */
    public static final String SOURCE_CACHE = "cache";

    /** Checks that the status and reason agree. */
    public Outcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        if (status == Status.VALID ? reason != null || record == null : reason == null || reason.status() != status) {
            throw new IllegalArgumentException("inconsistent outcome: " + status + " " + reason);
        }
    }

    /** Returns the outcome of a value that failed the local checks. */
    public static Outcome local(String input, LocalCheck.Invalid invalid) {
        return new Outcome(input, invalid.normalized(), Status.INVALID, invalid.reason(), invalid.detail(),
                null, SOURCE_LOCAL, null, null, null, false);
    }

    /** Returns an ERROR outcome that no provider produced (no provider configured, offline miss). */
    public static Outcome error(String input, String ruc, Reason reason, String detail) {
        return new Outcome(input, ruc, Status.ERROR, reason, detail, null, SOURCE_LOCAL, null, null, null, false);
    }

    /** Returns this outcome answering {@code otherInput}, which normalised to the same RUC. */
    public Outcome forInput(String otherInput) {
        return Objects.equals(input, otherInput) ? this
                : new Outcome(otherInput, ruc, status, reason, detail, record, source, provider, fetchedAt, expiresAt,
                        stale);
    }
}
