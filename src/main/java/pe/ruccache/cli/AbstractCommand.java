package pe.ruccache.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import pe.ruccache.app.Overrides;
import pe.ruccache.app.Services;
import pe.ruccache.app.Settings;
import pe.ruccache.app.SettingsResolver;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.core.DurationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the global options, the process context, output streams and services. */
@Command
abstract class AbstractCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Returns the root command, which holds the global options and the context. */
    final RucCacheCommand root() {
        return (RucCacheCommand) spec.root().userObject();
    }

    final CliContext context() {
        return root().context;
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a warning on stderr unless {@code --quiet}. */
    final void warn(String message) {
        if (!root().quiet) {
            err().println("ruc-cache: warning: " + message);
        }
    }

    /** Prints a note on stderr unless {@code --quiet}. */
    final void note(String message) {
        if (!root().quiet) {
            err().println("ruc-cache: " + message);
        }
    }

    /** Returns the settings of this run, from these flags, the environment and the config file. */
    final Settings settings(List<String> providers, Duration ttlValid, Duration ttlInvalid) {
        return settings(providers, ttlValid, ttlInvalid, null);
    }

    /** Returns the settings of this run, with {@code rate} requests per second per provider when not null. */
    final Settings settings(List<String> providers, Duration ttlValid, Duration ttlInvalid, Double rate) {
        RucCacheCommand r = root();
        if (r.store != null && r.store.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--store needs a file path");
        }
        // A bad flag is a usage error (64), as every other bad option value; the same value from the environment or
        // the config file is a configuration error (78), which the resolver reports.
        requirePositive(ttlValid, "--ttl-valid");
        requirePositive(ttlInvalid, "--ttl-invalid");
        Overrides overrides = new Overrides(r.store, r.config, providers, ttlValid, ttlInvalid, r.verbose, rate);
        return new SettingsResolver(context().env(), context().userHome()).resolve(overrides);
    }

    private void requirePositive(Duration value, String option) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new ParameterException(spec.commandLine(), option + " must be longer than zero, not "
                    + DurationText.format(value));
        }
    }

    /** Opens the services of this run; close them with try-with-resources. */
    final Services services(Settings settings) {
        // The services print only warnings (and -v's HTTP log): --quiet silences them.
        PrintWriter warnings = root().quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err();
        return new Services(settings, context().clock(), warnings, context().userHome());
    }

    /**
     * Opens the services of a run that only reads the store: where there is no store, it fails with one line and
     * creates none (a mistyped {@code --store} must not leave an empty cache and its folders behind).
     */
    final Services readingServices(Settings settings) {
        return services(settings).existingStoreOnly();
    }

    /**
     * Prints what a command that changes the store did: {@code text} for people, or with {@code --format json} one
     * object such as {@code {"removed": 3}} for scripts.
     */
    final void printResult(String text, java.util.Map<String, Object> json) {
        if (format() == OutputFormat.JSON) {
            out().println(Json.compact(json));
        } else {
            out().println(text);
        }
        out().flush();
    }

    /** Returns the formats this command prints, its default first; {@code --help} and completion list them. */
    List<OutputFormat> formats() {
        return FormatOption.defaults();
    }

    /** Returns the chosen output format, the command's default when none was given; another is a usage error. */
    final OutputFormat format() {
        List<OutputFormat> allowed = formats();
        OutputFormat f = root().format == null ? allowed.get(0) : root().format;
        if (!allowed.contains(f)) {
            throw new ParameterException(spec.commandLine(), "'" + f + "' is not a format of "
                    + spec.qualifiedName(" ").replace("ruc-cache ", "") + "; use one of: "
                    + FormatOption.names(allowed));
        }
        return f;
    }
}
