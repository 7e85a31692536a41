package pe.ruccache.cli;

import java.util.Iterator;
import pe.ruccache.upstream.ProviderCatalog;

/**
 * The provider names {@code --provider} accepts, from the catalog's one registration: what its {@code --help} lists
 * (picocli's {@code ${COMPLETION-CANDIDATES}}) and shell completion offers.
 */
final class KnownProviders implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return ProviderCatalog.knownProviders().iterator();
    }
}
