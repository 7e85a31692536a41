package pe.ruccache.upstream;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import okhttp3.HttpUrl;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

/**
 * decolecta: {@code GET {base}/sunat/ruc?numero={ruc}} with a Bearer token; snake_case body without a date. The body
 * also reads apis.net.pe's camelCase keys, for {@link ApisNetProvider}: the same backend under other names.
 */
class DecolectaProvider extends HttpProvider {

    DecolectaProvider(HttpUrl baseUrl, Token token, Shared shared) {
        this(ProviderCatalog.DECOLECTA, baseUrl, token, shared);
    }

    DecolectaProvider(String name, HttpUrl baseUrl, Token token, Shared shared) {
        super(name, baseUrl, token, shared);
    }

    @Override
    HttpUrl url(HttpUrl base, Ruc ruc) {
        return base.newBuilder().addPathSegment("sunat").addPathSegment("ruc")
                .addQueryParameter("numero", ruc.value()).build();
    }

    @Override
    Class<Body> bodyType() {
        return Body.class;
    }

    /**
     * The 200 body's fields the record needs, by decolecta's snake_case names or apis.net.pe's camelCase aliases;
     * via, zona, agente de retención and locales anexos are ignored.
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
            @JsonProperty("razon_social") @JsonAlias("razonSocial") String razonSocial,
            @JsonProperty("numero_documento") @JsonAlias("numeroDocumento") String numeroDocumento,
            @JsonProperty("estado") String estado,
            @JsonProperty("condicion") String condicion,
            @JsonProperty("direccion") String direccion,
            @JsonProperty("ubigeo") String ubigeo,
            @JsonProperty("departamento") String departamento,
            @JsonProperty("provincia") String provincia,
            @JsonProperty("distrito") String distrito) implements HttpProvider.Body {

        @Override
        public TaxpayerRecord toRecord() {
            return new TaxpayerRecord(numeroDocumento == null ? null : numeroDocumento.strip(), razonSocial, estado,
                    condicion, ubigeo, StreetAddress.of(direccion, departamento, provincia, distrito), departamento,
                    provincia, distrito, null);
        }
    }
}
