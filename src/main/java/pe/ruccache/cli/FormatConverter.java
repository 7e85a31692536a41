package pe.ruccache.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Accepts only format names for {@code --format}, so that a forgotten value ({@code --format 20100038146}) is
 * reported as a bad format instead of a missing RUC; each command then checks the formats it supports.
 */
final class FormatConverter implements ITypeConverter<String> {

    /** Every format some command prints. */
    static final List<String> FORMATS = List.of("table", "json", "jsonl", "csv", "prometheus");

    /** Which formats each command prints, as a usage error says it. */
    static final String BY_COMMAND = "lookup and invalid list: table, json, jsonl, csv; bulk: csv, jsonl, json; "
            + "stats: table, json, prometheus; the others: table, json";

    @Override
    public String convert(String value) {
        String f = value.strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw new TypeConversionException("'" + value + "' is not a format; " + BY_COMMAND);
        }
        return f;
    }
}
