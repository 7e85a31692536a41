package pe.ruccache.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
