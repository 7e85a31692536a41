package pe.ruccache.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.ParameterException;

/** Asks a person before something destructive; a script must say {@code --yes} instead. */
final class Confirmation {

    private Confirmation() {
    }

    /**
     * Returns true when {@code yes} was given or the person at the terminal answers yes; false on any other answer.
     * Without a terminal and without {@code --yes} it is a usage error, so cron never blocks on a prompt.
     */
    static boolean confirmed(AbstractCommand cmd, boolean yes, String question) {
        if (yes) {
            return true;
        }
        if (!cmd.context().interactive()) {
            throw new ParameterException(cmd.spec.commandLine(),
                    "this removes entries for good; add --yes to confirm when not running at a terminal");
        }
        cmd.err().print(question + " [y/N] ");
        cmd.err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(cmd.context().stdin(), StandardCharsets.UTF_8))
                    .readLine();
            String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
            boolean ok = a.equals("y") || a.equals("yes") || a.equals("s") || a.equals("si") || a.equals("sí");
            if (!ok) {
                cmd.err().println("ruc-cache: nothing removed");
            }
            return ok;
        } catch (IOException e) {
            return false;
        }
    }
}
