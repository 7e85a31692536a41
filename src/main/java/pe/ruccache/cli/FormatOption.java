package pe.ruccache.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import pe.ruccache.bulk.OutputFormat;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/**
 * The global {@code --format} option, specialised per command: each command's copy lists the formats that command
 * declares ({@link AbstractCommand#formats()}) in its help and as completion candidates, and a word that is no
 * format at all ({@code --format 20100038146}) is reported as a bad format instead of a missing RUC.
 */
final class FormatOption {

    static final String NAME = "--format";

    private FormatOption() {
    }

    /**
     * Replaces the {@code --format} option of {@code root} and of every command under it by its specialised copy.
     * The list of every command's formats (the root's help, the message for a word that is no format) needs every
     * command's model: when {@code root} holds one command only ({@code full} false), that list is worked out from a
     * full command line the first time a message needs it, and the root's help text, which such a line never
     * prints, is left as declared.
     */
    static void install(CommandLine root, boolean full) {
        Converter converter = new Converter(full ? root : null);
        specialise(root, converter, full ? "Output format: " + converter.byCommand() + "." : null);
    }
    /** Returns the formats a command prints, its default first; commands without output of their own print these. */
    static List<OutputFormat> defaults() {
        return List.of(OutputFormat.TABLE, OutputFormat.JSON);
    }

    /** Returns the comma-separated names of {@code formats}, as messages and help list them. */
    static String names(List<OutputFormat> formats) {
        return formats.stream().map(OutputFormat::toString).collect(Collectors.joining(", "));
    }

    private static Map<String, List<OutputFormat>> collect(CommandLine cmd,
            Map<String, List<OutputFormat>> byCommand) {
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (sub.getCommand() instanceof AbstractCommand command && sub.getSubcommands().isEmpty()) {
                byCommand.put(sub.getCommandSpec().qualifiedName(" ").replace("ruc-cache ", ""), command.formats());
            }
            collect(sub, byCommand);
        }
        return byCommand;
    }

    /** Returns e.g. {@code lookup and invalid list: table, json, jsonl, csv; ...; the others: table, json}. */
    private static String describe(Map<String, List<OutputFormat>> byCommand) {
        Map<List<OutputFormat>, List<String>> groups = new LinkedHashMap<>();
        byCommand.forEach((name, formats) -> groups.computeIfAbsent(formats, f -> new ArrayList<>()).add(name));
        List<String> parts = new ArrayList<>();
        groups.forEach((formats, names) -> {
            if (!formats.equals(defaults())) {
                parts.add(and(names) + ": " + names(formats));
            }
        });
        parts.add("the others: " + names(defaults()));
        return String.join("; ", parts);
    }

    private static String and(List<String> names) {
        int last = names.size() - 1;
        return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " and " + names.get(last);
    }

    /** Replaces the option of {@code cmd} and of the commands under it; those without output (help) take any. */
    private static void specialise(CommandLine cmd, Converter converter, String all) {
        if (cmd.getCommand() instanceof AbstractCommand command) {
            List<OutputFormat> formats = command.formats();
            replace(cmd, converter, "Output format: " + names(formats) + " (default " + formats.get(0) + ").",
                    formats);
        } else {
            replace(cmd, converter, all == null ? cmd.getCommandSpec().findOption(NAME).description()[0] : all,
                    List.of(OutputFormat.values()));
        }
        cmd.getSubcommands().values().forEach(sub -> specialise(sub, converter, all));
    }

    private static void replace(CommandLine cmd, Converter converter, String description,
            List<OutputFormat> formats) {
        CommandSpec spec = cmd.getCommandSpec();
        OptionSpec inherited = spec.findOption(NAME);
        List<OptionSpec> options = spec.options();
        // The options after it are added again after the copy, so that help lists them in the order declared.
        List<OptionSpec> after = new ArrayList<>(options.subList(options.indexOf(inherited) + 1, options.size()));
        spec.remove(inherited);
        after.forEach(spec::remove);
        // LOCAL: each command gets copies of its own, which still set the root's fields, so global options may come
        // before or after the command word.
        spec.addOption(OptionSpec.builder(inherited).scopeType(ScopeType.LOCAL).converters(converter)
                .description(description).completionCandidates(formats.stream().map(OutputFormat::toString).toList())
                .build());
        after.forEach(o -> spec.addOption(OptionSpec.builder(o).scopeType(ScopeType.LOCAL).build()));
    }

    /** Accepts every format name, case-insensitive; the command then checks it is one of its own. */
    private static final class Converter implements ITypeConverter<OutputFormat> {

        /** The full command line, or null until a message needs one. */
        private CommandLine full;
        private String byCommand;

        Converter(CommandLine full) {
            this.full = full;
        }

        /** Returns every command's formats, e.g. {@code lookup and invalid list: table, json, jsonl, csv; ...}. */
        String byCommand() {
            if (byCommand == null) {
                if (full == null) {
                    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
                    full = CommandLineFactory.create(CliContext.system(), nowhere, nowhere);
                }
                byCommand = describe(collect(full, new LinkedHashMap<>()));
                full = null;
            }
            return byCommand;
        }

        @Override
        public OutputFormat convert(String value) {
            OutputFormat f = OutputFormat.named(value);
            if (f == null) {
                throw new TypeConversionException("'" + value + "' is not a format; " + byCommand());
            }
            return f;
        }
    }
}
