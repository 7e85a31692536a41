package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code completion bash|zsh}: the script bash sources completes commands, options and closed sets of values. */
class CompletionTest {

    private static final Path BASH = Path.of("/bin/bash");

    @TempDir
    Path tmp;

    @Test
    void bashSourcesTheScriptAndCompletesCommandsOptionsAndValues() throws Exception {
        assumeTrue(Files.isExecutable(BASH), "no /bin/bash");
        CliHarness.Result r = new CliHarness(tmp).run("completion", "bash");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), r.toString());
        Path script = Files.writeString(tmp.resolve("ruc-cache.bash"), r.out());
        // Calls the completion function as bash does on TAB, with the words typed so far, and prints its answer.
        Path driver = Files.writeString(tmp.resolve("driver.sh"), String.join("\n",
                "source '" + script + "'",
                "complete -p ruc-cache",
                "fn=$(complete -p ruc-cache | sed -E 's/.* -F ([^ ]+) .*/\\1/')",
                "try() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=();",
                "  \"$fn\" ruc-cache \"${COMP_WORDS[-1]}\" \"${COMP_WORDS[-2]}\" 2>/dev/null;",
                "  echo \"${COMPREPLY[*]}\"; }",
                "try ruc-cache lo",
                "try ruc-cache ''",
                "try ruc-cache lookup --for",
                "try ruc-cache lookup --format ''",
                "try ruc-cache stats --format ''",
                "try ruc-cache bulk --progress ''",
                "try ruc-cache lookup --provider ''",
                "try ruc-cache invalid ''",
                ""));
        Process p = new ProcessBuilder(BASH.toString(), driver.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "complete -o default -F _complete_ruc-cache ruc-cache",
                "lookup",
                String.join(" ", CommandLineFactory.COMMANDS),
                "--format",
                "table json jsonl csv",
                "table json prometheus",
                "auto always never",
                "migo decolecta apisnet padron",
                "list show add remove clear"), lines);
    }

    @Test
    void zshGetsTheSameScriptAndAnotherShellIsAUsageError() {
        CliHarness cli = new CliHarness(tmp);
        CliHarness.Result bash = cli.run("completion", "bash");
        CliHarness.Result zsh = cli.run("completion", "zsh");
        assertEquals(0, zsh.code(), zsh.toString());
        assertTrue(zsh.out().startsWith("#compdef ruc-cache\n") && zsh.out().contains(bash.out()),
                "zsh runs picocli's script through bashcompinit, from a completion function file");
        assertTrue(bash.out().contains("ZSH_VERSION"), "the script loads bashcompinit in zsh itself");
        CliHarness.Result fish = cli.run("completion", "fish");
        assertEquals(64, fish.code(), fish.toString());
        assertEquals("", fish.out());
        assertEquals(1, fish.err().lines().count(), fish.toString());
        assertTrue(fish.err().contains("expected one of [bash, zsh]"), fish.err());
    }

    @Test
    void zshLoadsTheScriptAsACompletionFunctionFile() throws Exception {
        Path zshell = Path.of("/usr/bin/zsh");
        assumeTrue(Files.isExecutable(zshell), "no zsh (CI installs it)");
        Path functions = Files.createDirectories(tmp.resolve("site-functions"));
        Files.writeString(functions.resolve("_ruc-cache"), new CliHarness(tmp).run("completion", "zsh").out());
        // compinit finds the file by its #compdef line; once autoloaded, it hands ruc-cache to bashcompinit's
        // _bash_complete with picocli's function; sourcing the file registers the same.
        String script = "fpath=(" + functions + " $fpath); autoload -U compinit && compinit -u -d " + tmp.resolve("zcd")
                + "\nprint -r -- \"found:$_comps[ruc-cache]\"\nsource " + functions.resolve("_ruc-cache")
                + "\nprint -r -- \"registered:$_comps[ruc-cache]\"\n"
                + "print -r -- \"function:$+functions[_complete_ruc-cache]\"\n";
        Path driver = tmp.resolve("driver.zsh");
        Files.writeString(driver, script);
        Process p = new ProcessBuilder(zshell.toString(), "-f", driver.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of("found:_ruc-cache", "registered:_bash_complete -F _complete_ruc-cache -o default",
                "function:1"), out.lines().toList(), out);
    }
}
