package pe.ruccache.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Status;
import pe.ruccache.core.StoreException;
import pe.ruccache.core.TaxpayerRecord;
import pe.ruccache.testing.RedisServer;

/**
 * {@code rediss://}: the connection is TLS, the server's certificate must be trusted by Java and name the host.
 * Certificates come from the JDK's keytool, so the test needs nothing beyond Java and redis-server.
 */
class RedisTlsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T15:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String[] TRUST_PROPERTIES = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
        "javax.net.ssl.trustStoreType"};

    @TempDir
    static Path dir;

    /** A certificate for 127.0.0.1 and localhost, and one for another host: PEM certificate, PEM key, truststore. */
    private static Path[] forLocalhost;
    private static Path[] forAnotherHost;

    private final Map<String, String> savedProperties = new HashMap<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        // Two keytool runs at once: each is mostly JVM start-up.
        Process local = keytool("local", "san=ip:127.0.0.1,dns:localhost");
        Process other = keytool("other", "san=dns:cache.example.org");
        forLocalhost = certificate("local", local);
        forAnotherHost = certificate("other", other);
    }

    @BeforeEach
    void saveTrustProperties() {
        for (String p : TRUST_PROPERTIES) {
            savedProperties.put(p, System.getProperty(p));
        }
    }

    @AfterEach
    void restoreTrustProperties() {
        savedProperties.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void rediss_trustedCertificateNamingTheHost_storesAndFinds() throws Exception {
        Path[] pem = forLocalhost;
        try (RedisServer server = RedisServer.startTls(dir.resolve("tls1"), pem[0], pem[1])) {
            trust(pem[2]);
            CacheEntry entry = new CacheEntry("20100038146", "migo", Status.VALID, null, null, new TaxpayerRecord(
                    "20100038146", "CONTINENTAL S.A.C.", "ACTIVO", "HABIDO", null, null, null, null, null, null),
                    NOW, NOW.plusSeconds(3600));

            for (String host : List.of("127.0.0.1", "localhost")) {
                try (RedisStore store = RedisStore.open(RedisLocation.parse("rediss://" + host + ":" + server.port()),
                        RedisOptions.defaults(), CLOCK)) {
                    store.put(entry);
                    assertEquals(List.of(entry), store.find("20100038146"));
                    assertTrue(store.location().startsWith("rediss://" + host), store.location());
                }
            }
        }
    }

    @Test
    void rediss_certificateForAnotherHost_refused() throws Exception {
        Path[] pem = forAnotherHost;
        try (RedisServer server = RedisServer.startTls(dir.resolve("tls2"), pem[0], pem[1])) {
            trust(pem[2]);

            StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(
                    RedisLocation.parse(server.uri()), RedisOptions.defaults(), CLOCK));

            assertTrue(e.getMessage().startsWith("TLS with the Redis server at " + server.uri()), e.getMessage());
        }
    }

    @Test
    void rediss_untrustedCertificate_refused() throws Exception {
        Path[] pem = forLocalhost;
        // No trust(): Java's own CAs do not know this self-signed certificate.
        try (RedisServer server = RedisServer.startTls(dir.resolve("tls3"), pem[0], pem[1])) {
            StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(
                    RedisLocation.parse(server.uri()), RedisOptions.defaults(), CLOCK));

            assertTrue(e.getMessage().contains("Java trusts its certificate"), e.getMessage());
        }
    }

    @Test
    void rediss_toAPlainServer_failsSayingTls() {
        try (RedisServer plain = RedisServer.start(dir.resolve("plain"))) {
            StoreException e = assertThrows(StoreException.class, () -> RedisStore.open(
                    RedisLocation.parse("rediss://127.0.0.1:" + plain.port()), RedisOptions.defaults()
                            .withTimeout(java.time.Duration.ofMillis(500)), CLOCK));

            // A plain server reads the TLS greeting as a command and waits for the rest: a timeout.
            assertTrue(e.getMessage().contains("use redis:// if it does not serve TLS"), e.getMessage());
        }
    }

    /** Starts keytool making a self-signed certificate with {@code san} in {@code <name>.p12}. */
    private static Process keytool(String name, String san) throws IOException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        return new ProcessBuilder(keytool, "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-genkeypair",
                "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ruc-cache test",
                "-ext", san, "-validity", "2", "-storetype", "PKCS12", "-keystore",
                dir.resolve(name + ".p12").toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
    }

    /** Waits for {@code keytool}; returns the certificate's PEM file, its key's PEM file and a truststore. */
    private static Path[] certificate(String name, Process keytool) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        Certificate cert = store.getCertificate("redis");
        Key key = store.getKey("redis", "changeit".toCharArray());
        Path certPem = pem(dir.resolve(name + ".crt"), "CERTIFICATE", cert.getEncoded());
        Path keyPem = pem(dir.resolve(name + ".key"), "PRIVATE KEY", key.getEncoded());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("redis", cert);
        Path truststore = dir.resolve(name + "-trust.p12");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trust.store(out, "changeit".toCharArray());
        }
        return new Path[] {certPem, keyPem, truststore};
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    private static void trust(Path truststore) {
        System.setProperty("javax.net.ssl.trustStore", truststore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }
}
