package pe.ruccache.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * Configures java.util.logging, the first time a library uses it, to print nothing: libraries (sqlite-jdbc,
 * Caffeine) would otherwise print multi-line reports on stderr beside the one-line error this tool gives.
 * Named by the {@code java.util.logging.config.class} property, so it costs nothing when no library logs.
 */
public final class QuietLogging {

    /** Turns every logger off; called by the LogManager. */
    public QuietLogging() throws IOException {
        LogManager.getLogManager().readConfiguration(
                new ByteArrayInputStream(".level=OFF\nhandlers=\n".getBytes(StandardCharsets.ISO_8859_1)));
    }
}
