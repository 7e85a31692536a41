package pe.ruccache.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pe.ruccache.core.ConfigException;

/** The small parts of {@code serve}: the clients file, listen addresses, the log's masking, the OpenAPI document. */
class ServePartsTest {

    @TempDir
    Path dir;

    @Test
    void clients_addThenLoad_authenticatesByHashOnly() throws Exception {
        Path file = dir.resolve("sub").resolve("clients");
        String erp = Clients.add(file, "erp", 0);
        String web = Clients.add(file, "web", 2.5);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String text = Files.readString(file);
        assertFalse(text.contains(erp) || text.contains(web), text);
        assertTrue(text.contains("web sha256:" + Clients.hash(web) + " rate=2.5"), text);
        Clients clients = Clients.load(file);
        assertEquals(2, clients.size());
        assertEquals("erp", clients.authenticate(erp).name());
        assertEquals(2.5, clients.authenticate(web).rate());
        assertNull(clients.authenticate(erp + "x"));
        assertNull(clients.authenticate(""));
        assertNull(clients.authenticate(Clients.hash(erp)), "the hash itself is not a token");
        assertNotEquals(erp, Clients.newToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"erp", "erp sha256:abc", "erp md5:" + "0123456789abcdef0123456789abcdef",
        "erp sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef rate=0",
        "erp sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef rate=fast",
        "-erp sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void clients_malformedLine_refusedNamingTheLine(String line) throws Exception {
        Path file = dir.resolve("clients");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# comment\n\n" + line + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Clients.load(file));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void clients_duplicatesEmptyMissingOrGroupReadable_refused() throws Exception {
        Path file = dir.resolve("clients");
        String hash = "sha256:" + "b".repeat(64);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "a " + hash + "\nb " + hash + "\n");
        assertTrue(assertThrows(ConfigException.class, () -> Clients.load(file)).getMessage().contains("two"));
        Files.writeString(file, "# nobody yet\n");
        assertTrue(assertThrows(ConfigException.class, () -> Clients.load(file)).getMessage()
                .contains("lists no client"));
        Files.writeString(file, "a " + hash + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(assertThrows(ConfigException.class, () -> Clients.load(file)).getMessage().contains("chmod 600"));
        assertTrue(assertThrows(ConfigException.class, () -> Clients.load(dir.resolve("none"))).getMessage()
                .contains("add-client"));
        assertThrows(ConfigException.class, () -> Clients.add(dir.resolve("other"), "bad name", 0));
    }

    @Test
    void listenAddress_parsesHostsAndPorts_andTellsLoopback() {
        assertEquals(new ListenAddress("127.0.0.1", 8080), ListenAddress.parse("127.0.0.1:8080"));
        assertEquals(new ListenAddress("::1", 0), ListenAddress.parse("[::1]:0"));
        assertEquals("[::1]:0", ListenAddress.parse("[::1]:0").toString());
        assertTrue(ListenAddress.parse("localhost:1").isLoopback());
        assertTrue(ListenAddress.parse("[::1]:1").isLoopback());
        assertFalse(ListenAddress.parse("0.0.0.0:1").isLoopback());
        for (String bad : new String[] {"8080", ":8080", "host:", "host:http", "host:70000", "::1:80", ""}) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }

    @Test
    void accessLog_masksTokenParameters() {
        assertEquals("/api/v1/ruc?token=REDACTED&ruc=1", AccessLog.mask("/api/v1/ruc?token=s3cret&ruc=1"));
        assertEquals("/x?a=1&access_token=REDACTED", AccessLog.mask("/x?a=1&access_token=abc"));
        assertEquals("/v1/ruc/1?refresh", AccessLog.mask("/v1/ruc/1?refresh"));
    }

    @Test
    void openApi_describesEveryRoute_andNothingElse() throws Exception {
        JsonNode doc;
        try (InputStream in = RucServer.class.getResourceAsStream("openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertEquals(Routes.ALL, paths);
        // Every $ref points at something the document defines.
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            JsonNode target = doc.at(ref.substring(1));
            assertFalse(target.isMissingNode(), ref);
        }
    }

    private static void collectRefs(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    into.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, into));
        }
    }
}
