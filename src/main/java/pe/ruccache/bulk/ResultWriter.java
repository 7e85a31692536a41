package pe.ruccache.bulk;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.TaxpayerRecord;

/** Writes bulk results, one output row per input row, streaming: as CSV, JSON lines or a JSON array. */
public abstract class ResultWriter implements AutoCloseable {

    /** The result columns that follow the input's own, in order (docs/DESIGN.md §4); their names never change. */

    /**
     * Returns the writer for a run's {@code output}, its header written: CSV in the input's dialect (delimiter, line
     * ending) with a BOM when the input came from Excel (a BOM, or Windows-1252), so that Excel reads it as UTF-8;
     * else JSON lines or a JSON array. The header holds the input's column names, or {@code column_N} without one.
     */
    static ResultWriter open(BulkService.Output output, CsvInput input, Layout layout) throws IOException {
        Writer out = output.out();
        ResultWriter writer;
        switch (output.format()) {
            case CSV -> {
                InputFormat f = input.format();
                if (f.bom() || f.charset().equals(InputSniffer.WINDOWS_1252)) {
                    out.write('\uFEFF');
                }
                writer = new CsvResultWriter(out, f.delimiter(), input.lineTerminator());
            }
            case JSONL -> writer = new JsonResultWriter(out, output.mapper(), false);
            default -> writer = new JsonResultWriter(out, output.mapper(), true);
        }
        List<String> names = new ArrayList<>(layout.width());
        for (int i = 0; i < layout.width(); i++) {
            String name = layout.hasHeader() && i < layout.header().length ? layout.header()[i] : "";
            names.add(!layout.hasHeader() ? String.format(Locale.ROOT, "column_%d", i + 1) : name);
        }
        writer.start(names);
        return writer;
    }
    public static final List<String> RESULT_COLUMNS = List.of("ruc_normalized", "status", "reason", "razon_social",
            "estado", "condicion", "direccion", "ubigeo", "source", "fetched_at", "policy");

    private long lastSecond = Long.MIN_VALUE;
    private String lastText;

    /** Starts the output: the header (or nothing), given the input's column names. */
    public abstract void start(List<String> inputColumns) throws IOException;

    /** Writes one row: the input's cells as they were, then the results of {@code outcome} under {@code policy}. */
    public abstract void write(String[] cells, Outcome outcome, String policy) throws IOException;

    /** Ends the output (closing a JSON array) and flushes it; the underlying stream stays open. */
    public abstract void finish() throws IOException;

    /** Releases what the writer holds without closing the underlying stream. */
    @Override
    public void close() throws IOException {
    }

    /** Returns the result values of one row, in {@link #RESULT_COLUMNS} order, nulls for absent values. */
    final String[] results(Outcome o, String policy, String[] into) {
        TaxpayerRecord r = o.record();
        into[0] = o.ruc();
        into[1] = o.status().name();
        into[2] = o.reason() == null ? null : o.reason().name();
        into[3] = r == null ? null : r.razonSocial();
        into[4] = r == null ? null : r.estado();
        into[5] = r == null ? null : r.condicion();
        into[6] = r == null ? null : r.direccion();
        into[7] = r == null ? null : r.ubigeo();
        into[8] = o.source();
        into[9] = iso(o.fetchedAt());
        into[10] = policy == null || policy.isEmpty() ? null : policy;
        return into;
    }

    /**
     * Returns {@code t} as ISO-8601 UTC to the second; consecutive rows often fall in the same second (answers of one
     * window), so the last one is kept rather than formatted again.
     */
    private String iso(Instant t) {
        if (t == null) {
            return null;
        }
        if (t.getEpochSecond() != lastSecond) {
            lastSecond = t.getEpochSecond();
            lastText = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        }
        return lastText;
    }
}
