package pe.ruccache.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pe.ruccache.core.ConfigException;

/** Where each setting comes from (flag, environment, config file, default) and what a bad value says. */
class SettingsResolverTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path config;

    @BeforeEach
    void setUp() {
        env.put("RUC_CACHE_HOME", dir.resolve("home").toString());
        config = dir.resolve("config.properties");
        env.put("RUC_CACHE_CONFIG", config.toString());
    }

    private Settings resolve() {
        return resolve(Overrides.none());
    }

    private Settings resolve(Overrides flags) {
        return new SettingsResolver(env, dir.resolve("user")).resolve(flags);
    }

    private void config(String... lines) throws Exception {
        Files.writeString(config, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private String failure() {
        return assertThrows(ConfigException.class, this::resolve).getMessage();
    }

    @Test
    void nothingConfigured_defaults() throws Exception {
        config();
        Settings s = resolve();
        assertEquals(dir.resolve("home"), s.home());
        assertEquals(dir.resolve("home").resolve("cache.db").toString(), s.store());
        assertEquals(List.of("migo"), s.providers());
        assertEquals(Duration.ofHours(1), s.ttlValid());
        assertEquals(Duration.ofHours(24), s.ttlInvalid());
        assertEquals(Set.of("10", "15", "16", "17", "20"), s.rules().prefixes());
        assertEquals(Duration.ofSeconds(10), s.lockTimeout());
        assertEquals(Duration.ofSeconds(15), s.http().callTimeout());
        assertEquals(Duration.ofSeconds(5), s.http().connectTimeout());
        assertEquals(2, s.http().maxRetries());
        assertEquals(0, s.http().requestsPerSecond());
        assertEquals(dir.resolve("home").resolve("padron.db"), s.padron().snapshot());
        assertEquals(URI.create("http://www2.sunat.gob.pe/padron_reducido_ruc.zip"), s.padron().url());
        assertEquals(Duration.ofDays(3), s.padron().maxAge());
        assertEquals("ruc-cache", s.redis().prefix());
        assertEquals(Duration.ofDays(7), s.redis().grace());
        assertEquals(Duration.ofSeconds(5), s.redis().timeout());
        assertNull(s.redis().password());
        assertEquals(URI.create("https://api.migo.pe/api/v2"), s.providerSettings().get("migo").baseUrl());
        assertNull(s.providerSettings().get("migo").token());
    }

    @Test
    void everyKey_fromConfigFile() throws Exception {
        Path tokenFile = dir.resolve("decolecta.token");
        Files.writeString(tokenFile, " secreto-d \n");
        config("store=" + dir.resolve("c.db"), "providers=migo, decolecta", "ttl.valid=2h", "ttl.invalid=3d",
                "prefixes=10,20", "lock.timeout=3s", "http.timeout=1s", "http.retries=0", "rate=2.5",
                "padron.db=~/p.db", "padron.url=https://example.org/p.zip", "padron.max_age=5d",
                "redis.prefix=team-a:rc", "redis.grace=0s", "redis.timeout=2s", "migo.token=secreto-m",
                "migo.url=http://127.0.0.1:9/v2", "decolecta.token_file=" + tokenFile);
        Settings s = resolve();
        assertEquals(dir.resolve("c.db").toString(), s.store());
        assertEquals(List.of("migo", "decolecta"), s.providers());
        assertEquals(Duration.ofHours(2), s.ttlValid());
        assertEquals(Duration.ofDays(3), s.ttlInvalid());
        assertEquals(Set.of("10", "20"), s.rules().prefixes());
        assertEquals(Duration.ofSeconds(3), s.lockTimeout());
        assertEquals(Duration.ofSeconds(1), s.http().callTimeout());
        // The connect timeout never exceeds the whole call's.
        assertEquals(Duration.ofSeconds(1), s.http().connectTimeout());
        assertEquals(0, s.http().maxRetries());
        assertEquals(2.5, s.http().requestsPerSecond());
        assertEquals(dir.resolve("user").resolve("p.db"), s.padron().snapshot());
        assertEquals(URI.create("https://example.org/p.zip"), s.padron().url());
        assertEquals(Duration.ofDays(5), s.padron().maxAge());
        assertEquals("team-a:rc", s.redis().prefix());
        assertEquals(Duration.ZERO, s.redis().grace());
        assertEquals(Duration.ofSeconds(2), s.redis().timeout());
        assertEquals("secreto-m", s.providerSettings().get("migo").token().reveal());
        assertEquals("config file " + config, s.providerSettings().get("migo").token().origin());
        assertEquals(URI.create("http://127.0.0.1:9/v2"), s.providerSettings().get("migo").baseUrl());
        assertEquals("secreto-d", s.providerSettings().get("decolecta").token().reveal());
        assertEquals(tokenFile.toString(), s.providerSettings().get("decolecta").token().origin());
    }

    @Test
    void environment_winsOverConfigFile_flagsOverBoth() throws Exception {
        config("store=/from/config.db", "providers=decolecta", "ttl.valid=2h", "rate=3", "migo.token=config",
                "redis.prefix=config", "padron.max_age=5d");
        env.put("RUC_CACHE_STORE", "/from/env.db");
        env.put("RUC_CACHE_PROVIDERS", "apisnet,migo");
        env.put("RUC_CACHE_TTL_VALID", "4h");
        env.put("RUC_CACHE_RATE", "4");
        env.put("RUC_CACHE_MIGO_TOKEN", " env ");
        env.put("RUC_CACHE_REDIS_PREFIX", "env");
        env.put("RUC_CACHE_PADRON_MAX_AGE", "6d");
        env.put("RUC_CACHE_REDIS_PASSWORD", " with spaces ");
        Settings s = resolve();
        assertEquals("/from/env.db", s.store());
        assertEquals(List.of("apisnet", "migo"), s.providers());
        assertEquals(Duration.ofHours(4), s.ttlValid());
        assertEquals(4, s.http().requestsPerSecond());
        assertEquals("env", s.providerSettings().get("migo").token().reveal());
        assertEquals("RUC_CACHE_MIGO_TOKEN", s.providerSettings().get("migo").token().origin());
        assertEquals("env", s.redis().prefix());
        assertEquals(Duration.ofDays(6), s.padron().maxAge());
        // Not stripped: a password may begin or end with a space.
        assertEquals(" with spaces ", s.redis().password());

        Settings flagged = resolve(new Overrides("/from/flag.db", null, List.of("DECOLECTA"), Duration.ofMinutes(5),
                Duration.ofMinutes(6), true, 7.0));
        assertEquals("/from/flag.db", flagged.store());
        assertEquals(List.of("decolecta"), flagged.providers());
        assertEquals(Duration.ofMinutes(5), flagged.ttlValid());
        assertEquals(Duration.ofMinutes(6), flagged.ttlInvalid());
        assertEquals(7, flagged.http().requestsPerSecond());
        assertTrue(flagged.http().logHttp());
    }

    @Test
    void blankEnvironment_fallsBackToConfigFile() throws Exception {
        config("ttl.valid=2h");
        env.put("RUC_CACHE_TTL_VALID", "  ");
        assertEquals(Duration.ofHours(2), resolve().ttlValid());
    }

    @Test
    void tokenFromEnvironmentFile_readAndStripped() throws Exception {
        config();
        Path file = dir.resolve("t");
        Files.writeString(file, "abc\n");
        env.put("RUC_CACHE_MIGO_TOKEN_FILE", file.toString());
        assertEquals("abc", resolve().providerSettings().get("migo").token().reveal());
        Files.writeString(file, "\n");
        assertEquals("the token file " + file + " (named by RUC_CACHE_MIGO_TOKEN_FILE) is empty", failure());
    }

    @Test
    void badValues_nameWhereTheyCameFrom() throws Exception {
        config("ttl.invalid=pronto", "http.retries=-1");
        assertEquals("'pronto' is not a duration; use e.g. 90s, 15m, 1h or 7d (from ttl.invalid in config file "
                + config + ")", failure());
        config("http.retries=-1");
        assertEquals("'-1' is not a whole number of 0 or more (from http.retries in config file " + config + ")",
                failure());
        config();
        env.put("RUC_CACHE_RATE", "fast");
        assertEquals("'fast' is not a request rate (requests per second, e.g. 5 or 0.5; 0 for no limit) (from "
                + "RUC_CACHE_RATE)", failure());
        env.put("RUC_CACHE_RATE", "2e6");
        assertEquals("'2e6' is too high a request rate: at most 1000000 requests per second (0 for no limit) (from "
                + "RUC_CACHE_RATE)", failure());
        env.remove("RUC_CACHE_RATE");
        env.put("RUC_CACHE_PROVIDERS", "migo,sunatx");
        assertEquals("unknown provider 'sunatx'; known providers: migo, decolecta, apisnet, padron (from "
                + "RUC_CACHE_PROVIDERS)", failure());
        env.put("RUC_CACHE_PROVIDERS", "migo,MIGO");
        assertEquals("provider 'migo' is listed twice (from RUC_CACHE_PROVIDERS)", failure());
        env.remove("RUC_CACHE_PROVIDERS");
        env.put("RUC_CACHE_PREFIXES", "10,2x");
        assertTrue(failure().startsWith("bad RUC prefixes '10,2x' (from RUC_CACHE_PREFIXES): "), failure());
        env.remove("RUC_CACHE_PREFIXES");
        env.put("RUC_CACHE_PADRON_URL", "ftp://example.org/p.zip");
        assertEquals("bad URL 'ftp://example.org/p.zip' for the padrón (from RUC_CACHE_PADRON_URL): not an http(s) "
                + "URL with a host", failure());
        env.remove("RUC_CACHE_PADRON_URL");
        env.put("RUC_CACHE_MIGO_URL", "api.migo.pe");
        assertEquals("bad URL 'api.migo.pe' for provider migo (from RUC_CACHE_MIGO_URL): not an http(s) URL with a "
                + "host", failure());
        env.remove("RUC_CACHE_MIGO_URL");
        env.put("RUC_CACHE_REDIS_TIMEOUT", "2h");
        assertEquals("the Redis timeout must be longer than zero and at most 1h (from RUC_CACHE_REDIS_TIMEOUT)",
                failure());
        env.remove("RUC_CACHE_REDIS_TIMEOUT");
        config("redis.prefix=a b");
        assertTrue(failure().endsWith(" (from redis.prefix in config file " + config + ")"), failure());
        config("http.timeout=0s");
        assertEquals("the HTTP timeout must be longer than zero", failure());
        config("padron.max_age=0s");
        assertEquals("the padrón's maximum age must be longer than zero", failure());
        config("ttl.valid=0s");
        assertEquals("the valid TTL must be longer than zero", failure());
    }

    @Test
    void unknownConfigKeys_listedWithTheKnownOnes() throws Exception {
        config("migo.tokn=x", "ttl=1h", "padron.token=x");
        assertEquals("unknown keys migo.tokn, padron.token, ttl in config file " + config + "; known keys: "
                + "http.retries, http.timeout, lock.timeout, padron.db, padron.max_age, padron.url, prefixes, "
                + "providers, rate, serve.access_log, serve.clients, serve.listen, store, ttl.invalid, ttl.valid, "
                + "redis.grace, redis.prefix, redis.timeout, "
                + "<provider>.token, <provider>.token_file, <provider>.url", failure());
        config("apisnet.url=https://example.org");
        assertEquals(URI.create("https://example.org"), resolve(new Overrides(null, null, List.of("apisnet"), null,
                null, false)).providerSettings().get("apisnet").baseUrl());
    }

    @Test
    void configFile_missingOnlyAnErrorWhenNamed() {
        assertEquals("config file " + config + " does not exist", failure());
        env.remove("RUC_CACHE_CONFIG");
        env.put("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
        assertEquals(dir.resolve("xdg").resolve("ruc-cache").resolve("config.properties"), resolve().configFile());
    }
}
