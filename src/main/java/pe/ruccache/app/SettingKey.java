package pe.ruccache.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import pe.ruccache.cache.redis.RedisOptions;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.RucRules;
import pe.ruccache.padron.PadronSettings;
import pe.ruccache.upstream.HttpSettings;
import pe.ruccache.upstream.ProviderCatalog;

/**
 * One setting a user can give outside the command line: its environment variable, its config-file key (none for
 * a few that only the environment gives), how its text is read, its default and what it means. {@link #ALL} is the
 * table that resolution, the config file's unknown-key check, {@code ruc-cache --help} and the README's
 * configuration table follow, so a key is added in one place. A per-provider key is a template
 * ({@code RUC_CACHE_<NAME>_TOKEN}, {@code <name>.token}) made concrete by {@link #forProvider}.
 *
 * @param <T> the type of the value
 */
public final class SettingKey<T> {

    /** Reads a setting's stripped text; throws IllegalArgumentException (or {@link Rejected}) for a bad value. */
    @FunctionalInterface
    public interface Parser<T> {
        /** Returns the value {@code text} stands for. */
        T parse(String text);
    }

    /** A bad value whose message names its origin in the middle: {@code <lead> (from <origin>): <reason>}. */
    public static final class Rejected extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Rejected(String lead, String reason) {
            super(lead);
            this.reason = reason;
        }

