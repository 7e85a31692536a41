package pe.ruccache.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pe.ruccache.upstream.Fixtures.CONTINENTAL;
import static pe.ruccache.upstream.Fixtures.TOKEN;
import static pe.ruccache.upstream.Fixtures.json;

import java.time.Instant;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pe.ruccache.core.Reason;
import pe.ruccache.core.TaxpayerRecord;

class MigoProviderTest {

    private final MockWebServer server = new MockWebServer();
    private UpstreamClient client;
    private Provider migo;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = UpstreamClient.builder(Fixtures.noRetries()).build();
        migo = client.provider(Fixtures.settings("migo", server, "/api/v2"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void fetch_sendsGetToRucPathWithBearerAndAcceptJson() throws Exception {
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        migo.fetch(CONTINENTAL);

        RecordedRequest request = Fixtures.take(server);
        assertEquals("GET", request.getMethod());
        assertEquals("/api/v2/ruc/20100038146", request.getTarget());
        assertEquals("Bearer " + TOKEN, request.getHeaders().get("Authorization"));
        assertEquals("application/json", request.getHeaders().get("Accept"));
    }

    @Test
    void fetch_baseUrlWithTrailingSlash_buildsTheSamePath() throws Exception {
        try (UpstreamClient other = UpstreamClient.builder(Fixtures.noRetries()).build()) {
            Provider slash = other.provider(Fixtures.settings("migo", server, "/api/v2/"));
            server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

            slash.fetch(CONTINENTAL);

            assertEquals("/api/v2/ruc/20100038146", Fixtures.take(server).getTarget());
        }
    }

    @Test
    void fetch_200_foundWithStreetAddressAndLimaTimeAsInstant() {
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL));

        ProviderAnswer answer = migo.fetch(CONTINENTAL);

        ProviderAnswer.Found found = assertInstanceOf(ProviderAnswer.Found.class, answer);
        assertEquals("migo", found.provider());
        TaxpayerRecord r = found.record();
        assertEquals("20100038146", r.ruc());
        assertEquals("CONTINENTAL S.A.C.", r.razonSocial());
        assertEquals("ACTIVO", r.estado());
        assertEquals("HABIDO", r.condicion());
        assertEquals("150131", r.ubigeo());
        assertEquals("AV. JAVIER PRADO ESTE NRO. 4200 URB. SANTA CATALINA", r.direccion());
        assertEquals("LIMA", r.departamento());
        assertEquals("LIMA", r.provincia());
        assertEquals("SAN ISIDRO", r.distrito());
        // 08:15:32 in Lima (UTC-5) is 13:15:32 UTC.
        assertEquals(Instant.parse("2024-05-10T13:15:32Z"), r.dataAsOf());
    }

    @Test
    void fetch_200TruncatedEstadoAndNoSimpleAddress_keepsTruncatedTextAndStripsLocationFromFullAddress() {
        server.enqueue(json(200, RecordedBodies.MIGO_BAJA_BRENA));

        ProviderAnswer answer = migo.fetch(Fixtures.BAJA);

        TaxpayerRecord r = assertInstanceOf(ProviderAnswer.Found.class, answer).record();
        assertEquals("PANIFICADORA LA ÑUSTA E.I.R.L.", r.razonSocial());
        assertEquals("BAJA MULT.INSCR. Y O", r.estado());
        assertEquals("NO HALLADO SE MUDO D", r.condicion());
        assertEquals("JR. HUARAZ NRO. 1520", r.direccion());
        assertEquals("BREÑA", r.distrito());
        assertEquals(Instant.parse("2024-12-01T04:59:59Z"), r.dataAsOf());
    }

    @Test
    void fetch_404_notFoundWithProvidersMessage() {
        server.enqueue(json(404, RecordedBodies.MIGO_NOT_FOUND));

        ProviderAnswer answer = migo.fetch(CONTINENTAL);

        ProviderAnswer.NotFound notFound = assertInstanceOf(ProviderAnswer.NotFound.class, answer);
        assertEquals("migo: HTTP 404: No se encontró el RUC consultado", notFound.detail());
    }

    @Test
    void fetch_422_rejectedWithMessage() {
        server.enqueue(json(422, RecordedBodies.MIGO_UNPROCESSABLE));

        ProviderAnswer answer = migo.fetch(CONTINENTAL);

        ProviderAnswer.Failed failed = assertInstanceOf(ProviderAnswer.Failed.class, answer);
        assertEquals(Reason.REJECTED, failed.reason());
        assertEquals("migo: refused the RUC's format (HTTP 422: The given data was invalid.)", failed.detail());
        assertNull(failed.retryAfter());
    }

    @Test
    void fetch_200WithUnparseableDate_foundWithoutDataAsOf() {
        server.enqueue(json(200, RecordedBodies.MIGO_CONTINENTAL.replace("2024-05-10 08:15:32", "10/05/2024")));

        TaxpayerRecord r = assertInstanceOf(ProviderAnswer.Found.class, migo.fetch(CONTINENTAL)).record();

        assertNull(r.dataAsOf());
        assertTrue(r.isActive());
    }
}
