package pe.ruccache.cache;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The single-flight of a store no other process shares: every claim is won at once, without any I/O. */
final class NoSingleFlight implements SingleFlight {

    static final NoSingleFlight INSTANCE = new NoSingleFlight();

    private NoSingleFlight() {
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public Set<String> claim(Collection<String> rucs) {
        return new LinkedHashSet<>(rucs);
    }

    @Override
    public void release(String ruc) {
        // Nothing was claimed.
    }

    @Override
    public Map<String, CompletableFuture<Void>> released(Collection<String> rucs) {
        Map<String, CompletableFuture<Void>> done = new HashMap<>();
        for (String ruc : rucs) {
            done.put(ruc, CompletableFuture.completedFuture(null));
        }
        return done;
    }
}
