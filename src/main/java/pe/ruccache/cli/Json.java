package pe.ruccache.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The command line's one ObjectMapper, created on first use so that table output never loads Jackson. */
final class Json {

    private Json() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** Returns the shared mapper, for streaming writers. */
    static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /** Returns {@code value} as compact JSON. */
    static String compact(Object value) {
        try {
            return Holder.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Returns {@code value} as indented JSON. */
    static String pretty(Object value) {
        try {
            return Holder.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
