package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import pe.ruccache.app.SettingKey;
import pe.ruccache.upstream.ProviderCatalog;
import picocli.CommandLine;

/** Builds the configured command line; both {@link Main} and the tests call it. */
public final class CommandLineFactory {

    /** The widest line of the environment list: picocli's usage width where it cannot ask the terminal. */
    private static final int FOOTER_WIDTH = 80;

    private CommandLineFactory() {
    }

    /** Returns the command line wired to {@code context}: results go to {@code out}, the rest to {@code err}. */
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
        apply(cmd, codes, environmentFooter());
        return cmd;
    }

    private static void apply(CommandLine cmd, Map<String, String> codes, String[] footer) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes).footer(footer);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            apply(sub, codes, footer);
        }
    }

    /** Returns the help's footer: every environment variable of the settings table, in its order. */
    private static String[] environmentFooter() {
        List<String> names = new ArrayList<>();
        SettingKey<?> lastTemplate = null;
        for (SettingKey<?> key : SettingKey.ALL) {
            names.add(key.env());
            lastTemplate = key.isTemplate() ? key : lastTemplate;
        }
        if (lastTemplate != null) {
            int at = names.indexOf(lastTemplate.env());
            names.set(at, names.get(at) + " (NAME: " + ProviderCatalog.networkProviders().stream()
                    .map(p -> p.toUpperCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(" ");
        for (int i = 0; i < names.size(); i++) {
            String word = names.get(i) + (i == names.size() - 1 ? "." : ",");
            if (line.length() + 1 + word.length() > FOOTER_WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(" ");
            }
            line.append(' ').append(word);
        }
        lines.add(line.toString());
        lines.add("Tokens are never accepted on the command line.");
        return lines.toArray(String[]::new);
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
