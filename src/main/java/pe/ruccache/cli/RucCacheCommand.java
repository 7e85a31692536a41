package pe.ruccache.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import pe.ruccache.bulk.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command: global options (accepted before or after the command word) and the list of subcommands. */
@Command(name = "ruc-cache",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Validates Peruvian RUCs through a persistent cache in front of the RUC APIs.",
        synopsisSubcommandLabel = "COMMAND",
        // The subcommands are added by CommandLineFactory: a run builds the model of the one it runs, not of all.
        // It also adds the exit codes and the environment variables (from the settings table) after the Examples.
        footerHeading = "%nExamples:%n",
        footer = {
            "  ruc-cache lookup 20100038146",
            "      Check one RUC before issuing an invoice: exit 0 when it is VALID.",
            "  ruc-cache bulk clientes.csv > revisado.csv",
            "      Check every row of a customer export: one output row per input row.",
            "  ruc-cache padron update && ruc-cache lookup --provider padron 20100038146",
            "      Answer from SUNAT's free padrón reducido, downloaded daily: no token.",
            "  ruc-cache config init",
            "      Write a commented config file to set tokens and defaults once.",
            "  ruc-cache help bulk",
            "      Show a command's options and examples."})
final class RucCacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "PATH",
            description = "Store: a SQLite file path (default $RUC_CACHE_HOME/cache.db), or "
                    + "redis://[user@]host:port[/db] (rediss:// for TLS; password in RUC_CACHE_REDIS_PASSWORD); "
                    + "env RUC_CACHE_STORE.")
    String store;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Config file (default $XDG_CONFIG_HOME/ruc-cache/config.properties).")
    Path config;

    // Each command's copy lists its own formats; FormatOption specialises them.
    @Option(names = FormatOption.NAME, scope = ScopeType.INHERIT, paramLabel = "FORMAT", description = "Output format.")
    OutputFormat format;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print no warnings or summaries on stderr; errors still print.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print more on stderr, including each HTTP request and response (tokens redacted).")
    boolean verbose;

    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "Print the stack trace of errors (for bug reports).")
    boolean stacktrace;

    CliContext context;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
