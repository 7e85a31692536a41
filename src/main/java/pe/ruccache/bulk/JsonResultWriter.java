package pe.ruccache.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import pe.ruccache.core.Outcome;

/**
 * Writes results as JSON objects, one per row: the input's columns under their header names (or {@code column_N}),
 * then the result fields. As JSON lines (one object per line) or as one array with one object per line.
 */
final class JsonResultWriter extends ResultWriter {

    private final Writer out;
    private final JsonGenerator json;
    private final boolean array;
    private final String[] results = new String[RESULT_COLUMNS.size()];
    private String[] keys;
    private boolean wrote;

    JsonResultWriter(Writer out, ObjectMapper mapper, boolean array) throws IOException {
        this.out = out;
        this.array = array;
        this.json = mapper.getFactory().createGenerator(out);
        // The stream is the command's: finishing the output must not close it.
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setPrettyPrinter(new OneObjectPerLine(array));
    }

    @Override
    public void start(List<String> inputColumns) throws IOException {
        keys = keys(inputColumns);
        if (array) {
            json.writeStartArray();
        }
    }

    /**
     * Returns unique keys for the input's columns: the header name, {@code column_N} for a blank one, and
     * {@code NAME_N} (N its position) for a name used twice or taken by a result field.
     */
    static String[] keys(List<String> names) {
        Set<String> taken = new HashSet<>(RESULT_COLUMNS);
        String[] keys = new String[names.size()];
        for (int i = 0; i < keys.length; i++) {
            String name = names.get(i) == null ? "" : names.get(i).strip();
            String key = name.isEmpty() ? String.format(Locale.ROOT, "column_%d", i + 1) : name;
            if (!taken.add(key)) {
                key = String.format(Locale.ROOT, "%s_%d", key, i + 1);
                taken.add(key);
            }
            keys[i] = key;
        }
        return keys;
    }

    @Override
    public void write(String[] cells, Outcome outcome, String policy) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < keys.length; i++) {
            json.writeStringField(keys[i], i < cells.length ? cells[i] : "");
        }
        results(outcome, policy, results);
        for (int i = 0; i < results.length; i++) {
            json.writeFieldName(RESULT_COLUMNS.get(i));
            if (results[i] == null) {
                json.writeNull();
            } else {
                json.writeString(results[i]);
            }
        }
        json.writeEndObject();
        wrote = true;
    }

    @Override
    public void finish() throws IOException {
        if (array) {
            json.writeEndArray();
        }
        if (array || wrote) {
            // JSON lines end with a line end; no rows are no lines at all.
            json.writeRaw('\n');
        }
        json.flush();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }

    /** Puts each row's object on a line of its own, in an array or as JSON lines. */
    private static final class OneObjectPerLine extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;
        private final boolean array;

        OneObjectPerLine(boolean array) {
            super(array ? "" : "\n");
            this.array = array;
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw("[\n");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            g.writeRaw(nrOfValues == 0 || !array ? "]" : "\n]");
        }
    }
}
