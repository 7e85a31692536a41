package pe.ruccache.upstream;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import pe.ruccache.core.ConfigException;

/**
 * The providers this build knows: the network ones, their default base URLs and the names of the environment
 * variables and config keys that configure them, so the settings code and the error messages spell them the same
 * way; and {@code padron}, SUNAT's padrón imported locally, which needs no network, URL or token.
 */
public final class ProviderCatalog {

    /** APIMIGO v2. */
    public static final String MIGO = "migo";
    /** decolecta. */
    public static final String DECOLECTA = "decolecta";
    /** apis.net.pe v2. */
    public static final String APISNET = "apisnet";
    /** SUNAT's padrón reducido, imported into a local snapshot. */
    public static final String PADRON = "padron";

    /** Builds a network provider over its base URL, its token and what the providers of one client share. */
    @FunctionalInterface
    interface Factory {
        HttpProvider create(HttpUrl baseUrl, Token token, HttpProvider.Shared shared);
    }

    /** A network provider: its name, its documented base URL and how to build it. */
    private record Entry(String name, URI defaultBaseUrl, Factory factory) {
    }

    /**
     * The one registration of every network provider, in the order shown to users: adding a provider is its class and
     * one line here (its settings, {@code RUC_CACHE_<NAME>_TOKEN} and the rest, follow from the name). The padrón is
     * not a network provider, so it does not belong here: it has no base URL and no token.
     */
    private static final List<Entry> NETWORK = List.of(
            new Entry(MIGO, URI.create("https://api.migo.pe/api/v2"), MigoProvider::new),
            new Entry(DECOLECTA, URI.create("https://api.decolecta.com/v1"), DecolectaProvider::new),
            new Entry(APISNET, URI.create("https://api.apis.net.pe/v2"), ApisNetProvider::new));

    private static final Map<String, Entry> BY_NAME;

    static {
        Map<String, Entry> byName = new LinkedHashMap<>();
        NETWORK.forEach(e -> byName.put(e.name(), e));
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private ProviderCatalog() {
    }

    /** Returns the names of the network providers, in the order users see them. */
    public static List<String> networkProviders() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** Returns whether {@code name} (case-insensitive, surrounding blanks ignored) is a known network provider. */
    public static boolean isNetworkProvider(String name) {
        return name != null && BY_NAME.containsKey(normalize(name));
    }

    /**
     * Returns whether {@code name} answers from a local snapshot (the padrón): it needs no network, so
     * {@code --offline} allows it, and its answers are not copied into the cache, which would only hold a staler copy.
     */
    public static boolean isLocalSnapshot(String name) {
        return name != null && normalize(name).equals(PADRON);
    }

    /** Returns the names of every known provider, network ones first, in the order users see them. */
    public static List<String> knownProviders() {
        List<String> names = new ArrayList<>(BY_NAME.keySet());
        names.add(PADRON);
        return List.copyOf(names);
    }

    /** Returns the provider's documented base URL; throws ConfigException for an unknown or non-network provider. */
    public static URI defaultBaseUrl(String name) {
        String known = requireKnown(name);
        Entry entry = BY_NAME.get(known);
        if (entry == null) {
            throw new ConfigException("provider " + known + " is not a network provider; it has no base URL");
        }
        return entry.defaultBaseUrl();
    }

    /** Builds the network provider {@code name} (known, normalised); throws IllegalArgumentException otherwise. */
    static HttpProvider create(String name, HttpUrl baseUrl, Token token, HttpProvider.Shared shared) {
        Entry entry = BY_NAME.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(name + " is not a network provider");
        }
        return entry.factory().create(baseUrl, token, shared);
    }

    /**
     * Returns {@code name} lower-cased and stripped when it is a known provider (network or {@code padron}); throws
     * ConfigException naming the known providers otherwise.
     */
    public static String requireKnown(String name) {
        String normalized = name == null ? "" : normalize(name);
        if (!BY_NAME.containsKey(normalized) && !normalized.equals(PADRON)) {
            throw new ConfigException("unknown provider '" + (name == null ? "" : name.strip())
                    + "'; known providers: " + String.join(", ", knownProviders()));
        }
        return normalized;
    }

    /** Returns the environment variable holding the provider's token, e.g. {@code RUC_CACHE_MIGO_TOKEN}. */
    public static String tokenEnv(String name) {
        return envPrefix(name) + "_TOKEN";
    }

    /** Returns the environment variable naming a file that holds the token, e.g. {@code RUC_CACHE_MIGO_TOKEN_FILE}. */
    public static String tokenFileEnv(String name) {
        return envPrefix(name) + "_TOKEN_FILE";
    }

    /** Returns the environment variable overriding the base URL, e.g. {@code RUC_CACHE_MIGO_URL}. */
    public static String urlEnv(String name) {
        return envPrefix(name) + "_URL";
    }

    /** Returns the config-file key holding the token, e.g. {@code migo.token}. */
    public static String tokenKey(String name) {
        return normalize(name) + ".token";
    }

    /** Returns the config-file key overriding the base URL, e.g. {@code migo.url}. */
    public static String urlKey(String name) {
        return normalize(name) + ".url";
    }

    /** Returns the one-line message for a provider that has no token, naming every place a token can come from. */
    public static String missingTokenMessage(String name) {
        return "no token for provider " + normalize(name) + "; set " + tokenEnv(name) + ", " + tokenFileEnv(name)
                + " or " + tokenKey(name) + " in the config file";
    }

    private static String envPrefix(String name) {
        return "RUC_CACHE_" + normalize(name).toUpperCase(Locale.ROOT);
    }

    private static String normalize(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
