package pe.ruccache.cache.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits many keys into {@code IN (...)} lists of bounded size. A short list is padded with its last key up to the
 * next power of two, so that only a handful of distinct statements exist and each can be prepared once and reused.
 */
final class InList {

    /** The most keys in one statement: well under SQLite's parameter limit, large enough to amortise each call. */
    static final int MAX_KEYS = 512;

    private InList() {
    }

    /** Returns {@code keys} in consecutive batches of at most {@link #MAX_KEYS}, in iteration order. */
    static List<List<String>> batches(Collection<String> keys) {
        List<List<String>> batches = new ArrayList<>(keys.size() / MAX_KEYS + 1);
        List<String> batch = new ArrayList<>(Math.min(keys.size(), MAX_KEYS));
        for (String key : keys) {
            if (batch.size() == MAX_KEYS) {
                batches.add(batch);
                batch = new ArrayList<>(MAX_KEYS);
            }
            batch.add(key);
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** Returns the number of placeholders a batch of {@code keys} keys is bound to: the next power of two. */
    static int slots(int keys) {
        return keys <= 1 ? 1 : Math.min(MAX_KEYS, Integer.highestOneBit(keys - 1) << 1);
    }

    /** Returns {@code ?, ?, ...} with {@code slots} placeholders. */
    static String placeholders(int slots) {
        StringBuilder out = new StringBuilder(slots * 3);
        for (int i = 0; i < slots; i++) {
            out.append(i == 0 ? "?" : ", ?");
        }
        return out.toString();
    }

    /** Binds {@code batch} from parameter {@code first} on, repeating its last key to fill {@code slots}. */
    static void bind(PreparedStatement statement, int first, List<String> batch, int slots) throws SQLException {
        String last = batch.get(batch.size() - 1);
        for (int i = 0; i < slots; i++) {
            statement.setString(first + i, i < batch.size() ? batch.get(i) : last);
        }
    }
}
