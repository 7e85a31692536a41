package pe.ruccache.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Says what an I/O failure was in the words a user reads after "cannot read FILE: ": the system's reason on one
 * line, without the exception's class name and without repeating the path the sentence already names.
 */
public final class IoMessages {

    private IoMessages() {
    }

    /** Returns what the file system said about {@code e}, on one line, e.g. {@code No space left on device}. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        // A FileSystemException's message is "path: reason"; the reason alone reads right after the path.
        String text = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        if (text == null || text.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return text.replaceAll("\\s+", " ").strip();
    }
}
