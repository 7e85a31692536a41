package pe.ruccache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import sun.misc.Signal;

class TerminalWidthTest {

    @Test
    void parseSttySize_rowsAndColumns_returnsColumns() {
        assertEquals(80, TerminalWidth.parseSttySize("24 80\n"));
        assertEquals(132, TerminalWidth.parseSttySize("  50   132  \r\n"));
        // "stty cols 60" alone on a fresh pseudo-terminal leaves the rows at 0; the width is still known.
        assertEquals(60, TerminalWidth.parseSttySize("0 60\n"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"\n", "0 0\n", "24 0\n", "80", "24 80 7", "-1 80", "24 -80", "24 +80", "24 eighty",
        "stty: 'standard input': Inappropriate ioctl for device\n", "24 99999999999"})
    void parseSttySize_garbageZeroOrEmpty_returnsZero(String output) {
        assertEquals(0, TerminalWidth.parseSttySize(output));
    }

    @Test
    void parseColumnsVariable_positiveNumber_elseDefault() {
        assertEquals(120, TerminalWidth.parseColumnsVariable("120"));
        assertEquals(90, TerminalWidth.parseColumnsVariable(" 90\n"));
        for (String bad : new String[] {null, "", " ", "0", "-5", "wide", "12.5", "99999999999"}) {
            assertEquals(80, TerminalWidth.parseColumnsVariable(bad), bad);
        }
    }

    @Test
    void width_terminalFirst_thenColumns_thenEighty() {
        assertEquals(61, new TerminalWidth(() -> "20 61\n", "120").getAsInt());
        assertEquals(120, new TerminalWidth(() -> null, "120").getAsInt());
        assertEquals(120, new TerminalWidth(() -> "0 0\n", "120").getAsInt());
        assertEquals(80, new TerminalWidth(() -> "garbage", "wide").getAsInt());
        assertEquals(80, new TerminalWidth(() -> null, null).getAsInt());
    }

    @Test
    void width_measuredOnce_untilTheTerminalIsResized() {
        AtomicInteger runs = new AtomicInteger();
        TerminalWidth width = new TerminalWidth(() -> "24 " + (70 + runs.incrementAndGet()), null);
        assertEquals(71, width.getAsInt());
        assertEquals(71, width.getAsInt());
        assertEquals(71, width.getAsInt());
        // Every redraw asks; only the first one after a resize may run stty.
        assertEquals(1, runs.get());
        TerminalWidth.resized();
        assertEquals(72, width.getAsInt());
        assertEquals(72, width.getAsInt());
        assertEquals(2, runs.get());
    }

    @Test
    void sigwinch_marksTheWidthStale() {
        assumeTrue(TerminalWidth.watchResizes(), "this platform has no SIGWINCH");
        AtomicInteger runs = new AtomicInteger();
        TerminalWidth width = new TerminalWidth(() -> "24 " + (50 + runs.incrementAndGet()), null);
        assertEquals(51, width.getAsInt());
        Signal.raise(new Signal("WINCH"));
        // The handler runs on the JVM's signal thread: wait for it, no longer than needed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (width.getAsInt() == 51 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(52, width.getAsInt());
        assertEquals(2, runs.get());
    }

    @Test
    void ofStderr_stderrNotATerminal_sttyFails_usesColumns() {
        assumeFalse(StderrTerminal.isTerminal(), "stderr is a terminal here: stty would answer");
        // The real stty runs on this JVM's stderr (a pipe under Maven) and fails, so COLUMNS decides.
        assertEquals(57, TerminalWidth.ofStderr(Map.of("COLUMNS", "57")).getAsInt());
        assertEquals(80, TerminalWidth.ofStderr(Map.of()).getAsInt());
    }
}
