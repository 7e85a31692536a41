package pe.ruccache.bulk;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.OutputException;

/**
 * The file a run writes its rows to ({@code --output}), written as its kind asks:
 *
 * <ul>
 *   <li>a regular file (new or existing) appears under its name only when complete: rows go to a hidden temporary
 *       file in the same folder, which {@link #commit()} renames into place in one step. A run that fails or is
 *       stopped discards it; a run killed outright leaves only the hidden {@code .NAME.*.part} file, never half a
 *       file under the final name. A symbolic link is followed: the file it points to is replaced, the link
 *       kept.</li>
 *   <li>anything else — a character device such as {@code /dev/null}, a FIFO, a socket, or a descriptor alias
 *       such as {@code /dev/stdout} or {@code /proc/self/fd/3} — is written in place, as a shell redirection would:
 *       renaming a file over it would replace the device, leave a FIFO's reader waiting forever, or detach the
 *       caller's descriptor.</li>
 * </ul>
 */
public final class OutputFile implements AutoCloseable {

    /** Symbolic links followed before giving up, as the kernel does (ELOOP). */
    private static final int MAX_LINKS = 40;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Writer writer;
    private boolean committed;
    private boolean closed;

    private OutputFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.writer = new Utf8Writer(Channels.newOutputStream(channel), 1 << 16);
    }

    /**
     * Opens {@code target} for writing as its kind asks (see the class comment); throws OutputException when it is a
     * folder, its folder does not exist or is not writable.
     */
    public static OutputFile create(Path target) {
        return create(target, null);
    }

    /**
     * Opens {@code target} as {@link #create(Path)} does; a new regular file gets {@code newFileMode} (less the
     * umask) instead of 0600, for output others must read, such as metrics for node_exporter.
     */
    public static OutputFile create(Path target, Set<PosixFilePermission> newFileMode) {
        Path absolute = target.toAbsolutePath().normalize();
        try {
            BasicFileAttributes attributes = attributesOrNull(absolute);
            if (attributes != null && attributes.isDirectory()) {
                throw new OutputException("cannot write the output to " + target + ": it is a folder", null);
            }
            if ((attributes != null && !attributes.isRegularFile()) || isDescriptorAlias(absolute)) {
                FileChannel channel = FileChannel.open(absolute, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                return new OutputFile(absolute, null, channel);
            }
            Path file = followLinks(absolute);
            // Created 0600 by createTempFile: the rows are customers' business data.
            Path temp = newFileMode == null
                    ? Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".part")
                    : Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".part",
                            PosixFilePermissions.asFileAttribute(newFileMode));
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new OutputFile(file, temp, channel);
        } catch (NoSuchFileException e) {
            throw new OutputException("cannot write the output to " + target + ": the folder "
                    + folderOf(e, absolute) + " does not exist", e);
        } catch (IOException e) {
            throw new OutputException("cannot write the output to " + target + ": " + IoMessages.reason(e), e);
        }
    }

    /** Returns whether rows go straight to the target (a device, FIFO or descriptor) rather than appear at commit. */
    public boolean isInPlace() {
        return temp == null;
    }

    /** Returns the writer rows go to (UTF-8, buffered). */
    public Writer writer() {
        return writer;
    }

    /** Returns the file written: the target with its symbolic links followed. */
    public Path target() {
        return target;
    }

    /**
     * Flushes the rows and, for a regular file, syncs them to disk and renames the temporary file to the target,
     * replacing it (and keeping its permissions when it existed).
     */
    public void commit() {
        try {
            writer.flush();
            if (temp == null) {
                closed = true;
                channel.close();
                committed = true;
                return;
            }
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
            throw new OutputException("cannot write the output to " + target + ": " + IoMessages.reason(e), e);
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

    /**
     * Deletes the temporary file unless it was committed; an in-place target gets the rows written so far, as a
     * pipe would. Never throws.
     */
    public void discard() {
        if (committed) {
            return;
        }
        try {
            if (!closed) {
                closed = true;
                if (temp == null) {
                    writer.flush();
                }
                channel.close();
            }
        } catch (IOException ignored) {
            // Deleting below is what matters; an in-place reader that went away needs nothing more.
        }
        if (temp == null) {
            return;
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

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Whether {@code path}, or a link on the way to the file it names, is a file descriptor's alias ({@code
     * /dev/stdout}, {@code /dev/fd/N}, {@code /proc/self/fd/N}): even when it ends at a regular file, that file is
     * the caller's redirection, which must be written in place.
     */
    private static boolean isDescriptorAlias(Path path) throws IOException {
        Path current = path;
        for (int i = 0; i <= MAX_LINKS; i++) {
            if (isDescriptorName(current)) {
                return true;
            }
            if (!Files.isSymbolicLink(current)) {
                return false;
            }
            current = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
        }
        return false;
    }

    private static boolean isDescriptorName(Path path) {
        String name = path.toString();
        return name.equals("/dev/stdout") || name.equals("/dev/stderr") || name.equals("/dev/stdin")
                || path.startsWith("/dev/fd")
                || (path.startsWith("/proc") && path.getNameCount() >= 3 && path.getName(2).toString().equals("fd"));
    }

    /** Returns the file {@code path} names once its symbolic links are followed, whether that file exists or not. */
    private static Path followLinks(Path path) throws IOException {
        Path current = path;
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(current); i++) {
            current = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
        }
        if (Files.isSymbolicLink(current)) {
            throw new IOException("too many levels of symbolic links");
        }
        // A link in a parent folder is followed by the file system itself; the rename stays within that folder.
        return current;
    }

    private static Path folderOf(NoSuchFileException e, Path absolute) {
        String file = e.getFile();
        return file == null ? absolute.getParent() : Path.of(file).getParent();
    }
}
