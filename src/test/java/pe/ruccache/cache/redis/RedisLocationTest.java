package pe.ruccache.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import pe.ruccache.core.ConfigException;

/** Reading {@code --store redis://...}: every part found, and the password never shown. */
class RedisLocationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // spec                                        | tls   | host            | port | db | user | password
        "redis://127.0.0.1                             | false | 127.0.0.1       | 6379 | 0  | null | null",
        "redis://cache.internal:6380/3                 | false | cache.internal  | 6380 | 3  | null | null",
        "REDISS://cache.internal:6380/                 | true  | cache.internal  | 6380 | 0  | null | null",
        "redis://ana:s3cr%40t@cache:6379               | false | cache           | 6379 | 0  | ana  | s3cr@t",
        "redis://:only+pass@cache:6379/1               | false | cache           | 6379 | 1  | null | only+pass",
        "redis://lonepassword@cache                    | false | cache           | 6379 | 0  | null | lonepassword",
        "redis://ana:@cache                            | false | cache           | 6379 | 0  | ana  | null",
        "redis://[::1]:7000/2                          | false | ::1             | 7000 | 2  | null | null",
    })
    void parse_everyPart(String spec, boolean tls, String host, int port, int db, String user, String password) {
        assertEquals(new RedisLocation(tls, host, port, db, user, password), RedisLocation.parse(spec));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://ana:pw@cache:6379/0    | redis://ana@cache:6379/0",
        "rediss://:pw@cache             | rediss://cache:6379/0",
        "redis://[::1]:7000             | redis://[::1]:7000/0",
    })
    void display_andToString_neverShowThePassword(String spec, String shown) {
        RedisLocation location = RedisLocation.parse(spec);

        assertEquals(shown, location.display());
        assertEquals(shown, location.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://:Hunter2-Secret@cache:6379/x",
        "redis://ana:Hunter2-Secret@cache:6379?ssl=true",
        "redis://:Hunter2-Secret@:6379",
        "redis://:Hunter2/Secret@cache",
        "redis://Hunter2-Secret@cache:notaport",
        "redis://ana:Hunter2-Secret@cache:99999/0",
        "redis://:Hunter2:Secret@[::1]:abc",
        "redis://:Hunter2/Secret:x@cache:abc",
    })
    void parse_badUri_configErrorThatHidesThePassword(String spec) {
        ConfigException e = assertThrows(ConfigException.class, () -> RedisLocation.parse(spec));

        assertFalse(e.getMessage().contains("Hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("redis://[user:password@]host:port[/db]"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"redis://x, true", "REDISS://x, true", " redis://x, true", "/tmp/cache.db, false",
        "sqlite:/tmp/x, false"})
    void isRedis_bySchemeOnly(String spec, boolean redis) {
        assertEquals(redis, RedisLocation.isRedis(spec));
    }
}
