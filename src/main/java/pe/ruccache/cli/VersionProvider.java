package pe.ruccache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code -V}: the version, commit and build time that Maven wrote into {@code version.properties} at build time,
 * and the Java running it (version, vendor, VM and where it is installed), which is what a bug report needs.
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = properties();
        return new String[] {"ruc-cache " + p.getProperty("version", "unknown") + " (commit "
                + p.getProperty("commit", "unknown") + ", built " + p.getProperty("built", "unknown") + ")",
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home")};
    }

    /** Returns the version alone, e.g. {@code 0.1.0}; {@code unknown} when the build wrote none. */
    String version() {
        try {
            return properties().getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Properties properties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return p;
    }
}
