package pe.ruccache.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8WriterTest {

    private static final List<String> CELLS = List.of("20100038146", "BANCO DE CRÉDITO DEL PERÚ", "Ñuñoa – “acta”",
            "日本", "😀 emoji", "lone high \uD83D end", "\uDE00 lone low", "\uD83D", "", "a\"b;c\r\n",
            "ÿ\u0080\u07FF\u0800");

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 7, 16, 1 << 16})
    void writesTheBytesOfTheJdksUtf8Writer_atAnyBufferSize(int bufferBytes) throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        try (Writer jdk = new BufferedWriter(new OutputStreamWriter(expected, StandardCharsets.UTF_8));
                Writer ours = new Utf8Writer(actual, bufferBytes)) {
            for (Writer w : List.of(jdk, ours)) {
                for (String cell : CELLS) {
                    w.write(cell);
                    w.write(';');
                    w.write(cell, Math.min(1, cell.length()), Math.max(0, cell.length() - 1));
                    w.write('é');
                    w.write(cell.toCharArray(), 0, cell.length());
                    w.write("\r\n");
                }
            }
        }
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    @Test
    void flush_sendsWhatIsBuffered_closeFlushesAndClosesOnce() throws IOException {
        int[] closes = {0};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        Utf8Writer writer = new Utf8Writer(sink, 1 << 10);
        writer.write("PERÚ");
        assertEquals(0, sink.size());
        writer.flush();
        assertEquals("PERÚ", sink.toString(StandardCharsets.UTF_8));
        writer.write("!");
        writer.close();
        writer.close();
        assertEquals("PERÚ!", sink.toString(StandardCharsets.UTF_8));
        assertEquals(1, closes[0]);
        IOException e = assertThrows(IOException.class, () -> writer.write("x"));
        assertTrue(e.getMessage().contains("closed"));
    }
}
