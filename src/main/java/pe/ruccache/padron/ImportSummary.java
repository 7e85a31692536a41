package pe.ruccache.padron;

import java.time.Duration;

/**
 * What an import did.
 *
 * @param info the new snapshot's facts
 * @param elapsed how long the import took, reading and writing included
 * @param textBytes how many bytes of text (uncompressed) were read
 * @param previousRows how many taxpayers the replaced snapshot held, or -1 when there was none
 */
public record ImportSummary(SnapshotInfo info, Duration elapsed, long textBytes, long previousRows) {

    /** Returns the rows kept per second of the import. */
    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : info.rows() / seconds;
    }
}
