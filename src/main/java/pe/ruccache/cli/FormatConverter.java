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

    @Override
    public String convert(String value) {
        String f = value.strip().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw new TypeConversionException("'" + value + "' is not a format; use one of: "
                    + String.join(", ", FORMATS));
        }
        return f;
    }
}
