package pe.ruccache.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.Reason;
import pe.ruccache.core.RucRules;
import pe.ruccache.lookup.InvalidRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code invalid list|show|add|remove|clear}: the invalid registry. */
@Command(name = "invalid",
        description = {"List, show, add and remove the RUCs known to be invalid, with reason, source and expiry.",
            "An INVALID answer (not found, bad check digit or prefix, or marked by hand) is kept there for the "
                + "invalid TTL, so the RUC is not asked again."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache invalid list --reason NOT_FOUND",
            "      The RUCs the providers said do not exist, newest first.",
            "  ruc-cache invalid add 20131312955 --reason 'baja de oficio' --for 30d",
            "      Never send this RUC to a provider for 30 days.",
            "  ruc-cache invalid remove 20131312955",
            "      Forget it: the next lookup asks the providers again."},
        subcommands = {
            InvalidCommand.InvalidListCommand.class,
            InvalidCommand.InvalidShowCommand.class,
            InvalidCommand.InvalidAddCommand.class,
            InvalidCommand.InvalidRemoveCommand.class,
            InvalidCommand.InvalidClearCommand.class,
        })
final class InvalidCommand extends AbstractCommand {

    /** What a RUC parameter accepts. */
    static final String RUC_HELP = "A RUC: 11 digits; spaces, dots, dashes and a spreadsheet's 2.01000381E+10 form "
            + "are accepted.";

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: list, show, add, remove or clear");
    }

    /** Returns {@code raw} normalised when it has the shape of a RUC (11 digits); a usage error otherwise. */
    static String rucKey(AbstractCommand cmd, String raw) {
        String normalized = RucRules.normalize(raw);
        if (normalized.length() != 11 || !normalized.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ParameterException(cmd.spec.commandLine(), "'" + raw + "' is not an 11-digit RUC");
        }
        return normalized;
    }

    /** The field names of machine output for registry entries. */
    static final List<String> FIELDS = List.of("ruc", "reason", "detail", "source", "marked_at", "expires_at",
            "expired");

    static Map<String, Object> fields(CacheEntry e, java.time.Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ruc", e.ruc());
        m.put("reason", e.reason().name());
        m.put("detail", e.detail());
        m.put("source", e.provider());
        m.put("marked_at", Timestamps.iso(e.fetchedAt()));
        m.put("expires_at", Timestamps.iso(e.expiresAt()));
        m.put("expired", e.isExpired(now));
        return m;
    }

    /** {@code invalid list}: every RUC in the registry, newest first. */
    @Command(name = "list", description = "List the invalid registry, newest first.",
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache invalid list",
                "  ruc-cache invalid list --reason MANUAL --format csv > marcados.csv",
                "  ruc-cache invalid list --include-expired --format jsonl"})
    static final class InvalidListCommand extends AbstractCommand {
        @Option(names = "--reason", paramLabel = "REASON",
                description = "Only this reason: NOT_FOUND, MANUAL, BAD_CHECK_DIGIT or BAD_PREFIX.")
        String reasonName;

        @Option(names = "--include-expired", description = "Also list entries past their expiry.")
        boolean includeExpired;

        /** Returns the --reason filter, or null; a reason that no registry entry can have is a usage error. */
        private Reason reason() {
            if (reasonName == null) {
                return null;
            }
            List<String> stored = List.of("NOT_FOUND", "MANUAL", "BAD_CHECK_DIGIT", "BAD_PREFIX");
            String name = reasonName.strip().toUpperCase(java.util.Locale.ROOT);
            if (!stored.contains(name)) {
                throw new ParameterException(spec.commandLine(), "'" + reasonName + "' is not a reason kept in the "
                        + "invalid registry; use one of: " + String.join(", ", stored));
            }
            return Reason.valueOf(name);
        }

        @Override
        List<OutputFormat> formats() {
            return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.CSV);
        }

        @Override
        public Integer call() {
            OutputFormat format = format();
            Reason reason = reason();
            Settings settings = settings(null, null, null);
            List<CacheEntry> entries;
            java.time.Instant now = context().clock().instant();
            try (Services services = readingServices(settings)) {
                entries = services.invalidRegistry().list(reason, includeExpired);
            }
            List<Map<String, Object>> rows = new ArrayList<>(entries.size());
            entries.forEach(e -> rows.add(fields(e, now)));
            switch (format) {
                case JSON -> out().println(Json.pretty(rows));
                case JSONL -> rows.forEach(r -> out().println(Json.compact(r)));
                case CSV -> CsvOutput.print(FIELDS, rows, out());
                default -> {
                    TextTable t = new TextTable("RUC", "REASON", "SOURCE", "MARKED_AT", "EXPIRES_AT", "DETAIL");
                    for (CacheEntry e : entries) {
                        t.add(e.ruc(), e.reason(), e.provider(), Timestamps.iso(e.fetchedAt()),
                                Timestamps.iso(e.expiresAt()) + (e.isExpired(now) ? " (expired)" : ""), e.detail());
                    }
                    if (t.isEmpty()) {
                        note("the invalid registry is empty" + (reason == null ? "" : " for " + reason));
                    } else {
                        t.print(out());
                    }
                }
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code invalid show RUC}: is this RUC in the registry, and why. */
    @Command(name = "show", description = {"Show why a RUC is in the invalid registry.",
        "Exit 1 when it is (the RUC is invalid), 0 when it is not."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache invalid show 20131312955 || echo 'in the registry: do not invoice'"})
    static final class InvalidShowCommand extends AbstractCommand {
        @Parameters(paramLabel = "RUC", description = RUC_HELP)
        String ruc;

        @Override
        public Integer call() {
            OutputFormat format = format();
            String key = rucKey(this, ruc);
            Settings settings = settings(null, null, null);
            Optional<CacheEntry> entry;
            java.time.Instant now = context().clock().instant();
            try (Services services = readingServices(settings)) {
                entry = services.invalidRegistry().show(key);
            }
            if (format == OutputFormat.JSON) {
                Map<String, Object> m = entry.map(e -> fields(e, now)).orElseGet(LinkedHashMap::new);
                m.put("ruc", key);
                m.put("invalid", entry.isPresent());
                out().println(Json.pretty(m));
            } else if (entry.isEmpty()) {
                out().println(key + " is not in the invalid registry");
            } else {
                CacheEntry e = entry.get();
                TextTable t = new TextTable("RUC", e.ruc());
                t.add("reason", e.reason());
                t.add("detail", e.detail());
                t.add("source", e.provider());
                t.add("marked_at", Timestamps.iso(e.fetchedAt()));
                t.add("expires_at", Timestamps.iso(e.expiresAt()));
                t.print(out());
            }
            out().flush();
            return entry.isPresent() ? ExitCodes.INVALID : ExitCodes.OK;
        }
    }

    /** {@code invalid add RUC --reason TEXT}: marks a RUC invalid by hand; it will never be sent upstream. */
    @Command(name = "add", description = {"Mark a RUC invalid by hand, with a reason.",
        "A RUC marked by hand is never sent to a provider until the mark expires or is removed."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache invalid add 20131312955 --reason 'cliente dado de baja'",
                "  ruc-cache invalid add 20131312955 --reason 'en revisión' --for 7d"})
    static final class InvalidAddCommand extends AbstractCommand {
        @Parameters(paramLabel = "RUC", description = RUC_HELP)
        String ruc;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (free text).")
        String reason;

        @Option(names = "--for", paramLabel = "DURATION",
                description = "How long the mark lasts (default: the invalid TTL, 24h).")
        Duration ttl;

        @Override
        public Integer call() {
            format();
            String key = rucKey(this, ruc);
            if (reason.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--reason must say why");
            }
            if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
                throw new ParameterException(spec.commandLine(), "--for must be longer than zero");
            }
            Settings settings = settings(null, null, null);
            CacheEntry entry;
            try (Services services = services(settings)) {
                InvalidRegistry registry = services.invalidRegistry();
                entry = registry.mark(key, reason.strip(), ttl != null ? ttl : settings.ttlInvalid());
            }
            printResult("marked " + key + " invalid until " + Timestamps.iso(entry.expiresAt()) + " ("
                    + DurationText.format(Duration.between(entry.fetchedAt(), entry.expiresAt())) + ")",
                    fields(entry, entry.fetchedAt()));
            return ExitCodes.OK;
        }
    }

    /** {@code invalid remove RUC...}: takes RUCs out of the registry. */
    @Command(name = "remove", description = "Remove RUCs from the invalid registry (every source).",
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache invalid remove 20131312955 20100038146"})
    static final class InvalidRemoveCommand extends AbstractCommand {
        @Parameters(arity = "1..*", paramLabel = "RUC", description = "The RUCs to remove (11 digits each).")
        List<String> rucs;

        @Override
        public Integer call() {
            format();
            List<String> keys = rucs.stream().map(r -> rucKey(this, r)).toList();
            Settings settings = settings(null, null, null);
            long removed = 0;
            try (Services services = services(settings)) {
                InvalidRegistry registry = services.invalidRegistry();
                for (String key : keys) {
                    removed += registry.remove(key);
                }
            }
            printResult("removed " + removed + (removed == 1 ? " entry" : " entries"), Map.of("removed", removed));
            return ExitCodes.OK;
        }
    }

    /** {@code invalid clear}: empties the registry. */
    @Command(name = "clear", description = {"Remove every entry of the invalid registry, manual marks included.",
        "Asks for confirmation on a terminal; needs --yes otherwise."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache invalid clear --yes"})
    static final class InvalidClearCommand extends AbstractCommand {
        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() {
            format();
            Settings settings = settings(null, null, null);
            long removed;
            try (Services services = services(settings)) {
                if (!Confirmation.confirmed(this, yes, "Remove every entry of the invalid registry in "
                        + services.store().location() + "?")) {
                    return ExitCodes.OK;
                }
                removed = services.invalidRegistry().clear();
            }
            printResult("removed " + removed + (removed == 1 ? " entry" : " entries"), Map.of("removed", removed));
            return ExitCodes.OK;
        }
    }
}
