package pe.ruccache.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import pe.ruccache.core.ConfigException;
import pe.ruccache.core.IoMessages;
import pe.ruccache.upstream.ProviderCatalog;

/**
 * The environment and the config file, read through the {@link SettingKey} table: for each key the environment
 * wins over the config file, a blank value counts as none, and a bad value is a {@link ConfigException} that names
 * the variable or the key and file it came from.
 */
final class SettingSources {

    private final Map<String, String> env;
    private final Properties config;
    private final Path configFile;

    private SettingSources(Map<String, String> env, Properties config, Path configFile) {
        this.env = env;
        this.config = config;
        this.configFile = configFile;
    }

    /**
     * Returns the sources of one run: {@code env} and the config file {@code file}, which may be missing unless it
     * was named ({@code explicit}); a key the table does not know is an error rather than a silently ignored typo.
     */
    static SettingSources open(Map<String, String> env, Path file, boolean explicit) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new ConfigException("config file " + file + " does not exist");
            }
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + IoMessages.reason(e));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("malformed config file " + file + ": " + e.getMessage()
                    + " (expected key=value lines, e.g. migo.token=...)");
        }
        Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
        unknown.removeIf(SettingSources::isKnown);
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " in config file " + file + "; known keys: " + String.join(", ", knownKeys()));
        }
        return new SettingSources(env, props, file);
    }

    /** Returns the config file these sources read. */
    Path configFile() {
        return configFile;
    }

    /** Returns the key's text from the environment, else the config file, stripped; null when neither gives it. */
    String text(SettingKey<?> key) {
        String fromEnv = blankToNull(env.get(key.env()));
        return fromEnv != null || key.configKey() == null ? fromEnv : blankToNull(config.getProperty(key.configKey()));
    }

    /** Returns the key's value, or its default when neither the environment nor the config file gives one. */
    <T> T value(SettingKey<T> key) {
        return value(key, key.fallback());
    }

    /** Returns the key's value, or {@code fallback} when neither the environment nor the config file gives one. */
    <T> T value(SettingKey<T> key, T fallback) {
        String text = text(key);
        if (text == null) {
            return fallback;
        }
        try {
            return key.parse(text);
        } catch (SettingKey.Rejected e) {
            throw new ConfigException(e.message(origin(key)));
        } catch (IllegalArgumentException | ConfigException e) {
            throw new ConfigException(e.getMessage() + " (from " + origin(key) + ")");
        }
    }

    /** Returns the key's text in the config file, stripped, whatever the environment says; null for none. */
    String configText(SettingKey<?> key) {
        return key.configKey() == null ? null : blankToNull(config.getProperty(key.configKey()));
    }

    /** Returns where the key's value comes from: {@code RUC_CACHE_RATE}, or {@code rate in config file ...}. */
    String origin(SettingKey<?> key) {
        return blankToNull(env.get(key.env())) != null ? key.env() : key.configKey() + " in config file " + configFile;
    }

    private static boolean isKnown(String configKey) {
        for (SettingKey<?> key : SettingKey.ALL) {
            if (!key.isTemplate() && configKey.equals(key.configKey())) {
                return true;
            }
            if (key.isTemplate()) {
                for (String provider : ProviderCatalog.networkProviders()) {
                    if (configKey.equals(key.forProvider(provider).configKey())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Returns the known keys as the unknown-key message has always listed them: sorted, with the Redis store's
     * after the others, then the per-provider templates.
     */
    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        List<String> templates = new ArrayList<>();
        for (SettingKey<?> key : SettingKey.ALL) {
            if (key.isTemplate()) {
                templates.add(key.configKey().replace("<name>", "<provider>"));
            } else if (key.configKey() != null) {
                keys.add(key.configKey());
            }
        }
        keys.sort(Comparator.comparing((String k) -> k.startsWith("redis.")).thenComparing(Comparator.naturalOrder()));
        keys.addAll(templates);
        return keys;
    }

    /** Returns {@code s} stripped, or null when it is null or blank. */
    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
