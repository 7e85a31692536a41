package pe.ruccache.cache;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What a store holds at one instant, for {@code stats}. Fresh entries are counted as valid or invalid;
 * entries past their expiry are counted as expired only.
 *
 * @param valid fresh VALID entries
 * @param invalid fresh INVALID entries (the invalid registry)
 * @param expired entries past their expiry, either status
 * @param invalidByReason fresh INVALID entries by reason name
 * @param validByEstado fresh VALID entries by estado ({@code -} when absent)
 * @param validByCondicion fresh VALID entries by condición ({@code -} when absent)
 * @param byProvider all entries by provider
 */
public record StoreSummary(
        long valid,
        long invalid,
        long expired,
        Map<String, Long> invalidByReason,
        Map<String, Long> validByEstado,
        Map<String, Long> validByCondicion,
        Map<String, Long> byProvider) {

    /** Copies the maps. */
    public StoreSummary {
        invalidByReason = Map.copyOf(invalidByReason);
        validByEstado = Map.copyOf(validByEstado);
        validByCondicion = Map.copyOf(validByCondicion);
        byProvider = Map.copyOf(byProvider);
    }

    /** Returns how a missing estado or condición is counted: as {@code "-"}, as SUNAT writes an empty field. */
    public static String label(String value) {
        return value == null ? "-" : value;
    }

    /**
     * Returns this summary without {@code ignored}, fresh INVALID entries counted in it that readers of the store
     * disregard: they are neither invalid nor counted by provider.
     */
    public StoreSummary without(Collection<CacheEntry> ignored) {
        if (ignored.isEmpty()) {
            return this;
        }
        Map<String, Long> reasons = new HashMap<>(invalidByReason);
        Map<String, Long> providers = new HashMap<>(byProvider);
        for (CacheEntry e : ignored) {
            reasons.computeIfPresent(e.reason().name(), (k, n) -> n > 1 ? n - 1 : null);
            providers.computeIfPresent(e.provider(), (k, n) -> n > 1 ? n - 1 : null);
        }
        return new StoreSummary(valid, Math.max(0, invalid - ignored.size()), expired, reasons, validByEstado,
                validByCondicion, providers);
    }

    /** Returns every entry counted once. */
    public long total() {
        return valid + invalid + expired;
    }
}
