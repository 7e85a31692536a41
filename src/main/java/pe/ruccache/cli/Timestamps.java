package pe.ruccache.cli;

import java.time.Instant;
import pe.ruccache.lookup.OutcomeFields;

/** Formats instants as ISO-8601 UTC to the second, whatever the user's locale or time zone. */
final class Timestamps {

    private Timestamps() {
    }

    /** Returns {@code t} as {@code 2026-11-25T20:31:00Z}, or null for null. */
    static String iso(Instant t) {
        return OutcomeFields.iso(t);
    }
}
