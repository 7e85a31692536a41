package pe.ruccache.bulk;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import pe.ruccache.core.OutputException;

/**
 * An output file that appears under its name only when complete: rows go to a hidden temporary file in the same
 * folder, which {@link #commit()} renames into place in one step. A run that fails or is stopped discards it; a
 * run killed outright leaves only the hidden {@code .NAME.*.part} file, never half a file under the final name.
 */
public final class AtomicOutputFile implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Writer writer;
    private boolean committed;
    private boolean closed;

    private AtomicOutputFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                StandardCharsets.UTF_8), 1 << 16);
    }

    /** Creates the temporary file beside {@code target}; throws OutputException when the folder is not writable. */
    public static AtomicOutputFile create(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        try {
            if (Files.isDirectory(absolute)) {
                throw new OutputException("cannot write the output to " + target + ": it is a folder", null);
            }
            // Created 0600 by createTempFile: the rows are customers' business data.
            Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new AtomicOutputFile(absolute, temp, channel);
        } catch (NoSuchFileException e) {
            throw new OutputException("cannot write the output to " + target + ": the folder " + dir
                    + " does not exist", e);
        } catch (IOException e) {
            throw new OutputException("cannot write the output to " + target + ": " + describe(e), e);
        }
    }

    /** Returns the writer rows go to (UTF-8, buffered). */
    public Writer writer() {
        return writer;
    }

    /** Returns the final file. */
    public Path target() {
        return target;
    }

    /**
     * Flushes the rows to disk and renames the temporary file to the target, replacing it (and keeping its
     * permissions when it existed).
     */
    public void commit() {
        try {
            writer.flush();
            channel.force(true);
            channel.close();
            closed = true;
            copyPermissions();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            discard();
            throw new OutputException("cannot write the output to " + target + ": " + describe(e), e);
        }
    }

    private void copyPermissions() {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (view != null && Files.exists(target)) {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // The new file keeps its private mode: safe, if stricter than the one it replaces.
        }
    }

    /** Deletes the temporary file unless it was committed; never throws. */
    public void discard() {
        if (committed) {
            return;
        }
        try {
            if (!closed) {
                closed = true;
                channel.close();
            }
        } catch (IOException ignored) {
            // Deleting below is what matters.
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // A stray hidden .part file is harmless and named after the output.
        }
    }

    /** Discards the file unless committed. */
    @Override
    public void close() {
        discard();
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "AccessDeniedException" -> "permission denied";
            case "FileSystemException" -> e.getMessage();
            default -> e.getMessage() == null ? kind : e.getMessage();
        };
    }
}
