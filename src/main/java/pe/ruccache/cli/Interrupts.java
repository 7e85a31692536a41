package pe.ruccache.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import pe.ruccache.lookup.StopRequest;
import sun.misc.Signal;

/**
 * What Ctrl-C ({@code SIGINT}), {@code kill} ({@code SIGTERM}) and a closed standard output do to a run.
 *
 * <p>A command that can stop in order ({@code lookup}, {@code bulk}) registers a {@link StopRequest} for its run.
 * The first signal makes that request: the run asks nothing new, waits up to {@link #GRACE} for the answers already
 * requested (they are paid for: it stores them), ends its output on a record boundary and returns; the process then
 * ends as killed by that signal (status 130 or 143), so a calling shell script stops too. A second signal ends the
 * process at once, as does a run still going {@link #GRACE} plus {@link #SHUTDOWN_MARGIN} after the first (one stuck
 * reading a terminal, say). With no run registered, a signal ends the process at once, as Java's default would.
 * A reader that closes standard output ({@code | head}) stops the run the same way, with status 141, as a Unix
 * filter killed by {@code SIGPIPE} would end.
 */
final class Interrupts {

    /** How long a stopping run waits for answers already requested from a provider. */
    static final Duration GRACE = StopRequest.GRACE;
    /** After the grace period, the time a stopping run has to store, write and close before the process ends. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);
    /** The status of a run stopped because its standard output was closed: 128 + SIGPIPE, as the shell reports. */
    static final int OUTPUT_CLOSED = 141;

    private final IntConsumer exit;
    private final IntConsumer halt;
    private final AtomicInteger signals = new AtomicInteger();
    private volatile int signal;
    private volatile String signalName;
    private volatile boolean outputClosed;
    private volatile StopRequest current;
    private volatile boolean orderly;
    /** Says why the process ends before the run stopped; nothing for tests. */
    private Runnable stuckNotice = () -> { };

    /**
     * Creates the interrupts of one process.
     *
     * @param exit ends the process in an orderly way (shutdown hooks run), when a signal finds no run to stop
     * @param halt ends the process at once, on a second signal or a run that does not stop in time
     */
    Interrupts(IntConsumer exit, IntConsumer halt) {
        this.exit = exit;
        this.halt = halt;
    }

    /** Creates interrupts that end nothing: for commands run in-process by tests, which deliver signals by hand. */
    Interrupts() {
        this(code -> { }, code -> { });
    }

    /**
     * Returns the interrupts of this process, ending it through {@link System#exit} and {@link Runtime#halt}, in
     * both cases as killed by the signal when one ended it (see {@link #raiseAgain}): also before any run was
     * registered (Ctrl-C while the JVM starts), on a second signal, and when a run did not stop in time.
     */
    static Interrupts forProcess() {
        Interrupts[] self = new Interrupts[1];
        self[0] = new Interrupts(code -> {
            self[0].raiseAgain();
            System.exit(code);
        }, code -> {
            self[0].raiseAgain();
            Runtime.getRuntime().halt(code);
        });
        self[0].stuckNotice = () -> {
            System.err.println("ruc-cache: stopped: the run had not ended " + (GRACE.plus(SHUTDOWN_MARGIN)
                    .toSeconds()) + " s after " + self[0].interruptedBy() + " (it was waiting for its input, or "
                    + "for a provider); every answer received was cached; the output may end mid-record");
            System.err.flush();
        };
        return self[0];
    }

    /**
     * Handles SIGINT and SIGTERM from now on. A signal the process was started ignoring (a background job of a
     * script, {@code nohup}) stays ignored.
     */
    void install() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> deliver(s.getName(), s.getNumber()));
            } catch (IllegalArgumentException e) {
                // Not a signal of this platform, or one the JVM keeps: Java's default stays.
            }
        }
    }

    /** Registers the run that signals stop from now on, and returns its stop request. */
    StopRequest begin() {
        StopRequest request = new StopRequest();
        current = request;
        if (signal != 0) {
            request.request(interruptedBy());
        } else if (outputClosed) {
            request.request(StopRequest.OUTPUT_CLOSED);
        }
        return request;
    }

    /**
     * Makes a signal the normal way the registered run ends ({@code serve}): the run stops in order as described
     * above, and the process then exits with the run's own status instead of as killed by the signal.
     */
    void stopIsOrderly() {
        orderly = true;
    }

    /** Unregisters the run: a signal from now on ends the process at once. */
    void end() {
        current = null;
    }

    /** Acts on signal {@code name} (without "SIG"), number {@code number}, as described above. */
    void deliver(String name, int number) {
        if (signals.getAndIncrement() > 0) {
            halt.accept(128 + signal);
            return;
        }
        signalName = name;
        signal = number;
        StopRequest run = current;
        if (run == null) {
            exit.accept(128 + number);
            return;
        }
        run.request(interruptedBy());
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(GRACE.plus(SHUTDOWN_MARGIN).toMillis());
                stuckNotice.run();
                halt.accept(128 + number);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ruc-cache-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Notes that writing standard output failed because its reader closed it; stops the run, if any. */
    void outputClosed() {
        if (outputClosed) {
            return;
        }
        outputClosed = true;
        StopRequest run = current;
        if (run != null) {
            run.request(StopRequest.OUTPUT_CLOSED);
        }
    }

    /** Returns the number of the signal that stopped the run, or 0 (also when a signal is its orderly end). */
    int signal() {
        return orderly ? 0 : signal;
    }

    /**
     * Returns the exit status of a stopped run: 128 plus the signal's number, 141 when standard output was closed,
     * or {@code code} when nothing stopped it.
     */
    int exitCode(int code) {
        if (signal() != 0) {
            return 128 + signal;
        }
        return outputClosed ? OUTPUT_CLOSED : code;
    }

    /**
     * Ends the process as killed by the signal that stopped the run, with the signal's default action, so that the
     * parent sees a death by signal: bash, for one, stops a script whose command died of SIGINT but carries on after
     * one that merely exited with 130. Java's own {@code Signal.raise} refuses a signal it does not handle, so the
     * signal is sent by {@code kill}; returns only if that did not end the process (the caller then exits with 128
     * plus the signal's number).
     */
    void raiseAgain() {
        if (signal == 0) {
            return;
        }
        try {
            Signal.handle(new Signal(signalName), sun.misc.SignalHandler.SIG_DFL);
            Process kill = new ProcessBuilder("kill", "-" + signalName, Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                // Delivered: the default action ends the process as soon as the kernel hands the signal over.
                Thread.sleep(1000);
            }
        } catch (IllegalArgumentException | IOException e) {
            // No such signal here, or no kill command: the caller exits with the same status instead.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String interruptedBy() {
        return "interrupted (SIG" + signalName.toUpperCase(Locale.ROOT) + ")";
    }
}
