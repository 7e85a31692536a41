package pe.ruccache.cache.redis;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.NoSuchElementException;
import javax.net.ssl.SSLException;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.StoreException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Turns what Jedis throws into one-line {@link StoreException}s that name the server (never the password) and say
 * what to do. Redis answers errors with a code as first word (WRONGPASS, OOM, READONLY...); the code decides.
 */
final class RedisFailure {

    private final RedisLocation location;
    private final RedisOptions options;
    private final String password;

    /**
     * Creates the translator for one store.
     *
     * @param location the server, shown without password
     * @param options the prefix and timeout, named in advice
     * @param password the password in use, scrubbed from any text that would repeat it; may be null
     */
    RedisFailure(RedisLocation location, RedisOptions options, String password) {
        this.location = location;
        this.options = options;
        this.password = password;
    }

    /** Returns the StoreException that tells a user what went wrong with the server and what to do. */
    StoreException translate(RuntimeException e) {
        if (e instanceof StoreException se) {
            return se;
        }
        return new StoreException(scrub(message(e)), e);
    }

    private String message(RuntimeException e) {
        String server = "the Redis server at " + location.display();
        JedisDataException data = find(e, JedisDataException.class);
        if (data != null) {
            return refused(server, firstLine(data.getMessage()));
        }
        if (find(e, NoSuchElementException.class) != null) {
            return "every connection to " + server + " stayed busy for " + timeout()
                    + "; the server is overloaded or the network is slow: retry, or raise RUC_CACHE_REDIS_TIMEOUT";
        }
        UnknownHostException unknownHost = find(e, UnknownHostException.class);
        if (unknownHost != null) {
            return "cannot connect to " + server + ": unknown host " + location.host()
                    + "; check the host name in --store";
        }
        SocketTimeoutException timedOut = find(e, SocketTimeoutException.class);
        if (timedOut != null) {
            String what = String.valueOf(timedOut.getMessage()).toLowerCase(Locale.ROOT).contains("connect")
                    ? "did not accept a connection" : "did not answer";
            return server + " " + what + " within " + timeout() + "; check that it runs, its load and the "
                    + "network, or raise RUC_CACHE_REDIS_TIMEOUT" + (location.tls() ? "; use redis:// if it does not "
                    + "serve TLS" : "");
        }
        if (find(e, ConnectException.class) != null) {
            return "cannot connect to " + server + " (connection refused); check that Redis runs there and that "
                    + "--store names the right host and port";
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return "TLS with " + server + " failed (" + firstLine(tls.getMessage()) + "); check that it serves TLS "
                    + "on that port (rediss://) and that Java trusts its certificate "
                    + "(-Djavax.net.ssl.trustStore in RUC_CACHE_JAVA_OPTS)";
        }
        if (find(e, JedisConnectionException.class) != null || find(e, SocketException.class) != null) {
            // "Unexpected end of stream", "Connection reset", "Broken pipe": the server went away mid-command.
            return server + " closed the connection (" + firstLine(deepest(e).getMessage()) + "); was it stopped "
                    + "or restarted? Answers stored before are kept; rerun when it is back";
        }
        return "cannot use " + server + ": " + firstLine(String.valueOf(e.getMessage()));
    }

    /** Returns the message for an error Redis answered with, keyed by its code. */
    private String refused(String server, String reply) {
        String code = reply.split(" ", 2)[0];
        return switch (code) {
            case "WRONGPASS" -> server + " refused the user name or password (WRONGPASS); check "
                    + "RUC_CACHE_REDIS_PASSWORD or the user and password in --store";
            case "NOAUTH" -> server + " requires a password (NOAUTH); set RUC_CACHE_REDIS_PASSWORD";
            case "NOPERM" -> server + " does not allow this user a command ruc-cache needs (" + reply
                    + "); grant it read, write, scripting, scan, info, time and pub/sub commands on keys "
                    + options.prefix() + ":* and channels " + options.prefix() + ":* (the README gives the ACL line)";
            case "OOM" -> server + " is out of memory (maxmemory reached and its policy refuses writes); nothing "
                    + "was written: raise maxmemory, remove expired answers (ruc-cache clear --expired), or set "
                    + "maxmemory-policy volatile-ttl";
            case "READONLY" -> server + " is a read-only replica; point --store at the primary";
            case "LOADING" -> server + " is still loading its data after a restart; retry in a moment";
            case "MISCONF" -> server + " refuses writes because it cannot save its snapshot to disk (MISCONF); "
                    + "fix the server's disk or its persistence settings";
            case "BUSY" -> server + " is busy running a script; retry in a moment";
            case "WRONGTYPE" -> "a key under the prefix " + options.prefix() + " at " + location.display()
                    + " holds another kind of data than ruc-cache writes; another application may use that "
                    + "prefix: choose another one (RUC_CACHE_REDIS_PREFIX)";
            default -> defaultRefusal(server, reply);
        };
    }

    private String defaultRefusal(String server, String reply) {
        String lower = reply.toLowerCase(Locale.ROOT);
        if (lower.startsWith("err auth") || lower.contains("no password is set")
                || lower.contains("without any password configured")) {
            String hint = location.user() == null && location.password() != null
                    ? " (a name before @ in --store without a colon is read as the password, as redis-cli reads it;"
                    + " for an ACL user write redis://USER:@host)" : "";
            return server + " has no password set but one was given; remove it from RUC_CACHE_REDIS_PASSWORD "
                    + "and --store" + hint;
        }
        if (lower.contains("db index is out of range")) {
            return server + " has no database " + location.database() + "; use a smaller number after the / in "
                    + "--store";
        }
        if (lower.startsWith("err unknown command")) {
            // UNLINK is the newest command the store sends.
            return server + " does not know a command ruc-cache uses (" + reply + "); ruc-cache needs Redis 4.0 "
                    + "or newer (it is tested with 7.0)";
        }
        return server + " refused a command: " + reply;
    }

    private String timeout() {
        return DurationText.format(options.timeout());
    }

    /** Removes the password from {@code text}, in case a server or library ever repeats it. */
    private String scrub(String text) {
        // A very short password would match ordinary words; the messages above never contain one anyway.
        return password == null || password.length() < 4 ? text : text.replace(password, "***");
    }

    /**
     * Returns the first {@code type} among {@code e}, its causes and their suppressed exceptions: Jedis attaches the
     * errors of a transaction's commands to EXECABORT, and each failed address to "Failed to connect", that way.
     */
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        return find(e, type, 0);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type, int depth) {
        for (Throwable t = e; t != null && depth < 16; t = t.getCause() == t ? null : t.getCause(), depth++) {
            // A transaction's EXECABORT says nothing; the command errors it carries say why.
            if (type.isInstance(t) && !isExecAbort(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                T found = find(s, type, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean isExecAbort(Throwable t) {
        return t instanceof JedisDataException && String.valueOf(t.getMessage()).startsWith("EXECABORT")
                && t.getSuppressed().length > 0;
    }

    private static Throwable deepest(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "no detail";
        }
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
