package pe.ruccache.bulk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;

/** What a bulk run did: counts by row and by RUC, for the summary and the exit code. Filled by one thread. */
public final class BulkReport {

    private long rows;
    private long valid;
    private long invalid;
    private long errors;
    private long policyFailures;
    private long cacheHits;
    private long asked;
    private long distinct;
    private long stale;
    private long upstreamCalls;
    private long blankLines;
    private long shortRows;
    private long longRows;
    private long firstLongRowLine;
    private long fallbackBytes;
    private long firstFallbackOffset = -1;
    private boolean headerOnly;
    private Duration elapsed = Duration.ZERO;
    private String aborted;
    private InputFormat format;
    private Layout layout;
    private final Map<Reason, Long> invalidByReason = new EnumMap<>(Reason.class);
    private final Map<Reason, Long> errorsByReason = new EnumMap<>(Reason.class);

    /** Counts one output row and its answer; {@code meetsPolicy} is whether a VALID answer meets the policy. */
    void countRow(Outcome o, boolean meetsPolicy) {
        rows++;
        if (o.status() == Status.VALID) {
            valid++;
            if (!meetsPolicy) {
                policyFailures++;
            }
        } else if (o.status() == Status.INVALID) {
            invalid++;
            invalidByReason.merge(o.reason(), 1L, Long::sum);
        } else {
            errors++;
            errorsByReason.merge(o.reason(), 1L, Long::sum);
        }
    }

    void countCacheHit() {
        cacheHits++;
    }

    void countAsked() {
        asked++;
    }

    void countDistinct() {
        distinct++;
    }

    void countStale() {
        stale++;
    }

    void countShortRow() {
        shortRows++;
    }

    void countLongRow(long line) {
        if (longRows++ == 0) {
            firstLongRowLine = line;
        }
    }

    void finish(Duration took, long calls, CsvInput input, boolean onlyHeader) {
        elapsed = took;
        upstreamCalls = calls;
        if (input != null) {
            blankLines = input.blankLines();
            fallbackBytes = input.fallbackBytes();
            firstFallbackOffset = input.firstFallbackOffset();
        }
        headerOnly = onlyHeader;
    }

    void abort(String why) {
        aborted = why;
    }

    void describe(InputFormat inputFormat, Layout inputLayout) {
        format = inputFormat;
        layout = inputLayout;
    }

    /** Returns the rows written. */
    public long rows() {
        return rows;
    }

    /** Returns the rows answered VALID. */
    public long valid() {
        return valid;
    }

    /** Returns the rows answered INVALID. */
    public long invalid() {
        return invalid;
    }

    /** Returns the rows answered ERROR. */
    public long errors() {
        return errors;
    }

    /** Returns the VALID rows that fail the {@code --require-*} policy. */
    public long policyFailures() {
        return policyFailures;
    }

    /** Returns the rows answered from the cache (the store, or an answer given earlier in the run). */
    public long cacheHits() {
        return cacheHits;
    }

    /**
     * Returns the distinct RUCs of the rows written that a provider was asked about in this run (an ERROR after the
     * providers failed counts; no provider, {@code --offline} and answers from the cache do not).
     */
    public long asked() {
        return asked;
    }

    /** Returns the distinct well-formed RUCs of the rows written. */
    public long distinct() {
        return distinct;
    }

    /** Returns the upstream HTTP requests made, retries included. */
    public long upstreamCalls() {
        return upstreamCalls;
    }

    /** Returns the rows that needed no provider call of their own: every row but the first of each RUC asked. */
    public long callsSaved() {
        return Math.max(0, rows - asked);
    }

    /** Returns the invalid rows by reason. */
    public Map<Reason, Long> invalidByReason() {
        return Map.copyOf(invalidByReason);
    }

    /** Returns the ERROR rows by reason. */
    public Map<Reason, Long> errorsByReason() {
        return Map.copyOf(errorsByReason);
    }

    /** Returns why the run stopped early, or null when it read its whole input. */
    public String aborted() {
        return aborted;
    }

    /** Returns whether the run stopped before the end of its input. */
    public boolean isAborted() {
        return aborted != null;
    }

    /** Returns how long the run took. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Returns how the input was read, or null when the run failed before knowing. */
    public InputFormat format() {
        return format;
    }

    /** Returns the input's layout, or null when the run failed before knowing. */
    public Layout layout() {
        return layout;
    }

    /** Returns the warnings about the input a user should see: ragged rows, encoding fallbacks, no rows. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        if (headerOnly) {
            out.add("the input has a header but no rows");
        }
        if (longRows > 0) {
            out.add(String.format(Locale.ROOT, "%d row%s had more fields than the header (first at line %d); the "
                    + "extra fields were kept, joined with the delimiter, in the last column", longRows,
                    longRows == 1 ? "" : "s", firstLongRowLine));
        }
        if (fallbackBytes > 0) {
            out.add(String.format(Locale.ROOT, "%d byte%s of the input (first at byte %d) were not valid %s and "
                    + "were read as %s; give --encoding if that is wrong", fallbackBytes,
                    fallbackBytes == 1 ? "" : "s", firstFallbackOffset, format == null ? "text" : format.charset(),
                    format == null || format.fallback() == null ? "U+FFFD (unreadable)" : format.fallback()));
        }
        return out;
    }

    /** Returns the one-paragraph summary printed on stderr at the end of a run. */
    public String summary() {
        StringBuilder s = new StringBuilder(256);
        s.append(String.format(Locale.ROOT, "bulk: %d row%s, %d distinct RUC%s: %d valid", rows, rows == 1 ? "" : "s",
                distinct, distinct == 1 ? "" : "s", valid));
        if (policyFailures > 0) {
            s.append(String.format(Locale.ROOT, " (%d failing --require-*)", policyFailures));
        }
        s.append(String.format(Locale.ROOT, ", %d invalid", invalid)).append(byReason(invalidByReason));
        s.append(String.format(Locale.ROOT, ", %d error%s", errors, errors == 1 ? "" : "s"))
                .append(byReason(errorsByReason));
        s.append(String.format(Locale.ROOT, "; cache hits %d, upstream calls %d (%d RUC%s asked), calls saved %d",
                cacheHits, upstreamCalls, asked, asked == 1 ? "" : "s", callsSaved()));
        if (stale > 0) {
            s.append(String.format(Locale.ROOT, ", %d stale answer%s served", stale, stale == 1 ? "" : "s"));
        }
        double seconds = elapsed.toNanos() / 1e9;
        s.append(String.format(Locale.ROOT, "; %.1f s, %d rows/s", seconds,
                seconds > 0 ? Math.round(rows / seconds) : rows));
        if (blankLines > 0) {
            s.append(String.format(Locale.ROOT, "; %d blank line%s skipped", blankLines, blankLines == 1 ? "" : "s"));
        }
        if (shortRows > 0) {
            s.append(String.format(Locale.ROOT, "; %d short row%s padded", shortRows, shortRows == 1 ? "" : "s"));
        }
        return s.append('.').toString();
    }

    private static String byReason(Map<Reason, Long> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (");
        counts.forEach((reason, n) -> s.append(s.length() > 2 ? ", " : "").append(reason).append(' ').append(n));
        return s.append(')').toString();
    }
}
