package pe.ruccache.app;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import pe.ruccache.cache.redis.RedisLocation;
import pe.ruccache.cache.redis.RedisOptions;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.RucRules;
import pe.ruccache.padron.PadronSettings;
import pe.ruccache.upstream.HttpSettings;
import pe.ruccache.upstream.ProviderCatalog;
import pe.ruccache.upstream.ProviderSettings;
import pe.ruccache.upstream.Token;

/**
 * Resolves {@link Settings} from the command line, the environment and the config file, in that order of
 * precedence. Every malformed value is a {@link ConfigException} that names where it came from.
 */
public final class SettingsResolver {

    private final Map<String, String> env;
    private final Path userHome;

    /**
     * Creates a resolver.
     *
     * @param env the environment (tests pass their own)
     * @param userHome the user's home folder, for the XDG defaults
     */
    public SettingsResolver(Map<String, String> env, Path userHome) {
        this.env = Map.copyOf(env);
        this.userHome = userHome;
    }

    /** Returns the settings for one run. */
    public Settings resolve(Overrides flags) {
        List<HealthCheck> warnings = new ArrayList<>();
        SettingSources sources = SettingSources.open(env, configFile(flags),
                flags.config() != null || blankToNull(env.get(SettingKey.CONFIG.env())) != null);
        Path home = home();

        String store = flags.store() != null ? flags.store()
                : sources.value(SettingKey.STORE, home.resolve("cache.db").toString());
        List<String> providers = flags.providers() != null ? SettingKey.providers(flags.providers())
                : sources.value(SettingKey.PROVIDERS);
        Duration ttlValid = flags.ttlValid() != null ? flags.ttlValid() : sources.value(SettingKey.TTL_VALID);
        Duration ttlInvalid = flags.ttlInvalid() != null ? flags.ttlInvalid() : sources.value(SettingKey.TTL_INVALID);
        requirePositive(ttlValid, "the valid TTL");
        requirePositive(ttlInvalid, "the invalid TTL");
        Duration lockTimeout = sources.value(SettingKey.LOCK_TIMEOUT);
        RucRules rules = sources.value(SettingKey.PREFIXES);

        HttpSettings defaults = HttpSettings.defaults();
        Duration callTimeout = sources.value(SettingKey.HTTP_TIMEOUT);
        requirePositive(callTimeout, "the HTTP timeout");
        HttpSettings http = new HttpSettings(defaults.connectTimeout().compareTo(callTimeout) < 0
                ? defaults.connectTimeout() : callTimeout, callTimeout, sources.value(SettingKey.HTTP_RETRIES),
                defaults.initialBackoff(), defaults.maxRetryWait(), flags.logHttp());
        double rate = flags.rate() != null ? flags.rate() : sources.value(SettingKey.RATE);
        if (rate > 0) {
            http = http.withRequestsPerSecond(rate);
        }

        Map<String, ProviderSettings> providerSettings = new LinkedHashMap<>();
        for (String name : providers) {
            if (ProviderCatalog.isNetworkProvider(name)) {
                providerSettings.put(name, providerSettings(name, sources, warnings));
            }
        }
        return new Settings(home, store, sources.configFile(), providers, providerSettings, ttlValid, ttlInvalid,
                rules, lockTimeout, http, warnings, padron(home, sources), redisOptions(store, sources, warnings),
                serve(sources));
    }

    /** Returns {@code file} as a path, {@code ~/} standing for the user's home. */
    private Path expandHome(String file) {
        return file.equals("~") || file.startsWith("~/") ? userHome.resolve(file.substring(Math.min(2, file.length())))
                : Path.of(file);
    }

    private Settings.Serve serve(SettingSources sources) {
        String clients = sources.value(SettingKey.SERVE_CLIENTS);
        return new Settings.Serve(sources.value(SettingKey.SERVE_LISTEN),
                clients == null || clients.isBlank() ? null : expandHome(clients),
                sources.value(SettingKey.SERVE_ACCESS_LOG));
    }

    /** One line of {@code config show}: a setting, its value as given or in effect, and where it comes from. */
    public record Shown(String key, String value, String from) {
    }

    /**
     * Returns every setting of the table (each provider's for the templates) with its effective value and where it
     * comes from: {@code flag --store}, {@code env RUC_CACHE_RATE}, {@code config file}, or {@code default}. Tokens
     * and passwords are never shown, only whether they are set. Resolves the settings first, so a bad value is the
     * ConfigException a run would get.
     */
    public List<Shown> describe(Overrides flags) {
        Settings settings = resolve(flags);
        SettingSources sources = SettingSources.open(env, settings.configFile(), false);
        List<Shown> shown = new ArrayList<>();
        for (SettingKey<?> template : SettingKey.ALL) {
            List<SettingKey<?>> keys = new ArrayList<>();
            List<String> names = new ArrayList<>();
            if (template.isTemplate()) {
                for (String provider : ProviderCatalog.networkProviders()) {
                    keys.add(template.forProvider(provider));
                    names.add(provider);
                }
            } else {
                keys.add(template);
                names.add(null);
            }
            for (int i = 0; i < keys.size(); i++) {
                shown.add(shown(template, keys.get(i), names.get(i), flags, sources, settings));
            }
        }
        return shown;
    }