        /** Returns the message with the value's origin in it. */
        String message(String origin) {
            return getMessage() + " (from " + origin + "): " + reason;
        }
    }

    private static final List<SettingKey<?>> TABLE = new ArrayList<>();
    private static final String NAME = "<NAME>";
    private static final String LOWER_NAME = "<name>";

    /** The folder of the default store and of the padrón snapshot. */
    public static final SettingKey<String> HOME = text("RUC_CACHE_HOME", null, null,
            "folder of the default store (default `$XDG_CACHE_HOME/ruc-cache`, else `~/.cache/ruc-cache`)");
    /** The store: a SQLite file or a Redis URI; the default is {@code cache.db} in {@link #HOME}. */
    public static final SettingKey<String> STORE = text("RUC_CACHE_STORE", "store", null,
            "the store: a file, or a `redis://` URI (see [Shared cache on Redis](#shared-cache-on-redis))");
    /** The config file; read before every other key, from the environment only. */
    public static final SettingKey<String> CONFIG = text("RUC_CACHE_CONFIG", null, null, "the config file (default "
            + "`$XDG_CONFIG_HOME/ruc-cache/config.properties`, else `~/.config/ruc-cache/config.properties`)");
    /** The provider chain, in order. */
    public static final SettingKey<List<String>> PROVIDERS = key("RUC_CACHE_PROVIDERS", "providers",
            text -> providers(Arrays.asList(text.split(","))), List.of("migo"),
            "provider chain, e.g. `migo,decolecta` (default `migo`)");
    /** How long a VALID answer is kept. */
    public static final SettingKey<Duration> TTL_VALID = duration("RUC_CACHE_TTL_VALID", "ttl.valid",
            Duration.ofHours(1), "how long a VALID answer is kept (default `1h`)");
    /** How long an INVALID answer is kept. */
    public static final SettingKey<Duration> TTL_INVALID = duration("RUC_CACHE_TTL_INVALID", "ttl.invalid",
            Duration.ofHours(24), "how long an INVALID answer is kept (default `24h`)");
    /** The RUC prefixes the local check accepts. */
    public static final SettingKey<RucRules> PREFIXES = key("RUC_CACHE_PREFIXES", "prefixes",
            SettingKey::prefixes, RucRules.defaults(),
            "accepted RUC prefixes (default `10,15,16,17,20`; 16 is disputed)");
    /** How long to wait for a store another process has locked. */
    public static final SettingKey<Duration> LOCK_TIMEOUT = duration("RUC_CACHE_LOCK_TIMEOUT", "lock.timeout",
            Duration.ofSeconds(10), "wait for a store locked by another process (default `10s`)");
    /** The longest one HTTP call may take. */
    public static final SettingKey<Duration> HTTP_TIMEOUT = duration("RUC_CACHE_HTTP_TIMEOUT", "http.timeout",
            HttpSettings.defaults().callTimeout(), "one HTTP call, body included (default `15s`)");
    /** How often a transient HTTP failure is retried. */
    public static final SettingKey<Integer> HTTP_RETRIES = key("RUC_CACHE_HTTP_RETRIES", "http.retries",
            SettingKey::wholeNumber, HttpSettings.defaults().maxRetries(),
            "retries of transient failures (default `2`)");
    /** Requests per second to each provider; 0 for no limit. */
    public static final SettingKey<Double> RATE = key("RUC_CACHE_RATE", "rate", SettingKey::rate, 0.0,
            "requests per second to each provider, retries included (default no limit; `bulk --rate`); on a Redis "
                    + "store, shared by every process using it");
    /** A provider's token (a template). */
    public static final SettingKey<String> TOKEN = text("RUC_CACHE_<NAME>_TOKEN", "<name>.token", null,
            "a provider's token (`NAME`: " + ProviderCatalog.networkProviders().stream()
                    .map(p -> "`" + p.toUpperCase(Locale.ROOT) + "`").collect(Collectors.joining(", ")) + ")");
    /** A file holding a provider's token (a template). */
    public static final SettingKey<String> TOKEN_FILE = text("RUC_CACHE_<NAME>_TOKEN_FILE", "<name>.token_file", null,
            "a file holding the token");
    /** A provider's base URL (a template); the default is the provider's documented one. */
    public static final SettingKey<URI> URL = register(new SettingKey<>("RUC_CACHE_<NAME>_URL", "<name>.url",
            name -> text -> httpUrl(text, "provider " + name), null, "a provider's base URL"));
    /** The padrón snapshot; the default is {@code padron.db} in {@link #HOME}; {@code ~/} is the user's home. */
    public static final SettingKey<String> PADRON_DB = text("RUC_CACHE_PADRON_DB", "padron.db", null,
            "the padrón snapshot (default `$RUC_CACHE_HOME/padron.db`)");
    /** Where {@code padron update} downloads from. */
    public static final SettingKey<URI> PADRON_URL = key("RUC_CACHE_PADRON_URL", "padron.url",
            text -> httpUrl(text, "the padrón"), PadronSettings.SUNAT_URL,
            "where `padron update` downloads from (default SUNAT's)");
    /** The age past which {@code health} warns about the padrón's data. */
    public static final SettingKey<Duration> PADRON_MAX_AGE = duration("RUC_CACHE_PADRON_MAX_AGE", "padron.max_age",
            PadronSettings.DEFAULT_MAX_AGE, "`health` warns, and a run answered from it warns once, when the padrón's "
                    + "data is older (default `3d`)");
    /** A Redis store's password; from the environment only, never stripped (it may begin or end with a space). */
    public static final SettingKey<String> REDIS_PASSWORD = key("RUC_CACHE_REDIS_PASSWORD", null,
            text -> text, null, "the Redis password, when the store's URI has none");
    /** The first part of every Redis key. */
    public static final SettingKey<String> REDIS_PREFIX = key("RUC_CACHE_REDIS_PREFIX", "redis.prefix",
            SettingKey::redisPrefix, RedisOptions.DEFAULT_PREFIX,
            "first part of every Redis key (default `ruc-cache`), e.g. `team-a:ruc-cache`");
    /** How long Redis keeps an answer after it expires, to serve it stale. */
    public static final SettingKey<Duration> REDIS_GRACE = duration("RUC_CACHE_REDIS_GRACE", "redis.grace",
            RedisOptions.DEFAULT_GRACE, "how long Redis keeps an answer after it expires, to serve it stale when "
                    + "every provider fails (default `7d`; `0s`: never stale)");
    /** The Redis connect and reply timeout. */
    public static final SettingKey<Duration> REDIS_TIMEOUT = key("RUC_CACHE_REDIS_TIMEOUT",
            "redis.timeout", SettingKey::redisTimeout, RedisOptions.DEFAULT_TIMEOUT,
            "to connect to Redis, and for each reply (default `5s`)");

    /** Where {@code serve} listens. */
    public static final SettingKey<String> SERVE_LISTEN = text("RUC_CACHE_LISTEN", "serve.listen", "127.0.0.1:8080",
            "where `serve` listens, `HOST:PORT` (default `127.0.0.1:8080`; an address other than loopback needs a "
                    + "clients file)");
    /** The clients file of {@code serve}. */
    public static final SettingKey<String> SERVE_CLIENTS = text("RUC_CACHE_CLIENTS", "serve.clients", null,
            "`serve`'s clients file (token hashes, mode 0600); without one it serves loopback only");
    /** Where {@code serve}'s access log goes. */
    public static final SettingKey<String> SERVE_ACCESS_LOG = key("RUC_CACHE_ACCESS_LOG", "serve.access_log",
            SettingKey::accessLog, "stderr", "where `serve`'s access log goes: `stderr` (default), `stdout` or `off`");

    /** Every setting, in the order {@code --help} and the README list them. */
    public static final List<SettingKey<?>> ALL = Collections.unmodifiableList(TABLE);

    private final String env;
    private final String configKey;
    /** The parser of each provider name; a key that is no template has one parser for every name. */
    private final Function<String, Parser<T>> parsers;
    private final T fallback;
    private final String help;

    private SettingKey(String env, String configKey, Function<String, Parser<T>> parsers, T fallback, String help) {
        this.env = env;
        this.configKey = configKey;
        this.parsers = parsers;
        this.fallback = fallback;
        this.help = help;
    }

    private static <T> SettingKey<T> register(SettingKey<T> key) {
        TABLE.add(key);
        return key;
    }

    private static <T> SettingKey<T> key(String env, String configKey, Parser<T> parser, T fallback, String help) {
        return register(new SettingKey<>(env, configKey, name -> parser, fallback, help));
    }

    private static SettingKey<String> text(String env, String configKey, String fallback, String help) {
        return key(env, configKey, text -> text, fallback, help);
    }

    private static SettingKey<Duration> duration(String env, String configKey, Duration fallback, String help) {
        return key(env, configKey, DurationText::parse, fallback, help);
    }

    /** Returns the environment variable, e.g. {@code RUC_CACHE_TTL_VALID}. */
    public String env() {
        return env;
    }

    /** Returns the config-file key, e.g. {@code ttl.valid}; null when only the environment gives it. */
    public String configKey() {
        return configKey;
    }

    /** Returns the value when neither the environment nor the config file gives one; null when it is computed. */
    public T fallback() {
        return fallback;
    }

    /** Returns what the setting means, as the README's configuration table says it (Markdown). */
    public String help() {
        return help;
    }

    /** Returns whether this is a per-provider template such as {@code RUC_CACHE_<NAME>_TOKEN}. */
    public boolean isTemplate() {
        return env.contains(NAME);
    }

    /**
     * Returns this template made concrete for provider {@code name}: {@code RUC_CACHE_MIGO_TOKEN}, {@code migo.token}.
     */
    public SettingKey<T> forProvider(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        Parser<T> parser = parsers.apply(lower);
        return new SettingKey<>(env.replace(NAME, lower.toUpperCase(Locale.ROOT)), configKey.replace(LOWER_NAME, lower),
                any -> parser, fallback, help);
    }

    /** Returns the value {@code text} stands for. */
    T parse(String text) {
        return parsers.apply(null).parse(text);
    }

    /** Returns the provider names of a chain, lower-cased, blanks dropped; an unknown or repeated one is an error. */
    static List<String> providers(List<String> names) {
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

    @Override
    public String toString() {
        return env;
    }

    private static RucRules prefixes(String text) {
        try {
            return RucRules.withPrefixes(Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).toList());
        } catch (IllegalArgumentException e) {
            throw new Rejected("bad RUC prefixes '" + text + "'", e.getMessage());
        }
    }

    private static int wholeNumber(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException("'" + text + "' is not a whole number of 0 or more");
    }

    private static double rate(String text) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("'" + text + "' is not a request rate (requests per second, e.g. 5 or "
                    + "0.5; 0 for no limit)");
        }
        if (value > HttpSettings.MAX_REQUESTS_PER_SECOND) {
            throw new IllegalArgumentException("'" + text + "' is too high a request rate: at most "
                    + String.format(Locale.ROOT, "%.0f", HttpSettings.MAX_REQUESTS_PER_SECOND)
                    + " requests per second (0 for no limit)");
        }
        return value;
    }

    private static URI httpUrl(String text, String what) {
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Rejected("bad URL '" + text + "' for " + what, e.getReason());
        }
    }

    private static String accessLog(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!List.of("stderr", "stdout", "off").contains(t)) {
            throw new IllegalArgumentException("'" + text + "' is not an access log target; use stderr, stdout or off");
        }
        return t;
    }

    private static String redisPrefix(String text) {
        String problem = RedisOptions.prefixProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return text;
    }

    private static Duration redisTimeout(String text) {
        Duration timeout = DurationText.parse(text);
        if (timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the Redis timeout must be longer than zero and at most 1h");
        }
        return timeout;
    }
}
