package pe.ruccache.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.cache.Selection;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.Status;
import pe.ruccache.upstream.ProviderCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code clear}: removes entries from the store. */
@Command(name = "clear", sortOptions = false,
        description = {"Remove entries from the cache: all, expired, valid or invalid ones, or by provider or RUC.",
            "Criteria combine: --valid --provider migo removes migo's valid entries. Counters (stats) are history "
                + "and are kept."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache clear --expired",
            "      Drop the entries past their expiry (served only when providers fail).",
            "  ruc-cache clear --valid --provider migo",
            "      Drop migo's VALID answers: the next lookups ask again.",
            "  ruc-cache clear --ruc 20100038146 20131312955",
            "  ruc-cache clear --all --yes"})
final class ClearCommand extends AbstractCommand {

    @Option(names = "--all", description = "Every entry (asks on a terminal; needs --yes otherwise).")
    boolean all;

    @Option(names = "--valid", description = "VALID entries.")
    boolean valid;

    @Option(names = "--invalid", description = "INVALID entries (the invalid registry).")
    boolean invalid;

    @Option(names = "--expired", description = "Entries past their expiry (they could still be served stale).")
    boolean expired;

    @Option(names = "--provider", paramLabel = "NAME", completionCandidates = StoredSources.class,
            description = "Entries from one provider (${COMPLETION-CANDIDATES}).")
    String provider;

    @Option(names = "--ruc", arity = "1..*", paramLabel = "RUC",
            description = "Entries of these RUCs (11 digits each).")
    List<String> rucs;

    @Option(names = "--yes", description = "Do not ask for confirmation of --all.")
    boolean yes;

    @Override
    public Integer call() {
        format();
        boolean anyCriterion = valid || invalid || expired || provider != null || rucs != null;
        if (all == anyCriterion) {
            throw new ParameterException(spec.commandLine(), all
                    ? "--all cannot be combined with other criteria"
                    : "say what to clear: --all, --valid, --invalid, --expired, --provider NAME or --ruc RUC...");
        }
        if (valid && invalid) {
            throw new ParameterException(spec.commandLine(), "--valid and --invalid together select nothing; "
                    + "use --all to remove every entry");
        }
        Settings settings = settings(null, null, null);
        long removed;
        try (Services services = services(settings)) {
            Selection selection = all ? Selection.all() : selection(services);
            if (all && !Confirmation.confirmed(this, yes, "Remove every entry from "
                    + services.store().location() + "?")) {
                return ExitCodes.OK;
            }
            removed = services.store().remove(selection);
        }
        printResult("removed " + removed + (removed == 1 ? " entry" : " entries"), Map.of("removed", removed));
        return ExitCodes.OK;
    }

    private Selection selection(Services services) {
        Selection s = expired ? Selection.expired(services.clock().instant()) : Selection.all();
        if (valid) {
            s = s.andStatus(Status.VALID);
        }
        if (invalid) {
            s = s.andStatus(Status.INVALID);
        }
        if (provider != null) {
            String name = provider.strip().toLowerCase(java.util.Locale.ROOT);
            if (!ProviderCatalog.isNetworkProvider(name) && !name.equals(CacheEntry.MANUAL_PROVIDER)
                    && !name.equals(CacheEntry.LOCAL_PROVIDER)) {
                throw new ConfigException("unknown provider '" + provider + "'; known: "
                        + String.join(", ", ProviderCatalog.networkProviders()) + ", manual, local");
            }
            s = s.andProvider(name);
        }
        if (rucs != null) {
            s = s.andRucs(rucs.stream().map(r -> InvalidCommand.rucKey(this, r)).toList());
        }
        return s;
    }

    /** What a stored entry can come from: every network provider, the user's marks, the local checks. */
    static final class StoredSources implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> sources = new ArrayList<>(ProviderCatalog.networkProviders());
            sources.add(CacheEntry.MANUAL_PROVIDER);
            sources.add(CacheEntry.LOCAL_PROVIDER);
            return sources.iterator();
        }
    }
}