    private Shown shown(SettingKey<?> template, SettingKey<?> key, String provider, Overrides flags,
            SettingSources sources, Settings settings) {
        String name = key.configKey() != null ? key.configKey() : key.env();
        String flag = flag(template, flags);
        String fromEnv = blankToNull(env.get(key.env()));
        String fromConfig = sources.configText(key);
        String from = flag != null ? "flag " + flag : fromEnv != null ? "env " + key.env()
                : fromConfig != null ? "config file" : "default";
        if (template == SettingKey.TOKEN || template == SettingKey.REDIS_PASSWORD) {
            return new Shown(name, from.equals("default") ? "not set" : "set", from.equals("default") ? "" : from);
        }
        String given = flag != null ? flagValue(template, flags) : fromEnv != null ? fromEnv : fromConfig;
        return new Shown(name, given != null ? given : effective(template, provider, settings), from);
    }

    private static String flag(SettingKey<?> template, Overrides flags) {
        if (template == SettingKey.STORE && flags.store() != null) {
            return "--store";
        }
        if (template == SettingKey.CONFIG && flags.config() != null) {
            return "--config";
        }
        if (template == SettingKey.PROVIDERS && flags.providers() != null) {
            return "--provider";
        }
        return null;
    }

    private static String flagValue(SettingKey<?> template, Overrides flags) {
        if (template == SettingKey.STORE) {
            return flags.store();
        }
        if (template == SettingKey.CONFIG) {
            return flags.config().toString();
        }
        return String.join(",", flags.providers());
    }

    /**
     * Returns the text of a new config file ({@code config init}): every key of the table that the file may hold,
     * each provider's for the per-provider ones, commented out with its default, under a line saying what it means.
     */
    public static String configTemplate(String version) {
        StringBuilder out = new StringBuilder()
                .append("# ruc-cache configuration, written by 'ruc-cache config init' (ruc-cache ").append(version)
                .append(").\n# Every line is commented out, so every default applies; remove the '#' to set one.\n")
                .append("# Precedence: a flag, then the environment (RUC_CACHE_...), then this file, then the ")
                .append("default.\n")
                .append("# This file may hold tokens: keep it private (it was written rw-------).\n")
                .append("# With only SUNAT's padron (no token), make it the provider: providers=padron\n");
        for (SettingKey<?> template : SettingKey.ALL) {
            if (template.configKey() == null) {
                continue;
            }
            out.append("\n# ").append(plain(template.help())).append('\n');
            List<String> providers = template.isTemplate() ? ProviderCatalog.networkProviders() : List.of("");
            for (String provider : providers) {
                SettingKey<?> key = template.isTemplate() ? template.forProvider(provider) : template;
                // As the file would say it: the rate's default is 0 (no limit), a word the parser does not take.
                String value = template == SettingKey.RATE ? "0"
                        : effective(template, provider.isEmpty() ? null : provider, null);
                out.append('#').append(key.configKey()).append('=').append(value).append('\n');
            }
        }
        return out.toString();
    }

    /** Returns the table's Markdown help as plain text: no backticks, links as their text. */
    private static String plain(String markdown) {
        return markdown.replace("`", "").replaceAll("\\[([^]]+)]\\([^)]*\\)", "$1");
    }

    /** Returns the config file that {@code flags} and the environment name: {@code --config}, else the default. */
    public Path configFileFor(Overrides flags) {
        return configFile(flags);
    }

