package pe.ruccache.upstream;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import pe.ruccache.core.Ruc;

/** A source of taxpayer records. Implementations are safe for use by several threads. */
public interface Provider {

    /** Returns the provider's name as users type it: {@code migo}, {@code decolecta}, {@code padron}... */
    String name();

    /**
     * Returns whether the provider answers from local data (the padrón's snapshot) rather than over the network: its
     * answers cost nothing, are not cached, and are best asked a batch at a time ({@link #fetchAll}).
     */
    default boolean answersLocally() {
        return false;
    }

    /**
     * Asks the provider about {@code ruc}. Never throws for an upstream failure: every HTTP status, timeout,
     * reset or unparseable body becomes a {@link ProviderAnswer.Failed} with its reason.
     */
    ProviderAnswer fetch(Ruc ruc);

    /**
     * Asks the provider about each of {@code rucs} and returns one answer per distinct RUC. The default asks one at a
     * time, in the caller's thread; a provider that answers from local data (the padrón) overrides it to answer a
     * batch in a few queries, which is what makes a million-row bulk run fast. Callers that want concurrency for
     * network providers call {@link #fetch} from their own threads instead.
     */
    default Map<Ruc, ProviderAnswer> fetchAll(Collection<Ruc> rucs) {
        Map<Ruc, ProviderAnswer> answers = new HashMap<>(rucs.size() * 4 / 3 + 1);
        for (Ruc ruc : rucs) {
            if (!answers.containsKey(ruc)) {
                answers.put(ruc, fetch(ruc));
            }
        }
        return answers;
    }
}
