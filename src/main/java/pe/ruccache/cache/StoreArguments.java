package pe.ruccache.cache;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The argument checks every {@link Store} makes the same way, so that each store only does its own part. */
public final class StoreArguments {

    private StoreArguments() {
    }

    /** Returns {@code rucs} without repeats, in their order; throws NullPointerException for a null RUC. */
    public static Set<String> distinctRucs(Collection<String> rucs) {
        Set<String> distinct = new LinkedHashSet<>(rucs.size() * 4 / 3 + 1);
        for (String ruc : rucs) {
            distinct.add(Objects.requireNonNull(ruc, "ruc"));
        }
        return distinct;
    }

    /**
     * Checks the arguments of {@link Store#list} and returns whether they select nothing at all (a limit of 0, or
     * an empty set of RUCs), which a store answers without looking.
     */
    public static boolean listsNothing(Selection selection, int limit) {
        Objects.requireNonNull(selection, "selection");
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: " + limit);
        }
        return limit == 0 || selectsNoRuc(selection);
    }

    /** Returns whether {@code selection} names RUCs and the set is empty: it matches no entry. */
    public static boolean selectsNoRuc(Selection selection) {
        Set<String> rucs = Objects.requireNonNull(selection, "selection").rucs();
        return rucs != null && rucs.isEmpty();
    }

    /** Returns a copy of counter {@code deltas}, in order; throws NullPointerException for a null name or value. */
    public static Map<String, Long> counterDeltas(Map<String, Long> deltas) {
        Map<String, Long> copy = new LinkedHashMap<>(deltas);
        copy.forEach((name, delta) -> {
            Objects.requireNonNull(name, "counter name");
            Objects.requireNonNull(delta, "counter delta");
        });
        return copy;
    }
}
