package pe.ruccache.padron;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import pe.ruccache.cache.sqlite.PrivateFile;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.StoreException;

/**
 * Keeps two imports or updates of one snapshot from running at once (two cron lines, or cron and a person): they
 * would share the scratch file and the download. Readers need no lock: they never see a file being built. The lock
 * is the operating system's, so it dies with its process; the lock file itself stays, empty.
 */
final class PadronLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private PadronLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code snapshot} (absolute) at once, or throws StoreException saying who holds it. */
    static PadronLock acquire(Path snapshot) {
        Path file = snapshot.resolveSibling(snapshot.getFileName() + ".lock");
        PrivateFile.createFolder(file.getParent(), SnapshotSchema.ROLE);
        PrivateFile.createFile(file, SnapshotSchema.ROLE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(snapshot, file, null);
            }
            return new PadronLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw busy(snapshot, file, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + file + " to update the padrón snapshot: "
                    + IoMessages.reason(e), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static StoreException busy(Path snapshot, Path file, Throwable cause) {
        return new StoreException("another ruc-cache is importing the padrón into " + snapshot + " (it holds the "
                + "lock on " + file + "); try again when it has finished", cause);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // The operating system releases the lock with the process anyway.
        }
    }
}
