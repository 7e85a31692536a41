package pe.ruccache.padron;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the padrón snapshot lives, where it is downloaded from, and when it counts as old.
 *
 * @param snapshot the SQLite file holding the snapshot (default {@code $RUC_CACHE_HOME/padron.db})
 * @param url where {@code padron update} downloads the file from (default SUNAT's)
 * @param maxAge a snapshot whose data is older than this is a {@code health} warning
 */
public record PadronSettings(Path snapshot, URI url, Duration maxAge) {

    /** SUNAT's published file. */
    public static final URI SUNAT_URL = URI.create("http://www2.sunat.gob.pe/padron_reducido_ruc.zip");
    /**
     * The default age limit: SUNAT publishes every day, so a nightly update keeps the snapshot a day old; three days
     * tolerates a long weekend of failed downloads and still warns before taxpayers registered since are missed for
     * long (a RUC absent from the snapshot is answered NOT_FOUND).
     */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(3);
    /** The snapshot's file name in {@code RUC_CACHE_HOME}. */
    public static final String DEFAULT_FILE_NAME = "padron.db";

    /** Checks that every part is present and the age limit positive. */
    public PadronSettings {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("the padrón's maximum age must be positive");
        }
    }

    /** Returns the defaults for a cache folder {@code home}. */
    public static PadronSettings defaults(Path home) {
        return new PadronSettings(home.resolve(DEFAULT_FILE_NAME), SUNAT_URL, DEFAULT_MAX_AGE);
    }
}
