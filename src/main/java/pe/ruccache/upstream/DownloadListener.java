package pe.ruccache.upstream;

/** Told how a download progresses, for a progress bar; called on the downloading thread. */
public interface DownloadListener {

    /** A listener that ignores everything. */
    DownloadListener NONE = new DownloadListener() {
    };

    /** The transfer starts at byte {@code offset} of a file of {@code total} bytes (-1 when the server did not say). */
    default void started(long offset, long total) {
    }

    /** The file now has {@code bytes} bytes on disk. */
    default void transferred(long bytes) {
    }

    /** The download starts again from zero, for the reason given (one line), or resumes after a dropped connection. */
    default void note(String message) {
    }
}
