package pe.ruccache.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** Which providers answer misses: {@code --provider} and {@code --offline}. */
final class ProviderOptions {

    @Option(names = "--provider", split = ",", paramLabel = "NAME", completionCandidates = KnownProviders.class,
            description = "Providers to ask, in order: ${COMPLETION-CANDIDATES} (default migo; "
                    + "env RUC_CACHE_PROVIDERS).")
    List<String> providers;

    @Option(names = "--offline",
            description = "Never call a network provider: answer from local checks, the cache and the padrón only.")
    boolean offline;
}
