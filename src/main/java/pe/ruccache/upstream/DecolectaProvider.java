package pe.ruccache.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

/** decolecta: {@code GET {base}/sunat/ruc?numero={ruc}} with a Bearer token; snake_case body without a date. */
final class DecolectaProvider extends HttpProvider {

    DecolectaProvider(HttpUrl baseUrl, Token token, Shared shared) {
        super(ProviderCatalog.DECOLECTA, baseUrl, token, shared);
    }

    @Override
    HttpUrl url(HttpUrl base, Ruc ruc) {
        return base.newBuilder().addPathSegment("sunat").addPathSegment("ruc")
                .addQueryParameter("numero", ruc.value()).build();
    }

    @Override
    TaxpayerRecord toRecord(ObjectMapper mapper, JsonNode body) throws JsonProcessingException {
        return mapper.treeToValue(body, Body.class).toRecord();
    }

    /**
     * The 200 body's fields the record needs; via, zona, agente de retención and locales anexos are ignored.
     *
     * @param razonSocial legal name
     * @param numeroDocumento the RUC answered about
     * @param estado estado del contribuyente
     * @param condicion condición de domicilio
     * @param direccion one-line address
     * @param ubigeo INEI code
     * @param departamento region
     * @param provincia province
     * @param distrito district
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Body(
            @JsonProperty("razon_social") String razonSocial,
            @JsonProperty("numero_documento") String numeroDocumento,
            @JsonProperty("estado") String estado,
            @JsonProperty("condicion") String condicion,
            @JsonProperty("direccion") String direccion,
            @JsonProperty("ubigeo") String ubigeo,
            @JsonProperty("departamento") String departamento,
            @JsonProperty("provincia") String provincia,
            @JsonProperty("distrito") String distrito) {

        TaxpayerRecord toRecord() {
            return new TaxpayerRecord(numeroDocumento == null ? null : numeroDocumento.strip(), razonSocial, estado,
                    condicion, ubigeo, StreetAddress.of(direccion, departamento, provincia, distrito), departamento,
                    provincia, distrito, null);
        }
    }
}
