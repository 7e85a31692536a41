package pe.ruccache.lookup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Selection;
import pe.ruccache.cache.Store;
import pe.ruccache.core.LocalCheck;
import pe.ruccache.core.Reason;
import pe.ruccache.core.RucRules;
import pe.ruccache.core.Status;

/**
 * The invalid registry of the original service: the INVALID answers in the store, with reason, source, when they
 * were marked and when they expire; and the RUCs a user marked invalid by hand, which are never sent upstream.
 */
public final class InvalidRegistry {

    /** The most entries {@link #list} returns. */
    public static final int LIST_LIMIT = 1_000_000;

    private final Store store;
    private final Clock clock;
    private final RucRules rules;

    /** Creates the registry over {@code store}; {@code rules} are the local checks in force. */
    public InvalidRegistry(Store store, Clock clock, RucRules rules) {
        this.store = store;
        this.clock = clock;
        this.rules = rules;
    }

    /**
     * Marks {@code ruc} invalid by hand for {@code ttl} (add_invalid_ruc); returns the entry stored. The value must
     * have the shape of a RUC (11 digits): the caller checks it.
     */
    public CacheEntry mark(String ruc, String reasonText, Duration ttl) {
        Instant now = clock.instant();
        CacheEntry entry = new CacheEntry(ruc, CacheEntry.MANUAL_PROVIDER, Status.INVALID, Reason.MANUAL,
                reasonText, null, now, now.plus(ttl));
        store.put(entry);
        return entry;
    }

    /** Returns whether {@code ruc} has a fresh INVALID entry (is_ruc_invalid). */
    public boolean isInvalid(String ruc) {
        return show(ruc).isPresent();
    }

    /** Returns the newest fresh INVALID entry of {@code ruc}, manual marks first (get_invalid_ruc_info). */
    public Optional<CacheEntry> show(String ruc) {
        Instant now = clock.instant();
        return store.find(ruc).stream()
                .filter(e -> e.status() == Status.INVALID && !e.isExpired(now) && stillHolds(e))
                .min(Comparator.comparing((CacheEntry e) -> !CacheEntry.MANUAL_PROVIDER.equals(e.provider()))
                        .thenComparing(CacheEntry::fetchedAt, Comparator.reverseOrder()));
    }

    /** Removes every INVALID entry of {@code ruc} (remove_invalid_ruc); returns how many were removed. */
    public long remove(String ruc) {
        return store.remove(Selection.ofRucs(List.of(ruc)).andStatus(Status.INVALID));
    }

    /**
     * Returns the INVALID entries, newest first (get_all_invalid_rucs), optionally of one reason, and with expired
     * ones only when asked.
     */
    public List<CacheEntry> list(Reason reason, boolean includeExpired) {
        Selection selection = Selection.withStatus(Status.INVALID);
        if (reason != null) {
            selection = selection.andReason(reason);
        }
        Instant now = clock.instant();
        return store.list(selection, LIST_LIMIT).stream()
                .filter(e -> (includeExpired || !e.isExpired(now)) && stillHolds(e))
                .toList();
    }

    /**
     * Returns the fresh local verdicts that the rules in force no longer reach (a prefix accepted since): entries
     * in the store that lookup and {@link #list} disregard, so that {@code stats} can too. Only a BAD_PREFIX verdict
     * can be overturned by the rules; the others stay invalid under any prefixes.
     */
    public List<CacheEntry> superseded() {
        Instant now = clock.instant();
        return store.list(Selection.withStatus(Status.INVALID).andReason(Reason.BAD_PREFIX)
                        .andProvider(CacheEntry.LOCAL_PROVIDER), LIST_LIMIT).stream()
                .filter(e -> !e.isExpired(now) && !stillHolds(e))
                .toList();
    }

    /**
     * Returns false for a local verdict that the rules in force no longer reach (the accepted prefixes changed):
     * lookup ignores such an entry, so the registry must too.
     */
    private boolean stillHolds(CacheEntry e) {
        return !CacheEntry.LOCAL_PROVIDER.equals(e.provider()) || rules.check(e.ruc()) instanceof LocalCheck.Invalid;
    }

    /** Removes every INVALID entry (clear_invalid_rucs); returns how many were removed. */
    public long clear() {
        return store.remove(Selection.withStatus(Status.INVALID));
    }
}
