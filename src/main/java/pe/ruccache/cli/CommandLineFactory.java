package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** Builds the configured command line; both {@link Main} and the tests call it. */
public final class CommandLineFactory {

    private CommandLineFactory() {
    }

    /** Returns the command line wired to {@code context}, printing results to {@code out} and the rest to {@code err}. */
    public static CommandLine create(CliContext context, PrintWriter out, PrintWriter err) {
        RucCacheCommand root = new RucCacheCommand();
        root.context = context;
        CommandLine cmd = new CommandLine(root);
        ErrorHandler handler = new ErrorHandler();
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(handler);
        cmd.setParameterExceptionHandler(handler);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setAbbreviatedOptionsAllowed(false);
        cmd.registerConverter(java.time.Duration.class, new DurationConverter());
        FormatOption.install(cmd);
        Map<String, String> codes = exitCodes();
        apply(cmd, codes);
        return cmd;
    }

    private static void apply(CommandLine cmd, Map<String, String> codes) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            apply(sub, codes);
        }
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP_LIST) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return codes;
    }
}
