package pe.ruccache.bulk;

/** Shows a bulk run's progress while it works; the summary comes after, separately. */
public interface Progress extends AutoCloseable {

    /** The progress that shows nothing: for cron, pipes and {@code --quiet}. */
    Progress NONE = new Progress() {
        @Override
        public void update(Snapshot snapshot) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * What a run has done so far.
     *
     * @param rows rows written
     * @param cacheHits rows answered from the cache
     * @param calls upstream requests made
     * @param errors rows answered ERROR
     * @param bytesRead input bytes read
     * @param size the input's size in bytes, or -1 when unknown
     */
    record Snapshot(long rows, long cacheHits, long calls, long errors, long bytesRead, long size) {
    }

    /** Shows {@code snapshot}; called from the thread that runs the bulk work, after each window. */
    void update(Snapshot snapshot);

    /** Removes or completes the display. */
    @Override
    void close();
}
