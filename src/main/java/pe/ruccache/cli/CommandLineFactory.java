package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import pe.ruccache.app.SettingKey;
import pe.ruccache.upstream.ProviderCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/** Builds the configured command line; both {@link Main} and the tests call it. */
public final class CommandLineFactory {

    /** The widest line of the environment list: picocli's usage width where it cannot ask the terminal. */
    private static final int FOOTER_WIDTH = 80;

    /** The help section after the Examples: the environment list (root) or where to find it (the others). */
    private static final String SECTION_KEY_ENVIRONMENT = "environment";

    /** What a command's help says in place of the exit-code table and the environment list. */
    static final String SEE_ROOT = "Exit codes and environment variables: see 'ruc-cache --help' or man ruc-cache.";

    private CommandLineFactory() {
    }

    /** The commands, in the order help lists them. */
    static final List<String> COMMANDS = List.of("lookup", "bulk", "invalid", "stats", "health", "clear", "padron",
            "serve", "config", "completion", "help");

    /** The global options that take a value, and those that take none; help and version are not among them. */
    private static final Set<String> ROOT_VALUED = Set.of("--store", "--config", FormatOption.NAME);
    private static final Set<String> ROOT_FLAGS = Set.of("-q", "--quiet", "-v", "--verbose", "--stacktrace");

    /** Returns the command line with every command, as help and completion see it. */
    public static CommandLine create(CliContext context, PrintWriter out, PrintWriter err) {
        return create(context, out, err, null);
    }

    /**
     * Returns the command line that runs {@code args}: results go to {@code out}, the rest to {@code err}. Building
     * a command's model (picocli reads its annotations by reflection) is most of a cached lookup's start-up, so when
     * the first word after the global options names a command, only that command is built; any other line (help,
     * an unknown word or option, no command) gets every command, so its messages and help list them all; a line
     * of only {@code --version} gets none.
     */
    public static CommandLine create(CliContext context, PrintWriter out, PrintWriter err, String[] args) {
        String only = args == null ? null : commandWord(args);
        // A line of only --version prints the version and needs no command at all.
        boolean none = args != null && args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        RucCacheCommand root = new RucCacheCommand();
        root.context = context;
        CommandLine cmd = new CommandLine(root);
        for (String name : COMMANDS) {
            if (!none && (only == null || only.equals(name))) {
                cmd.addSubcommand(name, newCommand(name));
            }
        }
        ErrorHandler handler = new ErrorHandler();
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(handler);
        cmd.setParameterExceptionHandler(handler);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setAbbreviatedOptionsAllowed(false);
        cmd.registerConverter(java.time.Duration.class, new DurationConverter());
        FormatOption.install(cmd, only == null && !none);
        apply(cmd, true);
        return cmd;
    }

    /**
     * Returns the command that {@code args} runs when only global options (each with its value) come before it, or
     * null for any other line.
     */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            if (ROOT_FLAGS.contains(arg) || equals > 0 && ROOT_VALUED.contains(arg.substring(0, equals))) {
                continue;
            }
            if (ROOT_VALUED.contains(arg)) {
                i++;
                continue;
            }
            return !arg.equals("help") && COMMANDS.contains(arg) ? arg : null;
        }
        return null;
    }

    /**
     * Returns whether {@code args} run a command that opens a SQLite file, as far as the line and the environment's
     * {@code storeEnv} tell (a config file may still name a Redis server).
     */
    static boolean opensSqlite(String[] args, String storeEnv) {
        String command = commandWord(args);
        if (command == null || command.equals("completion") || command.equals("config")
                || storeEnv != null && storeEnv.startsWith("redis")) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--store=redis") || args[i].equals("--store") && i + 1 < args.length
                    && args[i + 1].startsWith("redis")) {
                return false;
            }
        }
        return true;
    }

    /** Returns a new instance of the command named {@code name}, one of {@link #COMMANDS}. */
    static Object newCommand(String name) {
        return switch (name) {
            case "lookup" -> new LookupCommand();
            case "bulk" -> new BulkCommand();
            case "invalid" -> new InvalidCommand();
            case "stats" -> new StatsCommand();
            case "health" -> new HealthCommand();
            case "clear" -> new ClearCommand();
            case "padron" -> new PadronCommand();
            case "serve" -> new ServeCommand();
            case "config" -> new ConfigCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /**
     * Lays out the help of {@code cmd} and its subcommands: each command's Examples (its footer) before the exit codes;
     * the root help alone has the exit-code table and the environment list, which the others refer to.
     */
    private static void apply(CommandLine cmd, boolean root) {
        UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.remove(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING);
        keys.remove(UsageMessageSpec.SECTION_KEY_FOOTER);
        int at = keys.indexOf(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
        keys.addAll(at, List.of(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING, UsageMessageSpec.SECTION_KEY_FOOTER));
        keys.add(SECTION_KEY_ENVIRONMENT);
        usage.sectionKeys(keys);
        Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>(usage.sectionMap());
        if (cmd.getCommand() instanceof CommandLine.HelpCommand) {
            usage.footerHeading("%nExamples:%n").footer("  ruc-cache help bulk", "  ruc-cache help padron update");
        }
        if (root) {
            usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes());
            sections.put(SECTION_KEY_ENVIRONMENT, help -> String.format("%nEnvironment:%n")
                    + String.join(System.lineSeparator(), environmentList()) + System.lineSeparator());
        } else {
            sections.put(SECTION_KEY_ENVIRONMENT, help -> String.format("%n%s%n", SEE_ROOT));
        }
        usage.sectionMap(sections);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            apply(sub, false);
        }
    }

    /** Returns the root help's environment list: every variable of the settings table, in its order. */
    static String[] environmentList() {
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

    static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP_LIST) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return codes;
    }
}
