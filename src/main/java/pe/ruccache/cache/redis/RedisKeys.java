package pe.ruccache.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The key layout under one prefix: {@code <prefix>:<provider>:ruc:<ruc>} for each answer (docs/DESIGN.md §2),
 * {@code <prefix>:counters} (a hash), {@code <prefix>:providers} (a set: every provider that has stored an answer),
 * {@code <prefix>:meta} (a hash holding the layout version), and what several processes use to act as one:
 * {@code <prefix>:rate:<provider>} (a provider's shared request-rate bucket), {@code <prefix>:flight:<ruc>} (the
 * claim of the process asking the providers about a RUC) and the Pub/Sub channel {@code <prefix>:flights} (where a
 * released claim is announced).
 */
final class RedisKeys {

    /** The provider name of the health check's sentinel entry; no real provider has parentheses in its name. */
    static final String HEALTH_PROVIDER = "(health-check)";

    private static final String RUC_PART = ":ruc:";

    private final String prefix;
    private final String counters;
    private final String providers;
    private final String meta;

    RedisKeys(String prefix) {
        String problem = RedisOptions.prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.prefix = prefix;
        this.counters = prefix + ":counters";
        this.providers = prefix + ":providers";
        this.meta = prefix + ":meta";
    }

    String prefix() {
        return prefix;
    }

    /** Returns the key of the answer of {@code provider} about {@code ruc}. */
    String entry(String provider, String ruc) {
        return prefix + ':' + provider + RUC_PART + ruc;
    }

    /** Returns {@link #entry} as the bytes Redis stores. */
    byte[] entryBytes(String provider, String ruc) {
        return entry(provider, ruc).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the keys of {@code page}, in its order, as the bytes Redis stores. */
    byte[][] entryBytes(List<Parsed> page) {
        byte[][] out = new byte[page.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = entryBytes(page.get(i).provider(), page.get(i).ruc());
        }
        return out;
    }

    /** Returns the hash of persistent counters. */
    String counters() {
        return counters;
    }

    /** Returns the set of the providers that have stored answers under this prefix. */
    String providers() {
        return providers;
    }

    /** Returns the hash holding the layout version. */
    String meta() {
        return meta;
    }

    /** Returns {@code <prefix>:<name>}, for structures other parts of ruc-cache share through this Redis. */
    String child(String name) {
        return prefix + ':' + name;
    }

    /**
     * Returns the key of the request-rate bucket that every process shares for {@code provider}. Its tokens are
     * fractions of a request; {@code rate:} held buckets of whole requests, which a process of an older ruc-cache
     * still uses, so the two never draw on one bucket in different units.
     */
    String rate(String provider) {
        return prefix + ":rate2:" + provider;
    }

    /** Returns the key of the claim on {@code ruc}: present while one process asks the providers about it. */
    String flight(String ruc) {
        return prefix + ":flight:" + ruc;
    }

    /** Returns the Pub/Sub channel on which a released claim is announced, the RUC as message. */
    String flights() {
        return prefix + ":flights";
    }

    /**
     * Returns the SCAN pattern of every answer's key, or of one provider's. Prefixes and provider names hold no glob
     * characters (both are checked), so they go into the pattern as they are.
     */
    String entryPattern(String provider) {
        return prefix + ':' + (provider == null ? "*" : provider) + RUC_PART + "*";
    }

    /**
     * Returns the provider and RUC of an answer's key under this prefix, or null for any other key: the sentinel,
     * and keys that only look like ours because another team's prefix starts with ours and a colon
     * ({@code ruc-cache:team-b:migo:ruc:...} matches the pattern of prefix {@code ruc-cache}).
     */
    Parsed parse(String key) {
        if (!key.startsWith(prefix) || key.length() <= prefix.length() || key.charAt(prefix.length()) != ':') {
            return null;
        }
        int providerStart = prefix.length() + 1;
        int ruc = key.indexOf(RUC_PART, providerStart);
        if (ruc <= providerStart) {
            return null;
        }
        String provider = key.substring(providerStart, ruc);
        String rucValue = key.substring(ruc + RUC_PART.length());
        if (provider.indexOf(':') >= 0 || rucValue.isEmpty() || rucValue.indexOf(':') >= 0
                || provider.equals(HEALTH_PROVIDER)) {
            return null;
        }
        return new Parsed(provider, rucValue);
    }

    /** Returns null when {@code provider} can be part of a key, else what is wrong with it. */
    static String providerProblem(String provider) {
        if (provider.isEmpty()) {
            return "empty provider name";
        }
        for (int i = 0; i < provider.length(); i++) {
            char c = provider.charAt(i);
            // A colon would make keys ambiguous; glob characters would break SCAN patterns.
            if (c == ':' || c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || Character.isWhitespace(c)
                    || Character.isISOControl(c)) {
                return "provider name '" + provider + "' cannot be part of a Redis key";
            }
        }
        return null;
    }

    /** Returns null when {@code ruc} can be part of a key, else what is wrong with it. */
    static String rucProblem(String ruc) {
        if (ruc.isEmpty() || ruc.indexOf(':') >= 0 || ruc.chars().anyMatch(Character::isWhitespace)) {
            return "'" + ruc + "' cannot be part of a Redis key";
        }
        return null;
    }

    /**
     * An answer's key taken apart.
     *
     * @param provider who answered
     * @param ruc about which RUC
     */
    record Parsed(String provider, String ruc) {
    }
}
