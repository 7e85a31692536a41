package pe.ruccache.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import pe.ruccache.core.ConfigException;

/**
 * The clients a server lets in, read from a clients file: one line per client, {@code NAME sha256:HEX [rate=N]},
 * where HEX is the SHA-256 of the client's bearer token (the file never holds a token itself) and N its own request
 * rate per second. Blank lines and {@code #} comments are skipped. The file must be private to its owner (mode 0600
 * or stricter): a file others can read or change is refused. Tokens are 32 random bytes, so an unsalted hash is as
 * hard to reverse as the token is to guess.
 */
public final class Clients {

    /** The prefix of the tokens {@link #newToken} makes, so that one is recognised in a config or a leak scan. */
    public static final String TOKEN_PREFIX = "rct_";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    /** One client: its name (in the access log and metrics) and its own rate, 0 when the server's default applies. */
    public record Client(String name, double rate) {
    }

    private final Map<String, Client> byHash;

    private Clients(Map<String, Client> byHash) {
        this.byHash = byHash;
    }

    /**
     * Reads the clients file {@code file}.
     *
     * @throws ConfigException naming the file and the line when it is missing, readable by others or malformed
     */
    public static Clients load(Path file) {
        checkPrivate(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("no clients file at " + file + "; create one with 'ruc-cache serve add-client "
                    + "NAME --clients " + file + "'");
        } catch (IOException e) {
            throw new ConfigException("cannot read the clients file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Client> byHash = new HashMap<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length < 2 || parts.length > 3 || !NAME.matcher(parts[0]).matches()
                    || !HASH.matcher(parts[1]).matches()) {
                throw new ConfigException(where + ": expected 'NAME sha256:HEX [rate=N]' (64 lower-case hex digits; "
                        + "'ruc-cache serve add-client' writes such lines)");
            }
            double rate = 0;
            if (parts.length == 3) {
                rate = rate(parts[2], where);
            }
            if (!names.add(parts[0])) {
                throw new ConfigException(where + ": client " + parts[0] + " is listed twice");
            }
            if (byHash.putIfAbsent(parts[1].substring("sha256:".length()), new Client(parts[0], rate)) != null) {
                throw new ConfigException(where + ": the same token hash is listed for two clients");
            }
        }
        if (byHash.isEmpty()) {
            throw new ConfigException("the clients file " + file + " lists no client; add one with 'ruc-cache serve "
                    + "add-client NAME --clients " + file + "'");
        }
        return new Clients(Map.copyOf(byHash));
    }

    private static double rate(String text, String where) {
        if (text.startsWith("rate=")) {
            try {
                double r = Double.parseDouble(text.substring(5));
                if (r > 0 && r <= 1_000_000) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
        }
        throw new ConfigException(where + ": '" + text + "' is not rate=N, N requests per second above 0");
    }

    /** Refuses a clients file that its owner's group or others may read or write. */
    private static void checkPrivate(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (UnsupportedOperationException | IOException e) {
            return;
        }
        for (PosixFilePermission p : perms) {
            String name = p.name();
            if (name.startsWith("GROUP") || name.startsWith("OTHERS")) {
                throw new ConfigException("the clients file " + file + " is open to others (mode "
                        + PosixFilePermissions.toString(perms) + "); make it private with 'chmod 600 " + file + "'");
            }
        }
    }

    /** Returns the number of clients. */
    public int size() {
        return byHash.size();
    }

    /** Returns the client whose token is {@code token}, or null when none is. */
    public Client authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        return byHash.get(hash(token));
    }

    /** Returns the SHA-256 of {@code token}, in lower-case hex. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    /** Returns a new random token: {@link #TOKEN_PREFIX} and 32 random bytes in URL-safe base64. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Adds client {@code name} with a new token to {@code file} (created private, 0600, with its folder 0700, when
     * missing) and returns the token, which is nowhere else: the file keeps only its hash.
     *
     * @param rate the client's own request rate, or 0 for the server's default
     * @throws ConfigException when the name is malformed or taken, or the file cannot be written
     */
    public static String add(Path file, String name, double rate) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException("'" + name + "' is not a client name: use letters, digits, '.', '_' and '-', "
                    + "up to 64");
        }
        if (Files.exists(file)) {
            Clients existing = loadAllowingEmpty(file);
            if (existing.byHash.values().stream().anyMatch(c -> c.name().equals(name))) {
                throw new ConfigException("client " + name + " is already in " + file
                        + "; remove its line to give it a new token");
            }
        }
        String token = newToken();
        String line = name + " sha256:" + hash(token) + (rate > 0 ? " rate=" + formatRate(rate) : "") + "\n";
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, "# ruc-cache serve clients: NAME sha256:HEX-of-token [rate=N per second]\n",
                        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ConfigException("cannot write the clients file " + file + ": " + e.getMessage(), e);
        }
        return token;
    }

    private static Clients loadAllowingEmpty(Path file) {
        try {
            return load(file);
        } catch (ConfigException e) {
            if (e.getMessage().contains("lists no client")) {
                return new Clients(Map.of());
            }
            throw e;
        }
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
