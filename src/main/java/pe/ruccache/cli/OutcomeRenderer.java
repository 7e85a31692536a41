package pe.ruccache.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pe.ruccache.bulk.OutputFormat;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Policy;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;
import pe.ruccache.lookup.OutcomeFields;

/**
 * Prints lookup answers as a table for people, or as JSON, JSON lines or CSV with stable field names. Machine
 * formats are written as each answer arrives, so an interrupted run keeps the answers it printed; the table waits
 * for all of them to size its columns.
 */
final class OutcomeRenderer {

    /** The field names of machine output, in order; they never change meaning. */
    static final List<String> FIELDS = OutcomeFields.NAMES;

    private final Policy policy;
    private final OutputFormat format;
    private final PrintWriter out;
    private final List<Outcome> table = new ArrayList<>();
    private int printed;

    OutcomeRenderer(Policy policy, OutputFormat format, PrintWriter out) {
        this.policy = policy;
        this.format = format;
        this.out = out;
    }

    /** Prints one answer now (machine formats) or keeps it for the table. */
    void add(Outcome o) {
        switch (format) {
            case JSON -> {
                out.print(printed == 0 ? "[\n  " : ",\n  ");
                out.print(Json.compact(fields(o)));
            }
            case JSONL -> out.println(Json.compact(fields(o)));
            case CSV -> {
                if (printed == 0) {
                    CsvOutput.printHeader(FIELDS, out);
                }
                CsvOutput.printRow(FIELDS, fields(o), out);
            }
            default -> table.add(o);
        }
        printed++;
        out.flush();
    }

    /** Ends the output: closes the JSON array, prints the table. */
    void finish() {
        switch (format) {
            case JSON -> out.println(printed == 0 ? "[]" : "\n]");
            case JSONL, CSV -> { }
            default -> {
                if (table.size() == 1) {
                    printCard(table.get(0));
                } else if (!table.isEmpty()) {
                    printTable(table);
                }
            }
        }
        out.flush();
    }

    /** Returns the fields of one answer, in {@link #FIELDS} order. */
    Map<String, Object> fields(Outcome o) {
        return OutcomeFields.of(o, policy);
    }

    private void printCard(Outcome o) {
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

    private void printTable(List<Outcome> outcomes) {
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
