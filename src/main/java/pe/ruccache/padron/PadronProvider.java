package pe.ruccache.padron;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;
import pe.ruccache.upstream.Provider;
import pe.ruccache.upstream.ProviderAnswer;
import pe.ruccache.upstream.ProviderCatalog;

/**
 * The provider {@code padron}: answers from the imported snapshot, with no network. A taxpayer in the snapshot is
 * Found, dated as of the snapshot; a RUC absent from it is NotFound, because the snapshot is SUNAT's complete list
 * (an import that is not complete never replaces one). A RUC whose line in the file was malformed is a Failed
 * BAD_RESPONSE instead, so that a chain asks the next provider rather than calling a listed taxpayer absent.
 */
public final class PadronProvider implements Provider, AutoCloseable {

    private final Snapshot snapshot;
    private final String asOf;
    /** Run before the first answer, once (e.g. a warning that the snapshot is old); then cleared. */
    private final AtomicReference<Runnable> beforeFirstAnswer = new AtomicReference<>();

    /** Creates the provider over an open snapshot, which it closes on {@link #close()}. */
    public PadronProvider(Snapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.asOf = snapshot.info().dataAsOf().toString();
    }

    /** Returns {@code padron}. */
    @Override
    public String name() {
        return ProviderCatalog.PADRON;
    }

    /** The padrón answers from its local snapshot. */
    @Override
    public boolean answersLocally() {
        return true;
    }

    /** Runs {@code action} once, before this provider's first answer (not at all if it never answers). */
    public void beforeFirstAnswer(Runnable action) {
        beforeFirstAnswer.set(action);
    }

    private void answering() {
        Runnable action = beforeFirstAnswer.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    /** Returns the snapshot's facts. */
    public SnapshotInfo info() {
        return snapshot.info();
    }

    @Override
    public ProviderAnswer fetch(Ruc ruc) {
        answering();
        return answer(ruc, snapshot.find(Long.parseLong(ruc.value())));
    }

    /** Answers a batch in a few sorted queries: the path a bulk run over the padrón takes. */
    @Override
    public Map<Ruc, ProviderAnswer> fetchAll(Collection<Ruc> rucs) {
        answering();
        Collection<Ruc> distinct = new LinkedHashSet<>(rucs);
        long[] keys = new long[distinct.size()];
        int i = 0;
        for (Ruc ruc : distinct) {
            keys[i++] = Long.parseLong(ruc.value());
        }
        Map<Long, Snapshot.Entry> found = snapshot.findAll(keys);
        Map<Ruc, ProviderAnswer> answers = new HashMap<>(distinct.size() * 4 / 3 + 1);
        i = 0;
        for (Ruc ruc : distinct) {
            answers.put(ruc, answer(ruc, found.get(keys[i++])));
        }
        return answers;
    }

    private ProviderAnswer answer(Ruc ruc, Snapshot.Entry entry) {
        if (entry instanceof Snapshot.Entry.Taxpayer taxpayer) {
            return new ProviderAnswer.Found(name(), taxpayer.record());
        }
        if (entry instanceof Snapshot.Entry.MalformedLine line) {
            return new ProviderAnswer.Failed(name(), Reason.BAD_RESPONSE, "padron: the padrón's line " + line.line()
                    + " for " + ruc + " was malformed (" + line.kind().words() + "), so the snapshot of " + asOf
                    + " cannot say what it holds", null);
        }
        return new ProviderAnswer.NotFound(name(), "padron: not in SUNAT's padrón as of " + asOf);
    }

    /** Closes the snapshot. */
    @Override
    public void close() {
        snapshot.close();
    }

    @Override
    public String toString() {
        return "padron (" + snapshot.file() + ", as of " + asOf + ")";
    }
}
