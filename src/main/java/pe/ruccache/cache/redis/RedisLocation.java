package pe.ruccache.cache.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import pe.ruccache.core.ConfigException;

/**
 * Where a Redis store is: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://} for TLS; as in
 * redis-cli, user info without a colon is a password. The password is kept apart from everything that is shown:
 * {@link #toString()} and {@link #display()} never contain it.
 *
 * @param tls whether the connection uses TLS ({@code rediss://})
 * @param host the server's host name or address
 * @param port the server's port (6379 when the URI has none)
 * @param database the logical database (0 when the URI has none)
 * @param user the ACL user, or null for the default user
 * @param password the password from the URI, or null
 */
public record RedisLocation(boolean tls, String host, int port, int database, String user, String password) {

    /** The port Redis listens on by default. */
    public static final int DEFAULT_PORT = 6379;

    private static final String USAGE = "expected redis://[user:password@]host:port[/db] or rediss://... for TLS";

    /** Returns whether {@code spec} names a Redis store rather than a file. */
    public static boolean isRedis(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        return s.startsWith("redis://") || s.startsWith("rediss://");
    }

    /**
     * Returns the location {@code spec} names; throws ConfigException, which never repeats a password, when it is
     * not a Redis URI ruc-cache can use.
     */
    public static RedisLocation parse(String spec) {
        String s = spec.strip();
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw bad(s, e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw bad(s, "the scheme is not redis or rediss");
        }
        String badPort = badPort(s);
        if (badPort != null) {
            throw bad(s, "the port '" + badPort + "' is not a number from 1 to 65535");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad(s, uri.getRawAuthority() == null ? "no host" : "no usable host (a password holding @, : or / "
                    + "must be percent-encoded, e.g. %40 for @)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(s, "options after ? or # are not supported");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        int database = database(s, uri.getRawPath());
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            // As redis-cli reads it: user:password, :password, or a lone password.
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? "" : userInfo.substring(0, colon);
            String rawPassword = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            user = rawUser.isEmpty() ? null : decode(rawUser);
            password = rawPassword.isEmpty() ? null : decode(rawPassword);
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new RedisLocation(scheme.equals("rediss"), host, port, database, user, password);
    }

    /**
     * Returns the port text of {@code spec} when there is one and it is not a port (java.net.URI then finds no host,
     * which would blame the host), else null. Only the part after the last {@code @} of the authority is read, so a
     * password is never returned; when an {@code @} follows the first {@code /} (a password holding {@code /}), the
     * host cannot be told apart and null is returned.
     */
    private static String badPort(String spec) {
        int start = spec.indexOf("://") + 3;
        int slash = spec.indexOf('/', start);
        int end = slash < 0 ? spec.length() : slash;
        if (spec.lastIndexOf('@') >= end) {
            return null;
        }
        String hostPort = spec.substring(Math.max(start, spec.lastIndexOf('@', end - 1) + 1), end);
        for (char c : new char[] {'?', '#'}) {
            int at = hostPort.indexOf(c);
            if (at >= 0) {
                hostPort = hostPort.substring(0, at);
            }
        }
        int colon = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String port = hostPort.substring(colon + 1);
        if (port.isEmpty()) {
            return null;
        }
        if (port.matches("[0-9]{1,5}")) {
            int n = Integer.parseInt(port);
            return n >= 1 && n <= 65535 ? null : port;
        }
        return port;
    }

    /** Returns the URI without the password, e.g. {@code redis://ana@cache.internal:6379/0}, for messages. */
    public String display() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + shownHost + ":" + port + "/"
                + database;
    }

    /** Returns {@link #display()}: the password is never part of the text. */
    @Override
    public String toString() {
        return display();
    }

    private static int database(String spec, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String digits = path.substring(1);
        if (!digits.matches("[0-9]{1,5}")) {
            throw bad(spec, "'" + digits + "' is not a database number");
        }
        return Integer.parseInt(digits);
    }

    private static String decode(String raw) {
        // URLDecoder would turn '+' into a space; in a URI's user info '+' is itself.
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ConfigException bad(String spec, String reason) {
        return new ConfigException("bad Redis store '" + redact(spec) + "': " + reason + "; " + USAGE);
    }

    /** Returns {@code spec} with whatever may be a password replaced by {@code ***}. */
    static String redact(String spec) {
        int scheme = spec.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = spec.lastIndexOf('@');
        if (at < start) {
            return spec;
        }
        String userInfo = spec.substring(start, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return spec.substring(0, start) + shown + spec.substring(at);
    }
}
