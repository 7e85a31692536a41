package pe.ruccache.cache.sqlite;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import pe.ruccache.core.IoMessages;
import pe.ruccache.core.MissingStoreException;
import pe.ruccache.core.StoreException;

/**
 * Creates SQLite files and their folder readable by their owner only, before SQLite opens the file, because they
 * hold customers' business data; leaves the permissions of existing files and folders alone.
 */
public final class PrivateFile {

    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private PrivateFile() {
    }

    /**
     * Makes sure {@code file} (absolute) exists as a readable and writable regular file in a writable folder,
     * creating the folder (0700) and the file (0600) when missing; throws StoreException saying what to fix otherwise.
     */
    static void prepare(Path file) {
        prepare(file, true);
    }

    /**
     * Makes sure {@code file} (absolute) exists as a readable and writable regular file in a writable folder; with
     * {@code create}, creates the folder (0700) and the file (0600) when missing, else throws MissingStoreException
     * for a file that does not exist and creates nothing. Throws StoreException saying what to fix otherwise.
     */
    static void prepare(Path file, boolean create) {
        Path folder = file.getParent();
        SqliteFileRole role = SqliteFileRole.CACHE;
        requireFileOrAbsent(file, role);
        if (!create) {
            String missing = missing(file);
            if (missing != null) {
                throw new MissingStoreException(missing);
            }
        }
        createFolder(folder, role);
        if (Files.notExists(file)) {
            createFile(file, role);
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

    /**
     * Throws StoreException when {@code file} (absolute) exists, through any symbolic link, as anything but a regular
     * file: a folder, a device such as {@code /dev/null}, a FIFO or a socket. SQLite would otherwise open a device
     * and create its journal beside it ({@code /dev/null-journal}), and renaming a new file into place would replace
     * the device itself.
     */
    public static void requireFileOrAbsent(Path file, SqliteFileRole role) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return; // Absent (or a dangling link): creating it says what is wrong, if anything.
        }
        if (attributes.isRegularFile()) {
            return;
        }
        String what = attributes.isDirectory() ? "a folder" : "not a regular file but " + kind(file, attributes);
        throw new StoreException("the " + role.file() + " " + file + " is " + what + "; use a file name instead");
    }

    private static String kind(Path file, BasicFileAttributes attributes) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode");
            if (mode instanceof Integer bits) {
                String kind = switch (bits & 0170000) {
                    case 0020000 -> "a character device";
                    case 0060000 -> "a block device";
                    case 0010000 -> "a FIFO (named pipe)";
                    case 0140000 -> "a socket";
                    default -> null;
                };
                if (kind != null) {
                    return kind;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // Fall back to the generic word below.
        }
        return attributes.isOther() ? "a device, FIFO or socket" : "a special file";
    }

    /**
     * Returns the one-line message saying there is no cache at {@code file} (absolute), or null when something is
     * there (a file, something else, or what cannot be told, that {@link #prepare} then judges). A link to nothing
     * is no cache either.
     */
    public static String missing(Path file) {
        if (!Files.notExists(file)) {
            return null;
        }
        Path folder = file.getParent();
        String why = folder != null && !Files.isDirectory(folder) ? " (the folder " + folder + " does not exist)"
                : " (no such file)";
        return "no cache at " + file + why + "; check --store, RUC_CACHE_STORE or RUC_CACHE_HOME "
                + "(a lookup creates the cache)";
    }

    /**
     * Creates {@code folder} (absolute) and its missing parents readable by their owner only (0700) when it does not
     * exist; throws StoreException, naming the folder as {@code role} does, when it cannot.
     */
    public static void createFolder(Path folder, SqliteFileRole role) {
        if (!Files.isDirectory(folder)) {
            createFolder(folder, isPosix(folder), role);
        }
    }

    /**
     * Creates the empty file {@code file} (absolute) readable by its owner only (0600); an existing file is left as it
     * is. Throws StoreException, naming the file as {@code role} does, when it cannot.
     */
    public static void createFile(Path file, SqliteFileRole role) {
        createFile(file, isPosix(file.getParent()), role);
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void createFolder(Path folder, boolean posix, SqliteFileRole role) {
        try {
            if (posix) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER_MODE));
            } else {
                Files.createDirectories(folder);
            }
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("cannot create the " + role.folder() + " " + folder + ": " + e.getFile()
                    + " exists and is not a folder", e);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the " + role.folder() + " " + folder + ": permission denied on "
                    + e.getFile() + "; create it yourself or use another " + role.file(), e);
        } catch (IOException e) {
            throw new StoreException("cannot create the " + role.folder() + " " + folder + ": "
                    + IoMessages.reason(e), e);
        }
    }

    private static void createFile(Path file, boolean posix, SqliteFileRole role) {
        try {
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                    : new FileAttribute<?>[0];
            Files.createFile(file, attributes);
        } catch (FileAlreadyExistsException e) {
            // Another process created it between our check and now; it created it privately too.
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the " + role.file() + " " + file + ": the folder "
                    + file.getParent() + " is not writable; make it writable by you or use another " + role.file(), e);
        } catch (IOException e) {
            throw new StoreException("cannot create the " + role.file() + " " + file + ": " + IoMessages.reason(e), e);
        }
    }
}
