package pe.ruccache.cache;

import java.time.Instant;
import java.util.Objects;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * One stored answer: VALID with its record, or INVALID with its reason. ERROR answers are never stored.
 * Keyed by (ruc, provider): each provider's answer is kept apart so that one provider's entries can be cleared.
 *
 * @param ruc the 11-digit RUC
 * @param provider who answered: a provider name, {@code manual} for a user's mark, {@code local} for a local check
 * @param status VALID or INVALID
 * @param reason null when VALID
 * @param detail free text: the user's reason for MANUAL, the provider's message for NOT_FOUND; may be null
 * @param record the taxpayer when VALID, else null
 * @param fetchedAt when the answer was obtained
 * @param expiresAt when it stops being fresh; the entry stays stored after that (it may be served stale)
 */
public record CacheEntry(
        String ruc,
        String provider,
        Status status,
        Reason reason,
        String detail,
        TaxpayerRecord record,
        Instant fetchedAt,
        Instant expiresAt) {

    /** The provider name of entries marked by hand. */
    public static final String MANUAL_PROVIDER = "manual";
    /** The provider name of entries found invalid by the local checks. */
    public static final String LOCAL_PROVIDER = "local";

    /** Checks the invariants every store relies on. */
    public CacheEntry {
        Objects.requireNonNull(ruc, "ruc");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        switch (status) {
            case VALID -> {
                if (reason != null || record == null) {
                    throw new IllegalArgumentException("a VALID entry has a record and no reason");
                }
            }
            case INVALID -> {
                if (reason == null || reason.status() != Status.INVALID || record != null) {
                    throw new IllegalArgumentException("an INVALID entry has an INVALID reason and no record");
                }
            }
            case ERROR -> throw new IllegalArgumentException("ERROR answers are never stored");
        }
    }

    /** Returns whether the entry is past its expiry at {@code now}. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
