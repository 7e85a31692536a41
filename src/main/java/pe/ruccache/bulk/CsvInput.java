package pe.ruccache.bulk;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Locale;
import pe.ruccache.core.InputException;

/**
 * An input opened for bulk reading: its format sniffed from the first bytes, then its records streamed one at a
 * time, blank lines skipped. Closing it closes the stream.
 */
public final class CsvInput implements AutoCloseable {

    private final String name;
    private final InputFormat format;
    private final CountingStream counted;
    private final FallbackDecodingReader decoder;
    private final CsvRecordReader records;
    private final long size;
    private long blankLines;

    private CsvInput(String name, InputFormat format, CountingStream counted, FallbackDecodingReader decoder,
            long size) {
        this.name = name;
        this.format = format;
        this.counted = counted;
        this.decoder = decoder;
        this.records = new CsvRecordReader(decoder,
                format.singleColumn() ? CsvRecordReader.NO_DELIMITER : format.delimiter());
        this.size = size;
    }

    /**
     * Opens {@code in} for reading, sniffing what the user did not give.
     *
     * @param in the bytes; closed by {@link #close()}
     * @param name how messages name the input: a file name or {@code standard input}
     * @param size the input's size in bytes when known (for progress), else -1
     * @param charset the user's {@code --encoding}, or null to sniff
     * @param delimiter the user's {@code --delimiter}, or null to sniff
     * @throws InputException when the input is not text or is empty
     */
    public static CsvInput open(InputStream in, String name, long size, Charset charset, Character delimiter) {
        CountingStream counted = new CountingStream(in);
        BufferedInputStream buffered = new BufferedInputStream(counted, InputSniffer.SAMPLE_BYTES * 2);
        try {
            buffered.mark(InputSniffer.SAMPLE_BYTES + 1);
            byte[] sample = buffered.readNBytes(InputSniffer.SAMPLE_BYTES);
            buffered.reset();
            if (sample.length == 0) {
                throw new InputException(name + " is empty: no rows to check");
            }
            InputFormat format = InputSniffer.sniff(sample, sample.length, name, charset, delimiter);
            if (format.bom()) {
                buffered.skipNBytes(bomLength(sample));
            }
            FallbackDecodingReader decoder = new FallbackDecodingReader(buffered, format.charset(),
                    format.fallback());
            return new CsvInput(name, format, counted, decoder, size);
        } catch (IOException e) {
            throw new InputException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static int bomLength(byte[] sample) {
        return (sample[0] & 0xFF) == 0xEF ? 3 : 2;
    }

    /** Returns how the input is read. */
    public InputFormat format() {
        return format;
    }

    /** Returns how messages name the input. */
    public String name() {
        return name;
    }

    /**
     * Returns the next record that is not blank, or null at the end of the input. Lines with nothing but white
     * space (or nothing but delimiters) are skipped and counted.
     *
     * @throws InputException when the input cannot be read or a record is malformed beyond recovery
     */
    public String[] next() {
        try {
            while (true) {
                String[] record = records.next();
                if (record == null) {
                    return null;
                }
                if (!isBlank(record)) {
                    return record;
                }
                blankLines++;
            }
        } catch (IOException e) {
            throw new InputException(String.format(Locale.ROOT, "cannot read %s at line %d: %s", name,
                    records.recordLine(), e.getMessage()), e);
        }
    }

    private static boolean isBlank(String[] record) {
        for (String cell : record) {
            if (!cell.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** Returns the physical line (1-based) on which the last record returned started. */
    public long line() {
        return records.recordLine();
    }

    /** Returns the line terminator the input uses, {@code \n} when it has none. */
    public String lineTerminator() {
        String t = records.firstTerminator();
        return t == null ? "\n" : t;
    }

    /** Returns how many blank lines were skipped. */
    public long blankLines() {
        return blankLines;
    }

    /** Returns how many bytes have been read so far (ahead of the records returned, by the buffers). */
    public long bytesRead() {
        return counted.count;
    }

    /** Returns the input's size in bytes, or -1 when unknown. */
    public long size() {
        return size;
    }

    /** Returns how many bytes could not be decoded with the input's charset and were read with the fallback. */
    public long fallbackBytes() {
        return decoder.fallbackBytes();
    }

    /** Returns the byte offset of the first byte read with the fallback, or -1. */
    public long firstFallbackOffset() {
        return decoder.firstFallbackOffset();
    }

    @Override
    public void close() {
        try {
            decoder.close();
        } catch (IOException e) {
            // Reading is over; a failure to release the file changes nothing for the user.
        }
    }

    /** Counts the bytes read through it, for progress. */
    private static final class CountingStream extends FilterInputStream {
        private volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
