package pe.ruccache.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import pe.ruccache.core.Ruc;

/**
 * Asks providers in order until one knows. Found and NotFound are definitive: a provider that says the RUC does
 * not exist is believed, and the next is not asked (it would cost a paid call to hear the same SUNAT data). Any
 * Failed answer (unavailable, rate-limited, token refused, format rejected, bad response) moves on to the next.
 */
public final class ProviderChain implements Provider {

    private final List<Provider> providers;
    private final String name;

    /** Creates a chain over {@code providers}, tried in the order given; throws when the list is empty. */
    public ProviderChain(List<? extends Provider> providers) {
        if (providers == null || providers.isEmpty()) {
            throw new IllegalArgumentException("a provider chain needs at least one provider");
        }
        this.providers = List.copyOf(providers);
        this.name = this.providers.stream().map(Provider::name).collect(Collectors.joining(","));
    }

    /** Returns the providers' names joined by commas, e.g. {@code migo,decolecta}. */
    @Override
    public String name() {
        return name;
    }

    /** Returns whether every provider of the chain answers from local data. */
    @Override
    public boolean answersLocally() {
        return !providers.isEmpty() && providers.stream().allMatch(Provider::answersLocally);
    }

    /** Returns the providers in the order they are tried. */
    public List<Provider> providers() {
        return providers;
    }

    /**
     * Returns the first definitive answer; when every provider fails, a Failed with the first provider's reason,
     * a detail that summarises each failure, and the longest {@code Retry-After} any of them asked for.
     */
    @Override
    public ProviderAnswer fetch(Ruc ruc) {
        List<ProviderAnswer.Failed> failures = new ArrayList<>(providers.size());
        for (Provider provider : providers) {
            ProviderAnswer answer = provider.fetch(ruc);
            if (!(answer instanceof ProviderAnswer.Failed failed)) {
                return answer;
            }
            failures.add(failed);
            if (Thread.currentThread().isInterrupted()) {
                // The caller is shutting down; another paid call would be wasted.
                break;
            }
        }
        return combined(failures);
    }

    /**
     * Returns the answers for {@code rucs} as {@link #fetch} would give them one by one: each provider is asked, in a
     * batch, only about the RUCs that every provider before it failed to answer.
     */
    @Override
    public Map<Ruc, ProviderAnswer> fetchAll(Collection<Ruc> rucs) {
        Map<Ruc, ProviderAnswer> answers = new HashMap<>(rucs.size() * 4 / 3 + 1);
        Map<Ruc, List<ProviderAnswer.Failed>> failures = new HashMap<>();
        Collection<Ruc> pending = new LinkedHashSet<>(rucs);
        for (Provider provider : providers) {
            if (pending.isEmpty() || Thread.currentThread().isInterrupted() && !failures.isEmpty()) {
                break;
            }
            Map<Ruc, ProviderAnswer> got = provider.fetchAll(pending);
            List<Ruc> unanswered = new ArrayList<>();
            for (Ruc ruc : pending) {
                ProviderAnswer answer = got.get(ruc);
                if (answer == null) {
                    throw new IllegalStateException(provider.name() + " gave no answer for " + ruc);
                }
                if (answer instanceof ProviderAnswer.Failed failed) {
                    failures.computeIfAbsent(ruc, r -> new ArrayList<>(providers.size())).add(failed);
                    unanswered.add(ruc);
                } else {
                    answers.put(ruc, answer);
                }
            }
            pending = unanswered;
        }
        for (Ruc ruc : pending) {
            answers.put(ruc, combined(failures.get(ruc)));
        }
        return answers;
    }

    /** Returns the answer for a RUC that every provider asked failed to answer. */
    private ProviderAnswer.Failed combined(List<ProviderAnswer.Failed> failures) {
        if (failures.size() == 1) {
            return failures.get(0);
        }
        Duration longest = null;
        for (ProviderAnswer.Failed f : failures) {
            if (f.retryAfter() != null && (longest == null || f.retryAfter().compareTo(longest) > 0)) {
                longest = f.retryAfter();
            }
        }
        String detail = failures.stream().map(ProviderAnswer.Failed::detail).collect(Collectors.joining("; "));
        return new ProviderAnswer.Failed(name, failures.get(0).reason(), detail, longest);
    }

    @Override
    public String toString() {
        return "chain " + name;
    }
}
