package pe.ruccache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class IoMessagesTest {

    @Test
    void reason_accessDenied_saysPermissionDeniedNotThePath() {
        // The JDK puts only the path in an AccessDeniedException; the sentence around it names the file already.
        assertEquals("permission denied", IoMessages.reason(new AccessDeniedException("/srv/padron.txt")));
    }

    @Test
    void reason_noSuchFile_saysNoSuchFile() {
        assertEquals("no such file", IoMessages.reason(new NoSuchFileException("/srv/padron.txt")));
    }

    @Test
    void reason_fileSystemException_givesTheSystemsReasonWithoutThePath() {
        FileSystemException full = new FileSystemException("/srv/cache.db.part", null, "No space left on device");

        assertEquals("No space left on device", IoMessages.reason(full));
    }

    @Test
    void reason_multiLineMessage_isOneLine() {
        assertEquals("Broken pipe (Write failed)", IoMessages.reason(new IOException("Broken pipe\n  (Write failed)")));
    }

    @Test
    void reason_noMessage_namesTheKindOfFailure() {
        assertEquals("IOException", IoMessages.reason(new IOException()));
        assertEquals("IOException", IoMessages.reason(new IOException("  ")));
    }
}
