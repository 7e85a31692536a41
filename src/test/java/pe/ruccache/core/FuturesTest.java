package pe.ruccache.core;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FuturesTest {

    @Test
    void unwrap_failedGet_rethrowsTheRucExceptionInside() {
        StoreException inside = new StoreException("the cache file x is locked by another process; waited 1s");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(inside);

        ExecutionException wrapped = assertThrows(ExecutionException.class, failed::get);
        // The user must see the store's own sentence, not "java.util.concurrent.ExecutionException: ...".
        assertSame(inside, assertThrows(StoreException.class, () -> Futures.unwrap(wrapped)));
    }

    @Test
    void unwrap_failedJoin_rethrowsTheRuntimeExceptionInside() {
        IllegalStateException inside = new IllegalStateException("closed");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(inside);

        CompletionException wrapped = assertThrows(CompletionException.class, failed::join);
        assertSame(inside, assertThrows(IllegalStateException.class, () -> Futures.unwrap(wrapped)));
    }

    @Test
    void unwrap_nestedWrappers_rethrowsTheInnermost() {
        UnavailableException inside = new UnavailableException("down");
        Throwable nested = new CompletionException(new ExecutionException(inside));

        assertSame(inside, assertThrows(UnavailableException.class, () -> Futures.unwrap(nested)));
    }

    @Test
    void unwrap_error_isRethrown() {
        OutOfMemoryError inside = new OutOfMemoryError("test");

        assertSame(inside, assertThrows(OutOfMemoryError.class,
                () -> Futures.unwrap(new ExecutionException(inside))));
    }

    @Test
    void unwrap_checkedCause_isReturnedForTheCallerToMap() {
        IOException inside = new IOException("reset");

        assertSame(inside, Futures.unwrap(new ExecutionException(inside)));
    }

    @Test
    void cause_wrapperWithoutCause_isTheWrapperItself() {
        CompletionException bare = new CompletionException("no cause", null);

        assertSame(bare, Futures.cause(bare));
    }
}
