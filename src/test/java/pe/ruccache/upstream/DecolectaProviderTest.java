package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static pe.ruccache.upstream.Fixtures.SUNAT;
import static pe.ruccache.upstream.Fixtures.TOKEN;
import static pe.ruccache.upstream.Fixtures.json;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.Reason;
import pe.ruccache.core.TaxpayerRecord;

class DecolectaProviderTest {

    private final MockWebServer server = new MockWebServer();
    private UpstreamClient client;
    private Provider decolecta;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = UpstreamClient.builder(Fixtures.noRetries()).build();
        decolecta = client.provider(Fixtures.settings("decolecta", server, "/v1"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void fetch_sendsGetWithNumeroQueryAndBearer() throws Exception {
        server.enqueue(json(200, RecordedBodies.DECOLECTA_SUNAT));

        decolecta.fetch(SUNAT);

        RecordedRequest request = Fixtures.take(server);
        assertEquals("GET", request.getMethod());
        assertEquals("/v1/sunat/ruc?numero=20131312955", request.getTarget());
        assertEquals("Bearer " + TOKEN, request.getHeaders().get("Authorization"));
    }

    @Test
    void fetch_200_foundWithoutDateAndWithStreetLevelAddress() {
        server.enqueue(json(200, RecordedBodies.DECOLECTA_SUNAT));

        ProviderAnswer answer = decolecta.fetch(SUNAT);

        ProviderAnswer.Found found = assertInstanceOf(ProviderAnswer.Found.class, answer);
        assertEquals("decolecta", found.provider());
        TaxpayerRecord r = found.record();
        assertEquals("20131312955", r.ruc());
        assertEquals("SUPERINTENDENCIA NACIONAL DE ADUANAS Y DE ADMINISTRACION TRIBUTARIA - SUNAT", r.razonSocial());
        assertEquals("ACTIVO", r.estado());
        assertEquals("HABIDO", r.condicion());
        assertEquals("150101", r.ubigeo());
        assertEquals("AV. GARCILASO DE LA VEGA NRO. 1472", r.direccion());
        assertEquals("LIMA", r.departamento());
        assertEquals("LIMA", r.provincia());
        assertEquals("LIMA", r.distrito());
        assertNull(r.dataAsOf());
    }

    @Test
    void fetch_404_notFoundWithProvidersMessage() {
        server.enqueue(json(404, RecordedBodies.DECOLECTA_NOT_FOUND));

        ProviderAnswer.NotFound notFound = assertInstanceOf(ProviderAnswer.NotFound.class, decolecta.fetch(SUNAT));

        assertEquals("decolecta: HTTP 404: not found", notFound.detail());
    }

    @Test
    void fetch_422_rejected() {
        server.enqueue(json(422, RecordedBodies.DECOLECTA_UNPROCESSABLE));

        ProviderAnswer.Failed failed = assertInstanceOf(ProviderAnswer.Failed.class, decolecta.fetch(SUNAT));

        assertEquals(Reason.REJECTED, failed.reason());
        assertEquals("decolecta: refused the RUC's format (HTTP 422: ruc no valido)", failed.detail());
    }
}
