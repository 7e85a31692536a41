package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command's help: a whole-sentence summary, described parameters, an Examples section whose command lines
 * parse, and the exit codes and environment in the root help alone, which the others refer to.
 */
class HelpTest {

    @Test
    void everyCommand_hasExamples_aWholeSentenceSummary_andDescribedParameters() {
        for (CommandLine cmd : ManPages.commands(ManPages.fullModel())) {
            CommandSpec spec = cmd.getCommandSpec();
            String name = spec.qualifiedName();
            String[] footer = spec.usageMessage().footer();
            assertTrue(footer.length > 0 && footer[0].startsWith("  "), name + " has examples");
            for (String line : footer) {
                assertTrue(line.length() <= 80, name + ": wrapped by picocli: " + line);
            }
            // The command list shows the header when there is one (picocli's help command has), else the description.
            String[] header = spec.usageMessage().header();
            String[] summaries = header.length > 0 ? header : spec.usageMessage().description();
            assertTrue(summaries.length > 0, name);
            String summary = summaries[0];
            assertTrue(Character.isUpperCase(summary.charAt(0)) && summary.endsWith("."), name + ": " + summary);
            for (PositionalParamSpec p : spec.positionalParameters()) {
                assertTrue(p.description().length > 0 && !p.description()[0].isBlank(),
                        name + " " + p.paramLabel() + " is described");
            }
            String help = cmd.getUsageMessage();
            assertTrue(help.contains("\nExamples:\n"), name);
            if (cmd.getParent() == null) {
                assertTrue(help.indexOf("Examples:") < help.indexOf("Exit codes:")
                        && help.indexOf("Exit codes:") < help.indexOf("Environment:"), help);
            } else {
                assertFalse(help.contains("Exit codes:") || help.contains("Environment:"), name + ":\n" + help);
                assertTrue(help.strip().endsWith(CommandLineFactory.SEE_ROOT), name + ":\n" + help);
            }
        }
    }

    @Test
    void everyExampleCommandLine_parses() {
        int parsed = 0;
        for (CommandLine cmd : ManPages.commands(ManPages.fullModel())) {
            for (String line : cmd.getCommandSpec().usageMessage().footer()) {
                if (!line.startsWith("  ") || line.startsWith("   ")) {
                    continue; // an explanation, indented further
                }
                for (List<String> args : commandLines(line.strip())) {
                    try {
                        ManPages.fullModel().parseArgs(args.toArray(String[]::new));
                        parsed++;
                    } catch (CommandLine.ParameterException e) {
                        fail(cmd.getCommandSpec().qualifiedName() + " example '" + line.strip() + "': "
                                + e.getMessage());
                    }
                }
            }
        }
        assertTrue(parsed >= 40, "examples parsed: " + parsed);
    }

    @Test
    void commandLines_splitsAShellLineIntoTheToolsArguments() {
        assertEquals(List.of(List.of("padron", "update"), List.of("lookup", "--provider", "padron", "1")),
                commandLines("ruc-cache padron update && ruc-cache lookup --provider padron 1"));
        assertEquals(List.of(List.of("completion", "bash")), commandLines("eval \"$(ruc-cache completion bash)\""));
        assertEquals(List.of(List.of("invalid", "add", "1", "--reason", "a b")),
                commandLines("X=1 ruc-cache invalid add 1 --reason 'a b' > out.csv"));
        assertEquals(List.of(List.of("lookup", "-")), commandLines("cut -d, -f1 r.csv | ruc-cache lookup -"));
    }

    /** The argument lists of the ruc-cache commands in a shell line: words after "ruc-cache", up to a redirection. */
    static List<List<String>> commandLines(String line) {
        List<List<String>> lines = new ArrayList<>();
        String inner = line.replaceAll("^.*\\$\\((.*)\\).*$", "$1");
        for (String segment : inner.split("&&|\\|\\||\\||;")) {
            List<String> words = words(segment);
            int at = words.indexOf("ruc-cache");
            if (at < 0) {
                continue;
            }
            List<String> args = new ArrayList<>();
            for (String word : words.subList(at + 1, words.size())) {
                if (word.startsWith(">")) {
                    break;
                }
                args.add(word);
            }
            lines.add(args);
        }
        return lines;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
