package pe.ruccache.cache.sqlite;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import pe.ruccache.core.StoreException;

/**
 * Creates the cache file and its folder readable by their owner only, before SQLite opens the file, because they
 * hold customers' business data; leaves the permissions of existing files and folders alone.
 */
final class PrivateFile {

    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private PrivateFile() {
    }

    /**
     * Makes sure {@code file} (absolute) exists as a readable and writable regular file in a writable folder,
     * creating the folder (0700) and the file (0600) when missing; throws StoreException saying what to fix otherwise.
     */
    static void prepare(Path file) {
        Path folder = file.getParent();
        if (!Files.isDirectory(folder)) {
            createFolder(folder, isPosix(folder));
        }
        if (Files.isDirectory(file)) {
            throw new StoreException("the cache file " + file + " is a folder; choose a file name for the cache");
        }
        if (Files.notExists(file)) {
            createFile(file, isPosix(folder));
        }
        if (!Files.isReadable(file)) {
            throw new StoreException("cannot read the cache file " + file + ": permission denied; "
                    + "make it readable and writable by you (chmod 600 " + file + ")");
        }
        if (!Files.isWritable(file)) {
            throw new StoreException("the cache file " + file + " is read-only; "
                    + "make it writable by you (chmod u+w " + file + ") or use another cache file");
        }
        // SQLite creates cache.db-wal and cache.db-shm next to the file, so the folder must be writable too.
        if (!Files.isWritable(folder)) {
            throw new StoreException("the cache folder " + folder + " is not writable; SQLite needs to create its "
                    + "journal files there: make it writable by you (chmod u+w " + folder + ")");
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void createFolder(Path folder, boolean posix) {
        try {
            if (posix) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            } else {
                Files.createDirectories(folder);
            }
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("cannot create the cache folder " + folder + ": " + e.getFile()
                    + " exists and is not a folder", e);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the cache folder " + folder + ": permission denied on "
                    + e.getFile() + "; create it yourself or use another cache file", e);
        } catch (IOException e) {
            throw new StoreException("cannot create the cache folder " + folder + ": " + reason(e), e);
        }
    }

    private static void createFile(Path file, boolean posix) {
        try {
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                    : new FileAttribute<?>[0];
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            // Another process created it between our check and now; it created it privately too.
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the cache file " + file + ": the folder " + file.getParent()
                    + " is not writable; make it writable by you or use another cache file", e);
        } catch (IOException e) {
            throw new StoreException("cannot create the cache file " + file + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason.replace('\n', ' ');
    }
}
