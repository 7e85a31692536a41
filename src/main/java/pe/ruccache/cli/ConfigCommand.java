package pe.ruccache.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pe.ruccache.app.Overrides;
import pe.ruccache.app.SettingsResolver;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.IoMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** {@code config show}: the settings in effect and where each comes from. */
@Command(name = "config", description = {"Show the settings in effect and where each comes from, or write a "
        + "commented config file."},
        footerHeading = "%nExamples:%n",
        footer = {"  ruc-cache config show", "  ruc-cache config init"},
        subcommands = {ConfigCommand.ConfigShowCommand.class, ConfigCommand.ConfigInitCommand.class})
final class ConfigCommand extends AbstractCommand {

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: show or init");
    }

    /** {@code config show}. */
    @Command(name = "show", description = {"Show every setting's value in effect and where it comes from: a flag, "
            + "the environment, the config file, or the default.",
        "Tokens and passwords are never shown, only whether and where they are set."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache config show",
                "  RUC_CACHE_TTL_VALID=2h ruc-cache config show --format json",
                "      What a run with this environment would use, and from where."})
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

    /** {@code config init}. */
    @Command(name = "init", description = {"Write a commented config file with every key and its default, "
            + "at --config, RUC_CACHE_CONFIG or $XDG_CONFIG_HOME/ruc-cache/config.properties.",
        "Private (rw-------), as it may hold tokens; an existing file is never overwritten."},
            footerHeading = "%nExamples:%n",
            footer = {"  ruc-cache config init",
                "      Then edit the file it names: set a token, the providers, the TTLs.",
                "  ruc-cache --config ./ruc-cache.properties config init"})
    static final class ConfigInitCommand extends AbstractCommand {

        private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
        private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

        @Override
        public Integer call() {
            format();
            RucCacheCommand r = root();
            Path file = new SettingsResolver(context().env(), context().userHome())
                    .configFileFor(new Overrides(r.store, r.config, null, null, null, false, null))
                    .toAbsolutePath().normalize();
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException("config file " + file + " exists already; edit it ('ruc-cache config "
                        + "show' says what it sets), or move it away and run 'config init' again");
            }
            String version = new VersionProvider().version();
            byte[] text = SettingsResolver.configTemplate(version).getBytes(StandardCharsets.UTF_8);
            try {
                Path folder = file.getParent();
                if (!Files.isDirectory(folder)) {
                    Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
                }
                // CREATE_NEW: another process's file that appeared meanwhile is not overwritten either.
                try (var channel = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(FILE))) {
                    channel.write(java.nio.ByteBuffer.wrap(text));
                }
                Files.setPosixFilePermissions(file, FILE);
            } catch (FileAlreadyExistsException e) {
                throw new ConfigException("config file " + file + " exists already; edit it, or move it away", e);
            } catch (IOException e) {
                throw new ConfigException("cannot write the config file " + file + ": " + IoMessages.reason(e), e);
            }
            printResult("wrote " + file + " (rw-------); remove a line's '#' to set that key",
                    Map.of("written", file.toString()));
            return ExitCodes.OK;
        }
    }
}
