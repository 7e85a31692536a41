package pe.ruccache.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import pe.ruccache.core.ConfigException;

/**
 * Where the server listens: a host (a name, an IPv4 address or a bracketed IPv6 one) and a port (0 picks a free
 * one), written {@code host:port}.
 *
 * @param host the host as given, brackets removed
 * @param port the TCP port, 0 to 65535
 */
public record ListenAddress(String host, int port) {

    /** The default address: loopback only, port 8080. */
    public static final String DEFAULT = "127.0.0.1:8080";

    /**
     * Returns the address {@code text} names.
     *
     * @throws IllegalArgumentException with a message a user can act on when it is not {@code host:port}
     */
    public static ListenAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (for example 127.0.0.1:8080, "
                    + "0.0.0.0:8080 or [::1]:8080)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': an IPv6 address goes in brackets, as [::1]:8080");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("'" + text + "': the port must be a number from 0 to 65535");
        }
        return new ListenAddress(host, port);
    }

    /**
     * Returns whether every address the host resolves to is a loopback one, so that only this machine can connect.
     *
     * @throws ConfigException when the host name cannot be resolved
     */
    public boolean isLoopback() {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            throw new ConfigException("cannot listen on " + this + ": unknown host " + host);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Returns the address as a URL's authority, lower case. */
    String authority() {
        return toString().toLowerCase(Locale.ROOT);
    }
}
