package pe.ruccache.app;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
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

    /** The provider chain when nothing else is configured. */
    public static final List<String> DEFAULT_PROVIDERS = List.of("migo");
    /** How long to wait for a store locked by another process when nothing else is configured. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> GLOBAL_KEYS = Set.of("store", "providers", "ttl.valid", "ttl.invalid",
            "prefixes", "lock.timeout", "http.timeout", "http.retries", "padron.db", "padron.url", "padron.max_age", "rate");
    private static final List<String> PROVIDER_KEYS = List.of("token", "token_file", "url");
    private static final Set<String> REDIS_KEYS = Set.of("redis.prefix", "redis.grace", "redis.timeout");

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
        Path configFile = configFile(flags);
        boolean explicitConfig = flags.config() != null || blankToNull(env.get("RUC_CACHE_CONFIG")) != null;
        Properties config = loadConfig(configFile, explicitConfig);
        Path home = home();

        String store = first(flags.store(), env.get("RUC_CACHE_STORE"), config.getProperty("store"),
                home.resolve("cache.db").toString());

        List<String> providers;
        if (flags.providers() != null) {
            providers = checkProviders(flags.providers());
        } else {
            String listed = first(env.get("RUC_CACHE_PROVIDERS"), config.getProperty("providers"), null);
            try {
                providers = listed == null ? DEFAULT_PROVIDERS : checkProviders(Arrays.asList(listed.split(",")));
            } catch (ConfigException e) {
                throw new ConfigException(e.getMessage() + " (from " + origin("RUC_CACHE_PROVIDERS", "providers",
                        configFile) + ")");
            }
        }

        Duration ttlValid = flags.ttlValid() != null ? flags.ttlValid()
                : duration("RUC_CACHE_TTL_VALID", "ttl.valid", config, configFile, Duration.ofHours(1));
        Duration ttlInvalid = flags.ttlInvalid() != null ? flags.ttlInvalid()
                : duration("RUC_CACHE_TTL_INVALID", "ttl.invalid", config, configFile, Duration.ofHours(24));
        requirePositive(ttlValid, "the valid TTL");
        requirePositive(ttlInvalid, "the invalid TTL");
        Duration lockTimeout = duration("RUC_CACHE_LOCK_TIMEOUT", "lock.timeout", config, configFile,
                DEFAULT_LOCK_TIMEOUT);

        RucRules rules = RucRules.defaults();
        String prefixes = first(env.get("RUC_CACHE_PREFIXES"), config.getProperty("prefixes"), null);
        if (prefixes != null) {
            try {
                rules = RucRules.withPrefixes(Arrays.stream(prefixes.split(",")).filter(s -> !s.isBlank()).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("bad RUC prefixes '" + prefixes + "' (from " + origin("RUC_CACHE_PREFIXES",
                        "prefixes", configFile) + "): " + e.getMessage());
            }
        }

        HttpSettings defaults = HttpSettings.defaults();
        Duration callTimeout = duration("RUC_CACHE_HTTP_TIMEOUT", "http.timeout", config, configFile,
                defaults.callTimeout());
        requirePositive(callTimeout, "the HTTP timeout");
        int retries = integer("RUC_CACHE_HTTP_RETRIES", "http.retries", config, configFile, defaults.maxRetries());
        HttpSettings http = new HttpSettings(defaults.connectTimeout().compareTo(callTimeout) < 0
                ? defaults.connectTimeout() : callTimeout, callTimeout, retries, defaults.initialBackoff(),
                defaults.maxRetryWait(), flags.logHttp());
        double rate = flags.rate() != null ? flags.rate() : rate(config, configFile);
        if (rate > 0) {
            http = http.withRequestsPerSecond(rate);
        }

        Map<String, ProviderSettings> providerSettings = new LinkedHashMap<>();
        for (String name : providers) {
            if (ProviderCatalog.isNetworkProvider(name)) {
                providerSettings.put(name, providerSettings(name, config, configFile, warnings));
            }
        }
        return new Settings(home, store, configFile, providers, providerSettings, ttlValid, ttlInvalid, rules,
                lockTimeout, http, warnings, padron(home, config, configFile),
                redisOptions(store, config, configFile, warnings));
    }

    /** Returns the padrón's settings: snapshot file, download URL and age limit. */
    private PadronSettings padron(Path home, Properties config, Path configFile) {
        PadronSettings defaults = PadronSettings.defaults(home);
        String file = first(env.get("RUC_CACHE_PADRON_DB"), config.getProperty("padron.db"), null);
        Path snapshot = file == null ? defaults.snapshot()
                : file.equals("~") || file.startsWith("~/")
                        ? userHome.resolve(file.substring(Math.min(2, file.length())))
                        : Path.of(file);
        String url = first(env.get("RUC_CACHE_PADRON_URL"), config.getProperty("padron.url"), null);
        URI uri = defaults.url();
        if (url != null) {
            try {
                uri = new URI(url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(url, "not an http(s) URL with a host");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException("bad URL '" + url + "' for the padrón (from "
                        + origin("RUC_CACHE_PADRON_URL", "padron.url", configFile) + "): " + e.getReason());
            }
        }
        Duration maxAge = duration("RUC_CACHE_PADRON_MAX_AGE", "padron.max_age", config, configFile,
                defaults.maxAge());
        requirePositive(maxAge, "the padrón's maximum age");
        return new PadronSettings(snapshot, uri, maxAge);
    }

    /** Returns the config file path: {@code --config}, {@code RUC_CACHE_CONFIG}, or the XDG default. */
    private Path configFile(Overrides flags) {
        if (flags.config() != null) {
            return flags.config();
        }
        String fromEnv = blankToNull(env.get("RUC_CACHE_CONFIG"));
        if (fromEnv != null) {
            return Path.of(fromEnv);
        }
        Path base = xdgBase("XDG_CONFIG_HOME", ".config");
        return base.resolve("ruc-cache").resolve("config.properties");
    }

    /** Returns {@code RUC_CACHE_HOME}, else {@code $XDG_CACHE_HOME/ruc-cache}, else {@code ~/.cache/ruc-cache}. */
    private Path home() {
        String explicit = blankToNull(env.get("RUC_CACHE_HOME"));
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

    private static Properties loadConfig(Path file, boolean explicit) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new ConfigException("config file " + file + " does not exist");
            }
            return props;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException("config file " + file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + IoMessages.reason(e));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("malformed config file " + file + ": " + e.getMessage()
                    + " (expected key=value lines, e.g. migo.token=...)");
        }
        Set<String> unknown = new TreeSet<>();
        for (String key : props.stringPropertyNames()) {
            if (!GLOBAL_KEYS.contains(key) && !isProviderKey(key) && !REDIS_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " in config file " + file + "; known keys: " + String.join(", ", new TreeSet<>(GLOBAL_KEYS))
                    + ", " + String.join(", ", new TreeSet<>(REDIS_KEYS))
                    + ", <provider>.token, <provider>.token_file, <provider>.url");
        }
        return props;
    }

    private static boolean isProviderKey(String key) {
        int dot = key.indexOf('.');
        return dot > 0 && ProviderCatalog.isNetworkProvider(key.substring(0, dot))
                && PROVIDER_KEYS.contains(key.substring(dot + 1));
    }

    private ProviderSettings providerSettings(String name, Properties config, Path configFile,
            List<HealthCheck> warnings) {
        String tokenVar = ProviderCatalog.tokenEnv(name);
        String fileVar = ProviderCatalog.tokenFileEnv(name);
        String urlVar = ProviderCatalog.urlEnv(name);

        Token token = null;
        String fromEnv = blankToNull(env.get(tokenVar));
        String fileFromEnv = blankToNull(env.get(fileVar));
        String fromConfig = blankToNull(config.getProperty(ProviderCatalog.tokenKey(name)));
        String fileFromConfig = blankToNull(config.getProperty(name + ".token_file"));
        if (fromEnv != null) {
            token = new Token(fromEnv, tokenVar);
        } else if (fileFromEnv != null) {
            token = readTokenFile(Path.of(fileFromEnv), fileVar, warnings);
        } else if (fromConfig != null) {
            token = new Token(fromConfig, "config file " + configFile);
            warnIfShared(configFile, "config file " + configFile + ", which holds a token,", warnings);
        } else if (fileFromConfig != null) {
            token = readTokenFile(Path.of(fileFromConfig), name + ".token_file in " + configFile, warnings);
        }

        String url = first(env.get(urlVar), config.getProperty(ProviderCatalog.urlKey(name)),
                ProviderCatalog.defaultBaseUrl(name).toString());
        URI uri;
        try {
            uri = new URI(url.strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException("bad URL '" + url + "' for provider " + name + " (from "
                    + origin(urlVar, ProviderCatalog.urlKey(name), configFile) + "): " + e.getReason());
        }
        return new ProviderSettings(name, uri, token);
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

    private static List<String> checkProviders(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String raw : names) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            ProviderCatalog.requireKnown(name);
            if (out.contains(name)) {
                throw new ConfigException("provider '" + name + "' is listed twice");
            }
            out.add(name);
        }
        return out;
    }

    private Duration duration(String var, String key, Properties config, Path configFile, Duration fallback) {
        String text = first(env.get(var), config.getProperty(key), null);
        if (text == null) {
            return fallback;
        }
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (from " + origin(var, key, configFile) + ")");
        }
    }

    private int integer(String var, String key, Properties config, Path configFile, int fallback) {
        String text = first(env.get(var), config.getProperty(key), null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + text + "' is not a whole number of 0 or more (from "
                    + origin(var, key, configFile) + ")");
        }
    }

    /** Returns the request rate per provider from {@code RUC_CACHE_RATE} or the config key {@code rate}; 0 for none. */
    private double rate(Properties config, Path configFile) {
        String text = first(env.get("RUC_CACHE_RATE"), config.getProperty("rate"), null);
        if (text == null) {
            return 0;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            if (value > HttpSettings.MAX_REQUESTS_PER_SECOND) {
                throw new ConfigException("'" + text + "' is too high a request rate: at most "
                        + String.format(Locale.ROOT, "%.0f", HttpSettings.MAX_REQUESTS_PER_SECOND)
                        + " requests per second (0 for no limit) (from "
                        + origin("RUC_CACHE_RATE", "rate", configFile) + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + text + "' is not a request rate (requests per second, e.g. 5 or 0.5; "
                    + "0 for no limit) (from " + origin("RUC_CACHE_RATE", "rate", configFile) + ")");
        }
    }

    private String origin(String var, String key, Path configFile) {
        return blankToNull(env.get(var)) != null ? var : key + " in config file " + configFile;
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(what + " must be longer than zero");
        }
    }

    /** Returns the first of {@code values} that is not blank, stripped; the last one as is when all are blank. */
    private static String first(String... values) {
        for (int i = 0; i < values.length - 1; i++) {
            String x = blankToNull(values[i]);
            if (x != null) {
                return x;
            }
        }
        return values[values.length - 1];
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * Returns the Redis store's options: prefix, grace period and timeout from the environment or the config file,
     * and the password from {@code RUC_CACHE_REDIS_PASSWORD}, which keeps it out of argv, {@code ps} and files.
     */
    private RedisOptions redisOptions(String store, Properties config, Path configFile,
            List<HealthCheck> warnings) {
        if (store.equals(blankToNull(config.getProperty("store"))) && RedisLocation.isRedis(store)
                && RedisLocation.parse(store).password() != null) {
            warnIfShared(configFile, "config file " + configFile + ", which holds the Redis password,", warnings);
        }
        RedisOptions defaults = RedisOptions.defaults();
        String prefix = first(env.get("RUC_CACHE_REDIS_PREFIX"), config.getProperty("redis.prefix"),
                defaults.prefix());
        String problem = RedisOptions.prefixProblem(prefix);
        if (problem != null) {
            throw new ConfigException(problem + " (from " + origin("RUC_CACHE_REDIS_PREFIX", "redis.prefix",
                    configFile) + ")");
        }
        Duration grace = duration("RUC_CACHE_REDIS_GRACE", "redis.grace", config, configFile, defaults.grace());
        Duration timeout = duration("RUC_CACHE_REDIS_TIMEOUT", "redis.timeout", config, configFile,
                defaults.timeout());
        if (timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException("the Redis timeout must be longer than zero and at most 1h (from "
                    + origin("RUC_CACHE_REDIS_TIMEOUT", "redis.timeout", configFile) + ")");
        }
        // Not stripped: a password may begin or end with a space.
        String password = env.get("RUC_CACHE_REDIS_PASSWORD");
        return new RedisOptions(prefix, grace, timeout, password == null || password.isEmpty() ? null : password);
    }
}
