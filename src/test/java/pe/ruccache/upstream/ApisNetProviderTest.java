package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static pe.ruccache.upstream.Fixtures.TOKEN;
import static pe.ruccache.upstream.Fixtures.json;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.Reason;
import pe.ruccache.core.TaxpayerRecord;

class ApisNetProviderTest {

    private final MockWebServer server = new MockWebServer();
    private UpstreamClient client;
    private Provider apisnet;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = UpstreamClient.builder(Fixtures.noRetries()).build();
        apisnet = client.provider(Fixtures.settings("apisnet", server, "/v2"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void fetch_sendsGetWithNumeroQueryAndBearer() throws Exception {
        server.enqueue(json(200, RecordedBodies.APISNET_SUNAT));

        apisnet.fetch(Fixtures.SUNAT);

        RecordedRequest request = Fixtures.take(server);
        assertEquals("GET", request.getMethod());
        assertEquals("/v2/sunat/ruc?numero=20131312955", request.getTarget());
        assertEquals("Bearer " + TOKEN, request.getHeaders().get("Authorization"));
    }

    @Test
    void fetch_200CamelCase_found() {
        server.enqueue(json(200, RecordedBodies.APISNET_SUNAT));

        ProviderAnswer.Found found = assertInstanceOf(ProviderAnswer.Found.class, apisnet.fetch(Fixtures.SUNAT));

        assertEquals("apisnet", found.provider());
        TaxpayerRecord r = found.record();
        assertEquals("20131312955", r.ruc());
        assertEquals("SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT", r.razonSocial());
        assertEquals("AV. GARCILASO DE LA VEGA NRO. 1472", r.direccion());
        assertEquals("150101", r.ubigeo());
        assertNull(r.dataAsOf());
    }

    @Test
    void fetch_200PersonWithDashesAndBlanks_foundWithAbsentFieldsAsNull() {
        server.enqueue(json(200, RecordedBodies.APISNET_PERSON));

        TaxpayerRecord r = assertInstanceOf(ProviderAnswer.Found.class, apisnet.fetch(Fixtures.PERSON)).record();

        assertEquals("QUISPE MAMANI JOSÉ ANTONIO", r.razonSocial());
        assertNull(r.direccion());
        assertNull(r.ubigeo());
        assertNull(r.distrito());
    }

    @Test
    void fetch_404_notFound() {
        server.enqueue(json(404, RecordedBodies.DECOLECTA_NOT_FOUND));

        assertInstanceOf(ProviderAnswer.NotFound.class, apisnet.fetch(Fixtures.SUNAT));
    }

    @Test
    void fetch_401_authNamingTokenOrigin() {
        server.enqueue(json(401, "{\"message\":\"Unauthorized\"}"));

        ProviderAnswer.Failed failed = assertInstanceOf(ProviderAnswer.Failed.class, apisnet.fetch(Fixtures.SUNAT));

        assertEquals(Reason.AUTH, failed.reason());
        assertEquals("apisnet: token from RUC_CACHE_APISNET_TOKEN refused (HTTP 401: Unauthorized)", failed.detail());
    }
}
