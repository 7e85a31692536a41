package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Policy;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/** Prints lookup answers as a table for people, or as JSON, JSON lines or CSV with stable field names. */
final class OutcomeRenderer {

    /** The field names of machine output, in order; they never change meaning. */
    static final List<String> FIELDS = List.of("input", "ruc", "status", "reason", "detail", "razon_social",
            "estado", "condicion", "ubigeo", "direccion", "departamento", "provincia", "distrito", "data_as_of",
            "source", "provider", "fetched_at", "expires_at", "stale", "policy");

    private final Policy policy;

    OutcomeRenderer(Policy policy) {
        this.policy = policy;
    }

    /** Prints {@code outcomes} in {@code format}: table, json, jsonl or csv. */
    void print(List<Outcome> outcomes, String format, PrintWriter out) {
        switch (format) {
            case "json" -> {
                List<Map<String, Object>> all = new ArrayList<>(outcomes.size());
                outcomes.forEach(o -> all.add(fields(o)));
                out.println(Json.pretty(all));
            }
            case "jsonl" -> outcomes.forEach(o -> out.println(Json.compact(fields(o))));
            case "csv" -> printCsv(outcomes, out);
            default -> {
                if (outcomes.size() == 1) {
                    printCard(outcomes.get(0), out);
                } else {
                    printTable(outcomes, out);
                }
            }
        }
        out.flush();
    }

    /** Returns the fields of one answer, in {@link #FIELDS} order. */
    Map<String, Object> fields(Outcome o) {
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
        m.put("data_as_of", r == null ? null : Timestamps.iso(r.dataAsOf()));
        m.put("source", o.source());
        m.put("provider", o.provider());
        m.put("fetched_at", Timestamps.iso(o.fetchedAt()));
        m.put("expires_at", Timestamps.iso(o.expiresAt()));
        m.put("stale", o.stale());
        m.put("policy", policy.verdict(o));
        return m;
    }

    private void printCsv(List<Outcome> outcomes, PrintWriter out) {
        List<Map<String, Object>> rows = new ArrayList<>(outcomes.size());
        outcomes.forEach(o -> rows.add(fields(o)));
        CsvOutput.print(FIELDS, rows, out);
    }

    private void printCard(Outcome o, PrintWriter out) {
        TextTable t = new TextTable("RUC", o.ruc().isEmpty() ? "(" + o.input() + ")" : o.ruc());
        t.add("status", o.status() + (o.reason() == null ? "" : " " + o.reason()));
        if (o.detail() != null) {
            t.add("detail", o.detail());
        }
        TaxpayerRecord r = o.record();
        if (r != null) {
            t.add("razon_social", r.razonSocial());
            t.add("estado", r.estado());
            t.add("condicion", r.condicion());
            t.add("direccion", r.direccion());
            t.add("ubigeo", place(r));
            if (r.dataAsOf() != null) {
                t.add("data_as_of", Timestamps.iso(r.dataAsOf()));
            }
        }
        String verdict = policy.verdict(o);
        if (!verdict.isEmpty()) {
            t.add("policy", verdict);
        }
        t.add("source", source(o));
        if (o.fetchedAt() != null) {
            t.add("fetched_at", Timestamps.iso(o.fetchedAt()));
        }
        if (o.expiresAt() != null) {
            t.add("expires_at", Timestamps.iso(o.expiresAt()));
        }
        t.print(out);
    }

    private void printTable(List<Outcome> outcomes, PrintWriter out) {
        boolean withPolicy = !policy.isEmpty();
        TextTable t = withPolicy
                ? new TextTable("RUC", "STATUS", "REASON", "ESTADO", "CONDICION", "SOURCE", "POLICY", "NAME / DETAIL")
                : new TextTable("RUC", "STATUS", "REASON", "ESTADO", "CONDICION", "SOURCE", "NAME / DETAIL");
        for (Outcome o : outcomes) {
            TaxpayerRecord r = o.record();
            String ruc = o.ruc().isEmpty() ? "(" + o.input() + ")" : o.ruc();
            String reason = o.reason() == null ? "" : o.reason().name();
            String estado = r == null ? "" : dash(r.estado());
            String condicion = r == null ? "" : dash(r.condicion());
            String name = o.status() == Status.VALID ? r.razonSocial() : o.detail();
            if (withPolicy) {
                t.add(ruc, o.status(), reason, estado, condicion, source(o), policy.verdict(o), name);
            } else {
                t.add(ruc, o.status(), reason, estado, condicion, source(o), name);
            }
        }
        t.print(out);
    }

    private static String source(Outcome o) {
        String s = o.source();
        if (Outcome.SOURCE_CACHE.equals(s) && o.provider() != null) {
            s += " (" + o.provider() + ")";
        }
        return o.stale() ? s + " STALE" : s;
    }

    private static String place(TaxpayerRecord r) {
        List<String> parts = new ArrayList<>(3);
        for (String p : new String[] {r.departamento(), r.provincia(), r.distrito()}) {
            if (p != null) {
                parts.add(p);
            }
        }
        String ubigeo = dash(r.ubigeo());
        return parts.isEmpty() ? ubigeo : ubigeo + " (" + String.join(" / ", parts) + ")";
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
