package pe.ruccache.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

/** apis.net.pe v2: {@code GET {base}/sunat/ruc?numero={ruc}} with a Bearer token; camelCase body without a date. */
final class ApisNetProvider extends HttpProvider {

    ApisNetProvider(HttpUrl baseUrl, Token token, Shared shared) {
        super(ProviderCatalog.APISNET, baseUrl, token, shared);
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
     * The 200 body's fields the record needs; the rest are ignored.
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
            @JsonProperty("razonSocial") String razonSocial,
            @JsonProperty("numeroDocumento") String numeroDocumento,
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
