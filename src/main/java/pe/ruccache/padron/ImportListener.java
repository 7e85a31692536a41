package pe.ruccache.padron;

/** Told how an import progresses, for a progress bar and a verbose log; called on the importing thread. */
public interface ImportListener {

    /** A listener that ignores everything. */
    ImportListener NONE = new ImportListener() {
    };

    /** The header checked out; {@code totalBytes} of text (uncompressed) are to be read, -1 when unknown. */
    default void started(long totalBytes) {
    }

    /** {@code bytes} of text have been read and {@code rows} taxpayers kept so far. */
    default void progressed(long bytes, long rows) {
    }

    /** Line {@code line} was skipped, for the reason given. */
    default void malformed(long line, Malformation kind) {
    }

    /** Every line is read; the snapshot is being committed, synced and put in place. */
    default void finishing() {
    }
}
