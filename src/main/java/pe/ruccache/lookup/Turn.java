package pe.ruccache.lookup;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import pe.ruccache.cache.CacheEntry;
import pe.ruccache.core.Outcome;
import pe.ruccache.core.Ruc;

/**
 * What claiming a missed RUC decided ({@code ReadThrough.claimMisses}): this process asks the providers, another
 * process answered it meanwhile, or another process is asking and this one waits for its answer.
 */
sealed interface Turn permits Turn.Fetch, Turn.Answered, Turn.Wait {

    /** Returns the RUC this turn is about. */
    Ruc ruc();

    /**
     * This process holds the claim: it asks the providers ({@code ReadThrough.fetchClaimed}), which stores the
     * answer and releases the claim.
     *
     * @param ruc the RUC
     * @param entries its stored entries, read after the claim was taken (possibly expired ones, to serve stale)
     */
    record Fetch(Ruc ruc, List<CacheEntry> entries) implements Turn {
        /** Copies the entries. */
        public Fetch {
            Objects.requireNonNull(ruc, "ruc");
            entries = List.copyOf(entries);
        }
    }

    /**
     * Another process stored an answer between this process's read and its claim: the answer, from the cache.
     *
     * @param ruc the RUC
     * @param outcome the answer
     */
    record Answered(Ruc ruc, Outcome outcome) implements Turn {
        /** Checks the fields. */
        public Answered {
            Objects.requireNonNull(ruc, "ruc");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * Another process holds the claim: this one waits until it is released ({@code ReadThrough.awaitAnswer}).
     *
     * @param ruc the RUC
     * @param seen the newest provider answer stored before the wait, or null: an answer newer than it is the
     *     other process's, whatever {@code --refresh} or {@code --max-age} would say of its age
     * @param released completed once nobody holds the claim any more
     */
    record Wait(Ruc ruc, CacheEntry seen, CompletableFuture<Void> released) implements Turn {
        /** Checks the fields. */
        public Wait {
            Objects.requireNonNull(ruc, "ruc");
            Objects.requireNonNull(released, "released");
        }
    }
}
