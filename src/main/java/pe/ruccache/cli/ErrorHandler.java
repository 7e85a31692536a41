package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.List;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.InputException;
import pe.ruccache.core.OutputException;
import pe.ruccache.core.RucException;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.UnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one error handler: an expected failure prints one line a user can act on and returns its exit code; a stack
 * trace appears only with {@code --stacktrace} or for a bug.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** What picocli's help command says of a word that is no command. */
    private static final java.util.regex.Pattern UNKNOWN_HELP_TOPIC =
            java.util.regex.Pattern.compile("Unknown subcommand '(.*)'\\.?");

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean stacktrace = wantsStacktrace(cmd);
        if (ex instanceof ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        if (ex instanceof RucException re) {
            err.println("ruc-cache: " + re.getMessage());
            if (stacktrace) {
                ex.printStackTrace(err);
            }
            err.flush();
            return exitCode(re);
        }
        err.println("ruc-cache: internal error: " + ex + " (a bug; rerun with --stacktrace and report it)");
        if (stacktrace) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.SOFTWARE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = usageMessage(ex);
        err.println("ruc-cache: " + message + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        if (cmd.getCommandSpec().userObject() instanceof HealthCommand) {
            // A monitoring system reads stdout's first line whatever happened.
            cmd.getOut().println(HealthCommand.statusLine(HealthCheck.Level.UNKNOWN,
                    List.of(new HealthCheck("options", HealthCheck.Level.UNKNOWN, message))));
            cmd.getOut().flush();
        }
        // health is a monitoring plugin: a check that could not run is UNKNOWN in the Nagios convention.
        return cmd.getCommandSpec().userObject() instanceof HealthCommand ? ExitCodes.UNKNOWN : ExitCodes.USAGE;
    }

    /** Returns picocli's complaint as one line: unknown words named plainly, with suggestions inline. */
    static String usageMessage(ParameterException ex) {
        java.util.regex.Matcher help = UNKNOWN_HELP_TOPIC.matcher(String.valueOf(ex.getMessage()));
        if (!(ex instanceof UnmatchedArgumentException) && help.matches()) {
            // 'help nosuch': picocli's own sentence, worded and suggested like any unknown command.
            return usageMessage(new UnmatchedArgumentException(ex.getCommandLine(), List.of(help.group(1))));
        }
        if (ex instanceof UnmatchedArgumentException u && !u.isUnknownOption()) {
            List<String> unmatched = u.getUnmatched();
            CommandLine cmd = u.getCommandLine();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (cmd.getSubcommands().containsKey(first)) {
                // A command's own name is unmatched only after '--', which makes every later word an argument.
                return "'--' ends the options, so '" + first + "' after it is not read as a command; leave out the "
                        + "'--' (" + cmd.getCommandSpec().qualifiedName() + " " + first + " ...)";
            }
            String what = !cmd.getSubcommands().isEmpty() && !first.startsWith("-")
                    ? "unknown command '" + first + "'"
                    : "unexpected argument" + (unmatched.size() > 1 ? "s " : " ") + quoted(unmatched);
            return what + suggestions(u);
        }
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException u) {
            // An unknown option shifts the arguments after it: picocli then lists a file name beside it, as if it
            // were an option too. Name only the ones that look like options.
            List<String> options = u.getUnmatched().stream().filter(a -> a.startsWith("-") && a.length() > 1).toList();
            if (!options.isEmpty() && options.size() < u.getUnmatched().size()) {
                message = "Unknown option" + (options.size() > 1 ? "s: " : ": ") + quoted(options);
            }
            message += suggestions(u);
        }
        // picocli ends some messages with a period; ours go on with "; see ...".
        message = message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static String suggestions(UnmatchedArgumentException u) {
        List<String> s = u.getSuggestions();
        return s.isEmpty() ? "" : " (did you mean " + String.join(" or ", s) + "?)";
    }

    private static String quoted(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.length() == 0 ? "" : ", ").append('\'').append(w).append('\'');
        }
        return b.toString();
    }

    /** Returns the exit code of an expected failure. */
    static int exitCode(RucException e) {
        if (e instanceof StoreException) {
            return ExitCodes.STORE;
        }
        if (e instanceof ConfigException) {
            return ExitCodes.CONFIG;
        }
        if (e instanceof InputException) {
            return ExitCodes.DATA;
        }
        if (e instanceof OutputException) {
            return ExitCodes.STORE;
        }
        if (e instanceof UnavailableException) {
            return ExitCodes.UNAVAILABLE;
        }
        return ExitCodes.SOFTWARE;
    }

    private static boolean wantsStacktrace(CommandLine cmd) {
        Object root = cmd.getCommandSpec().root().userObject();
        return root instanceof RucCacheCommand r && r.stacktrace;
    }
}
