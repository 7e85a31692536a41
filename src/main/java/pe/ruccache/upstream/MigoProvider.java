package pe.ruccache.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import okhttp3.HttpUrl;
import pe.ruccache.core.Ruc;
import pe.ruccache.core.TaxpayerRecord;

/** APIMIGO v2: {@code GET {base}/ruc/{ruc}} with a Bearer token and {@code Accept: application/json}. */
final class MigoProvider extends HttpProvider {

    /** Lima has kept UTC-5 without daylight saving since 1994. */
    private static final ZoneOffset LIMA = ZoneOffset.ofHours(-5);
    private static final DateTimeFormatter UPDATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    MigoProvider(HttpUrl baseUrl, Token token, Shared shared) {
        super(ProviderCatalog.MIGO, baseUrl, token, shared);
    }

    @Override
    HttpUrl url(HttpUrl base, Ruc ruc) {
        return base.newBuilder().addPathSegment("ruc").addPathSegment(ruc.value()).build();
    }

    /** Returns whether the 404 body is APIMIGO's {@code {success:false, message}}, not a router's JSON 404. */
    @Override
    boolean saysNotFound(JsonNode body) {
        JsonNode success = body.get("success");
        return success != null && success.isBoolean() && !success.booleanValue() && super.saysNotFound(body);
    }

    @Override
    Class<Body> bodyType() {
        return Body.class;
    }

    /**
     * The 200 body, flat, with the fields the record needs; the rest (via, zona, número...) are ignored.
     *
     * @param success false when the answer is not a valid one
     * @param ruc the RUC answered about
     * @param razonSocial legal name
     * @param estado estado del contribuyente
     * @param condicion condición de domicilio
     * @param ubigeo INEI code
     * @param departamento region
     * @param provincia province
     * @param distrito district
     * @param direccionSimple street-level address
     * @param direccion full address, ending with departamento, provincia and distrito
     * @param actualizadoEn when the data was current, {@code yyyy-MM-dd HH:mm:ss} Lima time
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Body(
            @JsonProperty("success") Boolean success,
            @JsonProperty("ruc") String ruc,
            @JsonProperty("nombre_o_razon_social") String razonSocial,
            @JsonProperty("estado_del_contribuyente") String estado,
            @JsonProperty("condicion_de_domicilio") String condicion,
            @JsonProperty("ubigeo") String ubigeo,
            @JsonProperty("departamento") String departamento,
            @JsonProperty("provincia") String provincia,
            @JsonProperty("distrito") String distrito,
            @JsonProperty("direccion_simple") String direccionSimple,
            @JsonProperty("direccion") String direccion,
            @JsonProperty("actualizado_en") String actualizadoEn) implements HttpProvider.Body {

        @Override
        public TaxpayerRecord toRecord() {
            String street = TaxpayerRecord.clean(direccionSimple) != null
                    ? direccionSimple
                    : StreetAddress.of(direccion, departamento, provincia, distrito);
            return new TaxpayerRecord(ruc == null ? null : ruc.strip(), razonSocial, estado, condicion, ubigeo,
                    street, departamento, provincia, distrito, dataAsOf(actualizadoEn));
        }
    }

    /** Returns the instant of a Lima {@code yyyy-MM-dd HH:mm:ss} time, or null: a bad date spoils no record. */
    static Instant dataAsOf(String actualizadoEn) {
        String text = TaxpayerRecord.clean(actualizadoEn);
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, UPDATED_AT).toInstant(LIMA);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
