package pe.ruccache.bulk;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes with a primary charset and, for each byte sequence that charset cannot decode, with a fallback
 * charset (or U+FFFD when there is none), counting how many bytes needed it. A file read as UTF-8 whose first
 * accented name appears after the sniffed sample is still read correctly when those bytes are Windows-1252.
 */
final class FallbackDecodingReader extends Reader {

    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final CharsetDecoder primary;
    private final CharsetDecoder fallback;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER);
    private final ByteBuffer oneByte = ByteBuffer.allocate(1);
    private final CharBuffer oneChar = CharBuffer.allocate(4);
    private boolean endOfInput;
    private boolean flushed;
    private long bytesConsumed;
    private long fallbackBytes;
    private long firstFallbackOffset = -1;

    /**
     * Creates the reader.
     *
     * @param in the bytes, positioned after any byte-order mark
     * @param primary the charset tried first
     * @param fallback the charset for bytes the primary cannot decode; null to replace them with U+FFFD
     */
    FallbackDecodingReader(InputStream in, Charset primary, Charset fallback) {
        this.in = in;
        this.primary = primary.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.fallback = fallback == null ? null : fallback.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        bytes.flip();
        chars.flip();
    }

    /** Returns how many bytes were decoded by the fallback (or replaced). */
    long fallbackBytes() {
        return fallbackBytes;
    }

    /** Returns the offset of the first byte that needed the fallback, or -1. */
    long firstFallbackOffset() {
        return firstFallbackOffset;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (flushed) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        return n;
    }

    /** Decodes the next run of characters into {@link #chars}; may leave it empty only when input remains. */
    private void fill() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (!bytes.hasRemaining() && !endOfInput) {
                    readMore();
                }
                int before = bytes.position();
                CoderResult result = primary.decode(bytes, chars, endOfInput);
                bytesConsumed += bytes.position() - before;
                if (result.isError()) {
                    if (chars.remaining() < 4) {
                        break;
                    }
                    decodeWithFallback(result.length());
                } else if (result.isOverflow()) {
                    break;
                } else if (endOfInput) {
                    if (primary.flush(chars).isOverflow()) {
                        break;
                    }
                    flushed = true;
                    break;
                } else {
                    readMore();
                }
            }
        } finally {
            chars.flip();
        }
    }

    private void readMore() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private void decodeWithFallback(int length) {
        if (firstFallbackOffset < 0) {
            firstFallbackOffset = bytesConsumed;
        }
        for (int i = 0; i < length; i++) {
            byte b = bytes.get();
            bytesConsumed++;
            fallbackBytes++;
            if (fallback == null) {
                chars.put('\uFFFD');
                continue;
            }
            oneByte.clear();
            oneByte.put(b).flip();
            oneChar.clear();
            fallback.reset();
            fallback.decode(oneByte, oneChar, true);
            fallback.flush(oneChar);
            oneChar.flip();
            chars.put(oneChar);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
