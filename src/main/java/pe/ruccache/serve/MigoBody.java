package pe.ruccache.serve;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * An answer in APIMIGO's own shape and status codes (docs/DESIGN.md, "Upstream contracts"), for the routes that
 * stand in for APIMIGO: 200 with its flat body for a taxpayer, 404 for a RUC SUNAT does not know, 422 with
 * {@code errors} for a value that is not a RUC, and 500 (APIMIGO's transient failure) when no provider could answer.
 * The store keeps one address line, not its parts: the part fields are {@code "-"}, as APIMIGO writes an empty one.
 */
final class MigoBody {

    private static final ZoneOffset LIMA = ZoneOffset.ofHours(-5);
    private static final DateTimeFormatter UPDATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(LIMA);
    private static final List<String> ADDRESS_PARTS = List.of("tipo_de_via", "nombre_de_via", "codigo_de_zona",
            "tipo_de_zona", "numero", "interior", "lote", "dpto", "manzana", "kilometro");

    private MigoBody() {
    }

    /** Returns the HTTP status APIMIGO gives for {@code o}. */
    static int status(Outcome o) {
        if (o.status() == Status.VALID) {
            return 200;
        }
        if (o.status() == Status.ERROR) {
            return 500;
        }
        return o.reason().isLocal() ? 422 : 404;
    }

    /** Returns the body APIMIGO gives for {@code o}. */
    static Map<String, Object> of(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        TaxpayerRecord r = o.record();
        if (o.status() != Status.VALID) {
            m.put("success", false);
            if (o.status() == Status.ERROR) {
                m.put("message", "No se pudo consultar el RUC ahora: " + o.detail());
            } else if (o.reason().isLocal()) {
                m.put("message", "The given data was invalid.");
                m.put("errors", Map.of("ruc", List.of("El campo ruc no es válido: " + o.detail())));
            } else {
                m.put("message", "No se encontró el RUC consultado");
            }
            return m;
        }
        m.put("success", true);
        m.put("ruc", o.ruc());
        m.put("nombre_o_razon_social", dash(r.razonSocial()));
        m.put("estado_del_contribuyente", dash(r.estado()));
        m.put("condicion_de_domicilio", dash(r.condicion()));
        m.put("ubigeo", dash(r.ubigeo()));
        for (String part : ADDRESS_PARTS) {
            m.put(part, "-");
        }
        m.put("distrito", dash(r.distrito()));
        m.put("provincia", dash(r.provincia()));
        m.put("departamento", dash(r.departamento()));
        m.put("direccion_simple", dash(r.direccion()));
        m.put("direccion", dash(full(r)));
        Instant asOf = r.dataAsOf() != null ? r.dataAsOf() : o.fetchedAt();
        m.put("actualizado_en", asOf == null ? null : UPDATED_AT.format(asOf));
        return m;
    }

    /** Returns the address with its district, province and region after it, as APIMIGO's {@code direccion}. */
    private static String full(TaxpayerRecord r) {
        StringBuilder b = new StringBuilder(r.direccion() == null ? "" : r.direccion());
        for (String p : new String[] {r.departamento(), r.provincia(), r.distrito()}) {
            if (p != null) {
                b.append(b.length() == 0 ? "" : " ").append(p);
            }
        }
        return b.toString();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
