package pe.ruccache.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pe.ruccache.app.Overrides;
import pe.ruccache.app.SettingsResolver;
import pe.ruccache.bulk.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** {@code config show}: the settings in effect and where each comes from. */
@Command(name = "config", description = "The settings in effect: each value and where it comes from.",
        subcommands = ConfigCommand.ConfigShowCommand.class)
final class ConfigCommand extends AbstractCommand {

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: show");
    }

    /** {@code config show}. */
    @Command(name = "show", description = {"Show every setting's value in effect and where it comes from: a flag, "
            + "the environment, the config file, or the default.",
        "Tokens and passwords are never shown, only whether and where they are set."})
    static final class ConfigShowCommand extends AbstractCommand {

        @Override
        public Integer call() {
            OutputFormat format = format();
            RucCacheCommand r = root();
            if (r.store != null && r.store.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--store needs a file path");
            }
            List<SettingsResolver.Shown> shown = new SettingsResolver(context().env(), context().userHome())
                    .describe(new Overrides(r.store, r.config, null, null, null, r.verbose, null));
            if (format == OutputFormat.JSON) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (SettingsResolver.Shown s : shown) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("key", s.key());
                    one.put("value", s.value());
                    one.put("from", s.from());
                    list.add(one);
                }
                out().println(Json.pretty(Map.of("settings", list)));
            } else {
                TextTable t = new TextTable("SETTING", "VALUE", "FROM");
                shown.forEach(s -> t.add(s.key(), s.value(), s.from()));
                t.print(out());
            }
            out().flush();
            return ExitCodes.OK;
        }
    }
}