    /**
     * Returns the value in effect when nothing gives one: a computed path (empty without {@code settings}), or the
     * table's default as written.
     */
    private static String effective(SettingKey<?> template, String provider, Settings settings) {
        if (settings == null && (template == SettingKey.HOME || template == SettingKey.STORE
                || template == SettingKey.CONFIG || template == SettingKey.PADRON_DB)) {
            return "";
        }
        if (template == SettingKey.HOME) {
            return settings.home().toString();
        }
        if (template == SettingKey.STORE) {
            return settings.store();
        }
        if (template == SettingKey.CONFIG) {
            return settings.configFile() + (Files.exists(settings.configFile()) ? "" : " (no such file)");
        }
        if (template == SettingKey.PADRON_DB) {
            return settings.padron().snapshot().toString();
        }
        if (template == SettingKey.URL) {
            return String.valueOf(ProviderCatalog.defaultBaseUrl(provider));
        }
        Object fallback = template.fallback();
        if (fallback == null) {
            return "";
        }
        if (fallback instanceof Duration d) {
            return DurationText.format(d);
        }
        if (fallback instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (fallback instanceof RucRules rules) {
            return rules.prefixes().stream().sorted().collect(Collectors.joining(","));
        }
        if (template == SettingKey.RATE) {
            return "0 (no limit)";
        }
        return String.valueOf(fallback);
    }

    /** Returns the padrón's settings: snapshot file, download URL and age limit. */
    private PadronSettings padron(Path home, SettingSources sources) {
        String file = sources.text(SettingKey.PADRON_DB);
        Path snapshot = file == null ? PadronSettings.defaults(home).snapshot() : expandHome(file);
        URI url = sources.value(SettingKey.PADRON_URL);
        Duration maxAge = sources.value(SettingKey.PADRON_MAX_AGE);
        requirePositive(maxAge, "the padrón's maximum age");
        return new PadronSettings(snapshot, url, maxAge);
    }

    /** Returns the config file path: {@code --config}, {@code RUC_CACHE_CONFIG}, or the XDG default. */
    private Path configFile(Overrides flags) {
        if (flags.config() != null) {
            return flags.config();
        }
        String fromEnv = blankToNull(env.get(SettingKey.CONFIG.env()));
        if (fromEnv != null) {
            return Path.of(fromEnv);
        }
        Path base = xdgBase("XDG_CONFIG_HOME", ".config");
        return base.resolve("ruc-cache").resolve("config.properties");
    }

    /** Returns {@code RUC_CACHE_HOME}, else {@code $XDG_CACHE_HOME/ruc-cache}, else {@code ~/.cache/ruc-cache}. */
    private Path home() {
        String explicit = blankToNull(env.get(SettingKey.HOME.env()));
        if (explicit != null) {
            return Path.of(explicit);
        }
        Path base = xdgBase("XDG_CACHE_HOME", ".cache");
        return base.resolve("ruc-cache");
    }

    /** Returns an XDG base folder; the specification says a relative value is invalid and must be ignored. */
    private Path xdgBase(String var, String fallbackUnderHome) {
        String value = blankToNull(env.get(var));
        if (value != null && Path.of(value).isAbsolute()) {
            return Path.of(value);
        }
        return userHome.resolve(fallbackUnderHome);
    }

    private ProviderSettings providerSettings(String name, SettingSources sources, List<HealthCheck> warnings) {
        SettingKey<String> tokenKey = SettingKey.TOKEN.forProvider(name);
        SettingKey<String> fileKey = SettingKey.TOKEN_FILE.forProvider(name);
        String fromEnv = blankToNull(env.get(tokenKey.env()));
        String fileFromEnv = blankToNull(env.get(fileKey.env()));
        String fromConfig = sources.configText(tokenKey);
        String fileFromConfig = sources.configText(fileKey);
        Path configFile = sources.configFile();
        Token token = null;
        if (fromEnv != null) {
            token = new Token(fromEnv, tokenKey.env());
        } else if (fileFromEnv != null) {
            token = readTokenFile(Path.of(fileFromEnv), fileKey.env(), warnings);
        } else if (fromConfig != null) {
            token = new Token(fromConfig, "config file " + configFile);
            warnIfShared(configFile, "config file " + configFile + ", which holds a token,", warnings);
        } else if (fileFromConfig != null) {
            token = readTokenFile(Path.of(fileFromConfig), fileKey.configKey() + " in " + configFile, warnings);
        }
        URI url = sources.value(SettingKey.URL.forProvider(name), ProviderCatalog.defaultBaseUrl(name));
        return new ProviderSettings(name, url, token);
    }

    private static Token readTokenFile(Path file, String origin, List<HealthCheck> warnings) {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read the token file " + file + " (named by " + origin + "): "
                    + IoMessages.reason(e));
        }
        if (value.isEmpty()) {
            throw new ConfigException("the token file " + file + " (named by " + origin + ") is empty");
        }
        warnIfShared(file, "token file " + file, warnings);
        return new Token(value, file.toString());
    }

    private static void warnIfShared(Path file, String what, List<HealthCheck> warnings) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(HealthCheck.warning("config.permissions", what
                        + " is readable by other users; run: chmod 600 " + file));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Permissions cannot be read on this file system; nothing to warn about.
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(what + " must be longer than zero");
        }
    }

    private static String blankToNull(String s) {
        return SettingSources.blankToNull(s);
    }

    /**
     * Returns the Redis store's options: prefix, grace period and timeout from the environment or the config file,
     * and the password from {@code RUC_CACHE_REDIS_PASSWORD}, which keeps it out of argv, {@code ps} and files.
     */
    private RedisOptions redisOptions(String store, SettingSources sources, List<HealthCheck> warnings) {
        if (store.equals(sources.configText(SettingKey.STORE)) && RedisLocation.isRedis(store)
                && RedisLocation.parse(store).password() != null) {
            warnIfShared(sources.configFile(), "config file " + sources.configFile()
                    + ", which holds the Redis password,", warnings);
        }
        // Not stripped: a password may begin or end with a space.
        String password = env.get(SettingKey.REDIS_PASSWORD.env());
        return new RedisOptions(sources.value(SettingKey.REDIS_PREFIX), sources.value(SettingKey.REDIS_GRACE),
                sources.value(SettingKey.REDIS_TIMEOUT), password == null || password.isEmpty() ? null : password);
    }
}
