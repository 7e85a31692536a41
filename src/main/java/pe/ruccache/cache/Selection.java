package pe.ruccache.cache;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;

/**
 * Which stored entries an operation applies to: every non-null criterion must match.
 *
 * @param status only entries with this status
 * @param reason only entries with this reason
 * @param provider only entries from this provider
 * @param rucs only entries of these RUCs
 * @param expiredAt only entries expired at this instant
 */
public record Selection(Status status, Reason reason, String provider, Set<String> rucs, Instant expiredAt) {

    /** Copies the RUC set. */
    public Selection {
        rucs = rucs == null ? null : Set.copyOf(rucs);
    }

    /** Returns the selection of every entry. */
    public static Selection all() {
        return new Selection(null, null, null, null, null);
    }

    /** Returns the selection of entries with {@code status}. */
    public static Selection withStatus(Status status) {
        return all().andStatus(status);
    }

    /** Returns the selection of entries expired at {@code now}. */
    public static Selection expired(Instant now) {
        return new Selection(null, null, null, null, now);
    }

    /** Returns the selection of one provider's entries. */
    public static Selection ofProvider(String provider) {
        return new Selection(null, null, provider, null, null);
    }

    /** Returns the selection of the entries of these RUCs. */
    public static Selection ofRucs(Collection<String> rucs) {
        return new Selection(null, null, null, Set.copyOf(rucs), null);
    }

    /** Returns this selection narrowed to {@code newStatus}. */
    public Selection andStatus(Status newStatus) {
        return new Selection(newStatus, reason, provider, rucs, expiredAt);
    }

    /** Returns this selection narrowed to {@code newReason}. */
    public Selection andReason(Reason newReason) {
        return new Selection(status, newReason, provider, rucs, expiredAt);
    }

    /** Returns this selection narrowed to {@code newProvider}. */
    public Selection andProvider(String newProvider) {
        return new Selection(status, reason, newProvider, rucs, expiredAt);
    }

    /** Returns this selection narrowed to the entries of {@code newRucs}. */
    public Selection andRucs(Collection<String> newRucs) {
        return new Selection(status, reason, provider, Set.copyOf(newRucs), expiredAt);
    }

    /** Returns this selection narrowed to entries expired at {@code now}. */
    public Selection andExpired(Instant now) {
        return new Selection(status, reason, provider, rucs, now);
    }

    /** Returns whether {@code entry} is selected. */
    public boolean matches(CacheEntry entry) {
        return (status == null || entry.status() == status)
                && (reason == null || entry.reason() == reason)
                && (provider == null || entry.provider().equals(provider))
                && (rucs == null || rucs.contains(entry.ruc()))
                && (expiredAt == null || entry.isExpired(expiredAt));
    }
}
