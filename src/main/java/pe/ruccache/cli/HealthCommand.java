package pe.ruccache.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.app.StoreFactory;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.RucException;
import pe.ruccache.lookup.HealthService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code health}: is the cache usable and are providers configured; exit codes follow the Nagios convention. */
@Command(name = "health", sortOptions = false,
        description = {"Check the store (connection, write/read/delete round trip, integrity), the providers' "
            + "configuration and the padrón snapshot's age.",
            "Exit 0 healthy, 1 warning, 2 unhealthy, 3 unknown (Nagios plugin convention). The first line is "
                + "the plugin status line with performance data; the table follows."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache health",
            "      Local checks only: no provider is called.",
            "  ruc-cache health --check-upstream --timeout 5s",
            "      Also one real request to each provider (it counts against your plan).",
            "  ruc-cache health | head -1",
            "      The Nagios status line alone, e.g. for a check_by_ssh command."})
final class HealthCommand extends AbstractCommand {

    @Option(names = "--provider", split = ",", paramLabel = "NAME",
            description = "Providers to check, in order (default: the configured chain).")
    List<String> providers;

    @Option(names = "--check-upstream", description = "Also make one real call to each configured provider, all at "
            + "once; one that answers keeps the others' failures to warnings.")
    boolean checkUpstream;

    // Well within the 60 s Nagios gives a plugin.
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "With --check-upstream: the longest the upstream calls take, all together; a provider "
                + "that has not answered by then is reported as timed out (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        OutputFormat format = format();
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be longer than 0s");
        }
        List<HealthCheck> checks = new ArrayList<>();
        try {
            Settings settings = settings(providers, null, null);
            String missing = StoreFactory.missing(settings.store(), context().userHome());
            if (missing != null) {
                // Nagios UNKNOWN, as for any bad option: the store cannot be checked where there is none, and
                // creating one would make a mistyped path look healthy.
                checks.add(new HealthCheck("store", HealthCheck.Level.UNKNOWN, missing));
            } else {
                try (Services services = readingServices(settings)) {
                    checks.addAll(services.healthService().run(checkUpstream, timeout));
                }
            }
        } catch (RucException e) {
            // The check itself could not run (bad configuration): Nagios UNKNOWN, not a crash.
            checks.add(new HealthCheck("health", HealthCheck.Level.UNKNOWN, e.getMessage()));
        }
        HealthCheck.Level overall = HealthService.overall(checks);
        String word = switch (overall) {
            case OK -> "healthy";
            case WARNING -> "warning";
            case CRITICAL -> "unhealthy";
            case UNKNOWN -> "unknown";
        };
        if (format == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", word);
            List<Map<String, Object>> list = new ArrayList<>();
            for (HealthCheck c : checks) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("name", c.name());
                one.put("level", c.level().name().toLowerCase(java.util.Locale.ROOT));
                one.put("detail", c.detail());
                if (c.perf() != null) {
                    Map<String, Object> perf = new LinkedHashMap<>();
                    perf.put("label", c.perf().label());
                    perf.put("value", c.perf().value());
                    perf.put("unit", c.perf().unit());
                    one.put("perf", perf);
                }
                list.add(one);
            }
            m.put("checks", list);
            out().println(Json.pretty(m));
        } else {
            out().println(statusLine(overall, checks));
            TextTable t = new TextTable("LEVEL", "CHECK", "DETAIL");
            checks.forEach(c -> t.add(c.level(), c.name(), c.detail()));
            t.print(out());
        }
        out().flush();
        return exitCode(overall);
    }

    /**
     * Returns the first line a Nagios plugin prints: {@code RUC-CACHE WARNING - provider.migo: no token ... |
     * store_roundtrip=29ms padron_age=86400s}, naming the first of the worst checks (or how many passed), then
     * every check's figure.
     */
    static String statusLine(HealthCheck.Level overall, List<HealthCheck> checks) {
        String text;
        if (overall == HealthCheck.Level.OK) {
            text = checks.size() + (checks.size() == 1 ? " check ok" : " checks ok");
        } else {
            HealthCheck worst = checks.stream().filter(c -> c.level() == overall).findFirst().orElseThrow();
            text = worst.name() + ": " + worst.detail();
        }
        StringBuilder line = new StringBuilder("RUC-CACHE ").append(overall).append(" - ")
                .append(text.replace('|', '/').replace('\n', ' '));
        String separator = " | ";
        for (HealthCheck c : checks) {
            if (c.perf() != null) {
                line.append(separator).append(c.perf());
                separator = " ";
            }
        }
        return line.toString();
    }

    /** Returns the Nagios exit code of {@code overall}. */
    static int exitCode(HealthCheck.Level overall) {
        return switch (overall) {
            case OK -> ExitCodes.OK;
            case WARNING -> ExitCodes.INVALID;
            case CRITICAL -> ExitCodes.UNHEALTHY;
            case UNKNOWN -> ExitCodes.UNKNOWN;
        };
    }
}
