package pe.ruccache.lookup;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Policy;
import pe.ruccache.core.TaxpayerRecord;

/**
 * The fields of one answer in machine output, with stable names: what {@code lookup --format json} prints and what
 * {@code serve} answers with, so the two can never drift apart.
 */
public final class OutcomeFields {

    /** The field names, in order; they never change meaning. */
    public static final List<String> NAMES = List.of("input", "ruc", "status", "reason", "detail", "razon_social",
            "estado", "condicion", "ubigeo", "direccion", "departamento", "provincia", "distrito", "data_as_of",
            "source", "provider", "fetched_at", "expires_at", "stale", "policy");

    private OutcomeFields() {
    }

    /** Returns the fields of {@code o}, in {@link #NAMES} order, with {@code policy}'s verdict. */
    public static Map<String, Object> of(Outcome o, Policy policy) {
        TaxpayerRecord r = o.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", o.input());
        m.put("ruc", o.ruc());
        m.put("status", o.status().name());
        m.put("reason", o.reason() == null ? null : o.reason().name());
        m.put("detail", o.detail());
        m.put("razon_social", r == null ? null : r.razonSocial());
        m.put("estado", r == null ? null : r.estado());
        m.put("condicion", r == null ? null : r.condicion());
        m.put("ubigeo", r == null ? null : r.ubigeo());
        m.put("direccion", r == null ? null : r.direccion());
        m.put("departamento", r == null ? null : r.departamento());
        m.put("provincia", r == null ? null : r.provincia());
        m.put("distrito", r == null ? null : r.distrito());
        m.put("data_as_of", r == null ? null : iso(r.dataAsOf()));
        m.put("source", o.source());
        m.put("provider", o.provider());
        m.put("fetched_at", iso(o.fetchedAt()));
        m.put("expires_at", iso(o.expiresAt()));
        m.put("stale", o.stale());
        m.put("policy", policy.verdict(o));
        return m;
    }

    /** Returns {@code t} as {@code 2026-11-25T20:31:00Z} (ISO-8601 UTC, to the second), or null for null. */
    public static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
