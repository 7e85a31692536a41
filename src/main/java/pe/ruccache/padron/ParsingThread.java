package pe.ruccache.padron;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import pe.ruccache.core.InputException;

/**
 * Reads the padrón's lines on a thread of its own and hands them over in batches, so that parsing (Java) and
 * inserting (mostly SQLite's C code, on the caller's thread) each get a core when there is one to spare. The queue
 * between them is short, so memory stays at a few batches whatever the file's size.
 */
final class ParsingThread implements AutoCloseable {

    /** Lines per batch: large enough to make the hand-over cost nothing, small enough to keep memory flat. */
    static final int BATCH_LINES = 2048;

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(4);
    private final Thread thread;

    /** Starts reading {@code lines} (the header already read) from {@code source}. */
    ParsingThread(PadronLines lines, PadronSource source) {
        this.thread = new Thread(() -> run(lines, source), "ruc-cache-padron-parser");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(PadronLines lines, PadronSource source) {
        PadronLines.Line line = new PadronLines.Line();
        Batch batch = new Batch();
        try {
            while (true) {
                boolean more;
                try {
                    more = lines.next(line);
                } catch (IOException e) {
                    throw source.damaged(e, lines.lineNumber());
                }
                if (!more) {
                    break;
                }
                if (line.malformation == null) {
                    batch.rucs[batch.rows] = line.ruc;
                    batch.fields[batch.rows] = line.fields.clone();
                    batch.rows++;
                } else {
                    batch.malformed.add(new Skipped(line.number, line.ruc, line.malformation));
                }
                if (batch.rows == BATCH_LINES || batch.malformed.size() == BATCH_LINES) {
                    batch.bytesConsumed = lines.bytesConsumed();
                    queue.put(batch);
                    batch = new Batch();
                }
            }
            batch.bytesConsumed = lines.bytesConsumed();
            batch.last = true;
            queue.put(batch);
        } catch (InterruptedException e) {
            // The importer stopped taking batches (it failed, or it is closing): nothing more to hand over.
        } catch (RuntimeException e) {
            Batch failed = new Batch();
            failed.failure = e;
            failed.last = true;
            try {
                queue.put(failed);
            } catch (InterruptedException ignored) {
                // The importer is gone; it has its own failure to report.
            }
        }
    }

    /** Returns the next batch; rethrows what stopped the reading (an InputException for a damaged file). */
    Batch take() {
        Batch batch;
        try {
            batch = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("the import was interrupted", e);
        }
        if (batch.failure != null) {
            throw batch.failure;
        }
        return batch;
    }

    /** Stops the reading thread, if it is still reading, and waits for it. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One skipped line.
     *
     * @param line its number
     * @param ruc the RUC it names, or -1
     * @param kind why it was skipped
     */
    record Skipped(long line, long ruc, Malformation kind) {
    }

    /** Consecutive lines of the file: the good ones, the skipped ones, and how far into the text they reach. */
    static final class Batch {
        final long[] rucs = new long[BATCH_LINES];
        final byte[][][] fields = new byte[BATCH_LINES][][];
        final List<Skipped> malformed = new ArrayList<>(0);
        int rows;
        long bytesConsumed;
        boolean last;
        private RuntimeException failure;
    }
}
