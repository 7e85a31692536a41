package pe.ruccache.cli;

import java.util.Locale;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** When {@code bulk --progress} draws a progress bar on stderr. */
enum ProgressMode {
    /** Only when stderr is a terminal and {@code --quiet} is not given. */
    AUTO,
    /** Always, even into a file or pipe. */
    ALWAYS,
    /** Never. */
    NEVER;

    /** Returns the word a user types. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the option's value, case-insensitive, surrounding blanks ignored; a wrong word is a usage error that
     * names the three (picocli's own converter would list the constants' upper-case names instead).
     */
    static final class Consumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String name = ((OptionSpec) argSpec).longestName();
            if (args.isEmpty() || commandSpec.findOption(args.peek()) != null) {
                // As picocli says it for any option that takes a value.
                throw new MissingParameterException(commandSpec.commandLine(), argSpec, "Missing required parameter "
                        + "for option '" + name + "' (" + argSpec.paramLabel() + ")");
            }
            String value = args.pop();
            for (ProgressMode mode : values()) {
                if (mode.name().equalsIgnoreCase(value.strip())) {
                    argSpec.setValue(mode);
                    return;
                }
            }
            throw new ParameterException(commandSpec.commandLine(), name + " takes auto, always or never, not '"
                    + value + "'");
        }
    }
}
