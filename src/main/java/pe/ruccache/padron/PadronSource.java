package pe.ruccache.padron;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import pe.ruccache.core.InputException;
import pe.ruccache.core.IoMessages;

/**
 * The text of a padrón file, streamed: the {@code padron_reducido_ruc.txt} inside SUNAT's zip, or a text file
 * itself. What the file is comes from its first bytes, not its name, so a zip saved under another name works, and a
 * web page saved as {@code .zip} is refused with a message that says what it is. A zip's text is checked against
 * its recorded size and CRC when it has been read, so a damaged or cut download is never taken as complete.
 */
abstract class PadronSource implements AutoCloseable {

    private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};

    /** How messages name the file. */
    final String name;

    private PadronSource(String name) {
        this.name = name;
    }

    /** Opens {@code file}; throws InputException, in words a user can act on, when it cannot be a padrón file. */
    static PadronSource open(Path file) {
        String name = file.toString();
        byte[] magic = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(magic, 0, 4);
        } catch (NoSuchFileException e) {
            throw new InputException(name + " does not exist");
        } catch (AccessDeniedException e) {
            throw new InputException("cannot read " + name + ": permission denied");
        } catch (IOException e) {
            throw new InputException("cannot read " + name + ": " + IoMessages.reason(e), e);
        }
        if (n == 0) {
            throw new InputException(name + " is empty");
        }
        if (n == 4 && java.util.Arrays.equals(magic, ZIP_EMPTY)) {
            throw new InputException(name + " is an empty zip file; it holds no " + PadronFormat.ENTRY_NAME);
        }
        if (n == 4 && java.util.Arrays.equals(magic, ZIP_LOCAL_HEADER)) {
            return new Zipped(file, name);
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw new InputException(name + " is not a zip file: it starts with '" + PadronFormat.preview(
                    new String(magic, 0, n, StandardCharsets.ISO_8859_1)) + "'" + (magic[0] == '<'
                            ? " (a web page: the download served an error page instead of the padrón)" : ""));
        }
        return new Text(file, name);
    }

    /** Returns the text, to be read once. */
    abstract InputStream text();

    /** Returns how many bytes of text there are, or -1 when unknown. */
    abstract long textBytes();

    /** Throws InputException when the text read is not the whole, undamaged text; call after reading to the end. */
    abstract void verifyComplete(long bytesRead);

    /** Returns the message for a read that failed at {@code line}: the file is damaged. */
    abstract InputException damaged(IOException e, long line);

    @Override
    public abstract void close();

    /** A plain text file. */
    private static final class Text extends PadronSource {
        private final InputStream in;
        private final long size;

        Text(Path file, String name) {
            super(name);
            try {
                this.size = Files.size(file);
                this.in = Files.newInputStream(file);
            } catch (IOException e) {
                throw new InputException("cannot read " + name + ": " + IoMessages.reason(e), e);
            }
        }

        @Override
        InputStream text() {
            return in;
        }

        @Override
        long textBytes() {
            return size;
        }

        @Override
        void verifyComplete(long bytesRead) {
            // A text file carries no length or checksum; the caller's sanity checks are all there is.
        }

        @Override
        InputException damaged(IOException e, long line) {
            return new InputException("cannot read " + name + " after line " + line + ": " + IoMessages.reason(e), e);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // Read-only: nothing to lose.
            }
        }
    }

    /** SUNAT's zip: the text is the one entry named {@code padron_reducido_ruc.txt}. */
    private static final class Zipped extends PadronSource {
        private final ZipFile zip;
        private final ZipEntry entry;
        private final CheckedInputStream in;

        Zipped(Path file, String name) {
            super(name);
            try {
                this.zip = new ZipFile(file.toFile());
            } catch (ZipException e) {
                throw new InputException(name + " is not a complete zip file (" + e.getMessage() + "); a download "
                        + "cut short looks like this: download it again", e);
            } catch (IOException e) {
                throw new InputException("cannot read " + name + ": " + IoMessages.reason(e), e);
            }
            try {
                this.entry = findEntry(zip, name);
                this.in = new CheckedInputStream(zip.getInputStream(entry), new CRC32());
            } catch (IOException e) {
                closeQuietly(zip);
                throw new InputException("cannot read " + name + ": " + IoMessages.reason(e), e);
            } catch (RuntimeException e) {
                closeQuietly(zip);
                throw e;
            }
        }

        private static ZipEntry findEntry(ZipFile zip, String name) {
            List<ZipEntry> texts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String entryName = e.getName();
                String base = entryName.substring(entryName.lastIndexOf('/') + 1);
                if (base.equalsIgnoreCase(PadronFormat.ENTRY_NAME)) {
                    return e;
                }
                names.add(entryName);
                if (base.toLowerCase(Locale.ROOT).endsWith(".txt")) {
                    texts.add(e);
                }
            }
            // SUNAT has named the file the same for years; a single text under another name is still its text.
            if (texts.size() == 1) {
                return texts.get(0);
            }
            throw new InputException(name + " holds no " + PadronFormat.ENTRY_NAME + (names.isEmpty() ? ""
                    : " (it holds: " + String.join(", ", names.subList(0, Math.min(5, names.size())))
                            + (names.size() > 5 ? ", ..." : "") + ")"));
        }

        @Override
        InputStream text() {
            return in;
        }

        @Override
        long textBytes() {
            return entry.getSize();
        }

        @Override
        void verifyComplete(long bytesRead) {
            if (entry.getSize() >= 0 && bytesRead != entry.getSize()) {
                throw new InputException(String.format(Locale.ROOT, "%s is damaged: %s should hold %d bytes but "
                        + "%d were read; download it again", name, entry.getName(), entry.getSize(), bytesRead));
            }
            if (entry.getCrc() >= 0 && in.getChecksum().getValue() != entry.getCrc()) {
                throw new InputException(name + " is damaged: the checksum (CRC) of " + entry.getName()
                        + " does not match; download it again");
            }
        }

        @Override
        InputException damaged(IOException e, long line) {
            return new InputException(name + " is damaged: reading " + entry.getName() + " failed after line " + line
                    + " (" + IoMessages.reason(e) + "); download it again", e);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // Read-only: nothing to lose.
            }
            closeQuietly(zip);
        }

        private static void closeQuietly(ZipFile zip) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // Read-only: nothing to lose.
            }
        }
    }
}
