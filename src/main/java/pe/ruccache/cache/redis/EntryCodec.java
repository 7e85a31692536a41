package pe.ruccache.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/**
 * Writes a {@link CacheEntry} as the compact binary value of its key and reads it back. The RUC and the provider
 * are in the key, so the value holds the rest: a format byte, the status, then length-prefixed UTF-8 texts and
 * variable-length numbers. A typical VALID answer takes 120 to 140 bytes, less than half of what JSON with field
 * names takes, and decoding needs no parser; with keys and Redis's overhead a million answers take about 250 MiB.
 *
 * <p>Layout of format 1: {@code 0x01}, {@code 'V'} or {@code 'I'}, reason, detail, then for VALID only the eight
 * texts of the record (razón social, estado, condición, ubigeo, dirección, departamento, provincia, distrito) and
 * data-as-of; then fetched-at and expires-at. A text is its UTF-8 length plus one as a varint (0 stands for null)
 * followed by its bytes; an instant is epoch milliseconds as a zigzag varint, preceded by a presence byte where it
 * may be null. Enum values are written by name, never by position, so adding a reason cannot shift old values.
 */
final class EntryCodec {

    /** The format written by this version. Bump it for any change an older version could misread. */
    static final byte FORMAT = 1;

    private static final byte VALID = 'V';
    private static final byte INVALID = 'I';

    private EntryCodec() {
    }

    /** Returns the value that stores {@code entry}. */
    static byte[] encode(CacheEntry entry) {
        Writer out = new Writer();
        out.raw(FORMAT);
        out.raw(entry.status() == Status.VALID ? VALID : INVALID);
        out.text(entry.reason() == null ? null : entry.reason().name());
        out.text(entry.detail());
        TaxpayerRecord r = entry.record();
        if (r != null) {
            out.text(r.razonSocial());
            out.text(r.estado());
            out.text(r.condicion());
            out.text(r.ubigeo());
            out.text(r.direccion());
            out.text(r.departamento());
            out.text(r.provincia());
            out.text(r.distrito());
            out.optionalInstant(r.dataAsOf());
        }
        out.varlong(millis(entry.fetchedAt()));
        out.varlong(millis(entry.expiresAt()));
        return out.bytes();
    }

    /**
     * Returns the entry of {@code provider} about {@code ruc} stored as {@code value}; throws
     * {@link UnreadableValueException} for a value this version cannot read (another format or damaged).
     */
    static CacheEntry decode(String ruc, String provider, byte[] value) {
        Reader in = new Reader(value);
        try {
            byte format = in.raw();
            if (format != FORMAT) {
                throw new UnreadableValueException(format > FORMAT
                        ? "written in format " + format + " by a newer ruc-cache; this version reads format " + FORMAT
                        : "not a ruc-cache value (format byte " + format + ")");
            }
            byte status = in.raw();
            if (status != VALID && status != INVALID) {
                throw new UnreadableValueException("unknown status byte " + status);
            }
            String reason = in.text();
            String detail = in.text();
            TaxpayerRecord record = null;
            if (status == VALID) {
                record = new TaxpayerRecord(ruc, in.text(), in.text(), in.text(), in.text(), in.text(), in.text(),
                        in.text(), in.text(), in.optionalInstant());
            }
            Instant fetchedAt = Instant.ofEpochMilli(in.varlong());
            Instant expiresAt = Instant.ofEpochMilli(in.varlong());
            in.requireEnd();
            return new CacheEntry(ruc, provider, status == VALID ? Status.VALID : Status.INVALID,
                    reason == null ? null : Reason.valueOf(reason), detail, record, fetchedAt, expiresAt);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new UnreadableValueException("truncated value");
        } catch (IllegalArgumentException e) {
            // Reason.valueOf of a name this version does not know, or a CacheEntry invariant broken.
            throw new UnreadableValueException(e.getMessage());
        }
    }

    /** Returns {@code instant} as epoch milliseconds, saturated so that far-future expiries stay far in the future. */
    static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A stored value this version cannot turn back into an entry. */
    static final class UnreadableValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableValueException(String message) {
            super(message, null, false, false);
        }
    }

    /** A growable byte buffer with the two encodings the format uses. */
    private static final class Writer {
        private byte[] buf = new byte[192];
        private int size;

        void raw(byte b) {
            ensure(1);
            buf[size++] = b;
        }

        void text(String s) {
            if (s == null) {
                varlong(0);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varlong(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, size, utf8.length);
            size += utf8.length;
        }

        void optionalInstant(Instant instant) {
            raw((byte) (instant == null ? 0 : 1));
            if (instant != null) {
                varlong(millis(instant));
            }
        }

        /** Writes {@code v} zigzag-encoded, seven bits a byte, so that small and negative numbers stay short. */
        void varlong(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                buf[size++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[size++] = (byte) z;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }

    /** Reads what {@link Writer} wrote; running past the end throws ArrayIndexOutOfBoundsException. */
    private static final class Reader {
        private final byte[] buf;
        private int at;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        byte raw() {
            return buf[at++];
        }

        String text() {
            long n = varlong();
            if (n == 0) {
                return null;
            }
            if (n < 0 || n - 1 > buf.length - at) {
                throw new ArrayIndexOutOfBoundsException();
            }
            int length = (int) (n - 1);
            String s = new String(buf, at, length, StandardCharsets.UTF_8);
            at += length;
            return s;
        }

        Instant optionalInstant() {
            byte present = raw();
            return present == 0 ? null : Instant.ofEpochMilli(varlong());
        }

        long varlong() {
            long z = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf[at++];
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new ArrayIndexOutOfBoundsException();
        }

        void requireEnd() {
            if (at != buf.length) {
                throw new UnreadableValueException((buf.length - at) + " unexpected bytes at the end");
            }
        }
    }
}
