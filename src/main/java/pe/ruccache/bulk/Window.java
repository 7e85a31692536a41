package pe.ruccache.bulk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pe.ruccache.cache.CacheEntry;

/** The rows of one window and, for each, its answer or the slot of its RUC. */
final class Window {
    final String[][] cells;
    final Object[] answers;
    final boolean[] repeat;
    Slot[] slots;
    /** The window's distinct RUCs, until it is dispatched. */
    WindowKeys keys;
    CompletableFuture<Map<String, List<CacheEntry>>> stored;
    CompletableFuture<?> done;

    Window(int n) {
        cells = new String[n][];
        answers = new Object[n];
        repeat = new boolean[n];
    }
}
