package pe.ruccache.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.InputException;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Policy;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.lookup.LookupService;
import pe.ruccache.lookup.StopRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lookup RUC...}: checks one or more RUCs through the cache and the providers. */
@Command(name = "lookup", sortOptions = false,
        description = {"Check one or more RUCs: locally, then the cache, then the providers.",
            "'-' reads RUCs from standard input, one per line."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache lookup 20100038146",
            "      A table on stdout; exit 0 if VALID, 1 if INVALID, 69 if undetermined.",
            "  ruc-cache lookup --format json --require-active --require-habido 20100038146",
            "      Also exit 1 unless the taxpayer is ACTIVO and HABIDO.",
            "  ruc-cache lookup --provider migo,decolecta 20100038146 20131312955",
            "      Ask decolecta when migo cannot answer now.",
            "  ruc-cache lookup --offline --provider padron 20100038146",
            "      Answer from the cache and the padrón snapshot only: no network.",
            "  cut -d, -f1 rucs.csv | ruc-cache lookup --format csv -",
            "      Read the RUCs from standard input, one per line."})
final class LookupCommand extends AbstractCommand {

    /** The most answers held back until the providers are known to be usable. */
    private static final int HOLD_AT_MOST = 4096;

    @Parameters(arity = "1..*", paramLabel = "RUC", description = "RUCs to check; '-' reads them from stdin.")
    List<String> rucs;

    @Mixin
    ProviderOptions providerOptions;

    @Mixin
    CacheOptions cacheOptions;

    @Mixin
    PolicyOptions policyOptions;

    @Override
    List<OutputFormat> formats() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.CSV);
    }

    @Override
    public Integer call() {
        OutputFormat format = format();
        List<String> inputs = inputs();
        Settings settings = settings(providerOptions.providers, cacheOptions.ttlValid, cacheOptions.ttlInvalid);
        Policy policy = policyOptions.policy();
        List<Outcome> outcomes = new ArrayList<>(inputs.size());
        OutcomeRenderer renderer = new OutcomeRenderer(policy, format, out());
        Interrupts interrupts = context().interrupts();
        StopRequest stop = interrupts.begin();
        try (Services services = services(settings)) {
            LookupService lookup = services.lookupService(services.lookupOptions(cacheOptions.refresh,
                    cacheOptions.maxAge, providerOptions.offline));
            // Answers are printed as they come once the providers are known to be usable: a configuration error
            // at the first miss (no token, no padrón snapshot) must leave no output and no counts behind. A long
            // list answered by the local checks and the cache alone is held back no more than a bulk window.
            List<Outcome> held = new ArrayList<>();
            boolean misconfigured = false;
            try {
                lookup.lookupEach(inputs, outcome -> {
                    outcomes.add(outcome);
                    held.add(outcome);
                    if (lookup.providersResolved() || held.size() >= HOLD_AT_MOST) {
                        held.forEach(renderer::add);
                        held.clear();
                    }
                }, stop);
            } catch (ConfigException e) {
                misconfigured = true;
                services.forgetCounters();
                throw e;
            } finally {
                if (!misconfigured) {
                    // Also when the store failed midway: what was answered before is printed, a JSON array closed.
                    held.forEach(renderer::add);
                    renderer.finish();
                }
            }
        } finally {
            interrupts.end();
        }
        report(outcomes);
        return interrupts.exitCode(exitCode(outcomes, policy));
    }

    /** Returns the RUCs from the arguments, reading '-' from stdin; blank stdin lines are skipped. */
    private List<String> inputs() {
        List<String> inputs = new ArrayList<>();
        boolean readStdin = false;
        for (String r : rucs) {
            if (r.equals("-")) {
                if (!readStdin) {
                    int before = inputs.size();
                    readStdin(inputs);
                    if (inputs.size() == before) {
                        throw new InputException("standard input is empty: no RUC to check");
                    }
                    readStdin = true;
                }
            } else {
                inputs.add(r);
            }
        }
        return inputs;
    }

    private void readStdin(List<String> into) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(context().stdin(),
                    StandardCharsets.UTF_8));
            String line;
            boolean first = true;
            while ((line = reader.readLine()) != null) {
                if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                first = false;
                if (line.indexOf('\u0000') >= 0) {
                    throw new InputException("standard input looks like a binary file, not a list of RUCs");
                }
                if (!line.isBlank()) {
                    into.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Tells on stderr what the table does not: errors to retry, stale answers served. */
    private void report(List<Outcome> outcomes) {
        Map<Reason, Integer> errors = new EnumMap<>(Reason.class);
        int stale = 0;
        for (Outcome o : outcomes) {
            if (o.status() == Status.ERROR) {
                errors.merge(o.reason(), 1, Integer::sum);
            }
            if (o.stale()) {
                stale++;
            }
        }
        if (stale > 0) {
            warn(stale + (stale == 1 ? " answer was" : " answers were")
                    + " served stale from the cache because no provider could answer");
        }
        if (!errors.isEmpty()) {
            int n = errors.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder why = new StringBuilder();
            errors.forEach((reason, count) -> why.append(why.length() == 0 ? "" : ", ").append(reason).append(' ')
                    .append(count));
            note(n + (n == 1 ? " RUC" : " RUCs") + " could not be checked now (" + why + "); nothing was cached for "
                    + (n == 1 ? "it" : "them") + (errors.containsKey(Reason.OFFLINE_MISS)
                            ? ", so a run without --offline asks a provider" : ", so a rerun asks again"));
            if (errors.containsKey(Reason.AUTH)) {
                note("a provider refused its token: check the token it names above");
            }
        }
    }

    /** Returns 69 when any answer is an ERROR, else 1 when any is INVALID or fails the policy, else 0. */
    static int exitCode(List<Outcome> outcomes, Policy policy) {
        int code = ExitCodes.OK;
        for (Outcome o : outcomes) {
            if (o.status() == Status.ERROR) {
                return ExitCodes.UNAVAILABLE;
            }
            if (!policy.accepts(o)) {
                code = ExitCodes.INVALID;
            }
        }
        return code;
    }
}
