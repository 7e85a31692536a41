package pe.ruccache.cli;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code completion bash|zsh}: prints the shell completion script, which picocli generates from the same model as
 * {@code --help}: every command, subcommand and option, and the closed sets of values (formats, providers,
 * {@code --progress}).
 */
@Command(name = "completion", sortOptions = false,
        description = {"Print the shell completion script for bash or zsh.",
            "bash: eval \"$(ruc-cache completion bash)\" in ~/.bashrc, or save it as",
            "  /etc/bash_completion.d/ruc-cache; zsh: eval \"$(ruc-cache completion zsh)\" in ~/.zshrc."},
        footerHeading = "%nExamples:%n",
        footer = {"  eval \"$(ruc-cache completion bash)\"",
            "  ruc-cache completion bash > /etc/bash_completion.d/ruc-cache",
            "  ruc-cache completion zsh > ~/.zfunc/_ruc-cache",
            "      With fpath+=(~/.zfunc) before compinit in ~/.zshrc."})
final class CompletionCommand extends AbstractCommand {

    /** The shells a script is printed for. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        format(); // the script is the same whichever; a format no command has is still refused
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        // Every command's model, whatever this line built: the script completes them all.
        CommandLine full = CommandLineFactory.create(context(), nowhere, nowhere);
        String script = AutoComplete.bash("ruc-cache", full);
        if (shell == Shell.zsh) {
            // picocli's script runs in zsh through bashcompinit, which it loads itself when ZSH_VERSION is set. The
            // same text is a completion function file (_ruc-cache on $fpath): compinit autoloads it by the #compdef
            // line on the first completion, which it must then also answer; sourced or eval'ed, it only registers.
            // zsh has no compopt; picocli's alias for it is not seen by the functions of an autoloaded file.
            script = "#compdef ruc-cache\n# ruc-cache completion for zsh (bash-style completion through bashcompinit)\n"
                    + "(( $+functions[compopt] )) || compopt() { return 0; }\n" + script
                    + "\nif [ \"${funcstack[1]}\" = \"_ruc-cache\" ]; then\n"
                    + "  _bash_complete -F _complete_ruc-cache -o default\nfi\n";
        }
        out().print(script);
        out().flush();
        return ExitCodes.OK;
    }
}
