package pe.ruccache.upstream;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import pe.ruccache.core.DurationText;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Ruc;

/**
 * Wraps a provider in a Failsafe retry policy (outer) and circuit breaker (inner, so every attempt counts).
 * Only transient failures (UNAVAILABLE, TIMEOUT, RATE_LIMITED) are retried, with exponential backoff and jitter; a
 * {@code Retry-After} up to {@link HttpSettings#maxRetryWait()} replaces the backoff, a longer one ends the attempts
 * at once. An interrupted thread gets the last answer back without further waiting, its interrupt flag kept.
 *
 * <p>The wrapped provider is the seam for request-rate limits: a limiter that wraps the HTTP provider inside this
 * one throttles every attempt, retries included.
 */
final class ResilientProvider implements Provider {

    /** Spreads the retries of concurrent bulk workers so they do not hit the provider in step. */
    static final double JITTER = 0.2;

    /** Failsafe's delay functions signal "no opinion, use the configured delay" with a negative value. */
    private static final Duration CONFIGURED_DELAY = Duration.ofNanos(-1);

    private final Provider delegate;
    private final CircuitBreaker<ProviderAnswer> breaker;
    private final FailsafeExecutor<ProviderAnswer> failsafe;
    private final AtomicReference<ProviderAnswer.Failed> lastTransient = new AtomicReference<>();
    /** The provider's refusal of the token: it will not change during this run, so it is not asked again. */
    private final AtomicReference<ProviderAnswer.Failed> refused = new AtomicReference<>();

    ResilientProvider(Provider delegate, HttpSettings http, BreakerSettings breakerSettings) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Duration maxWait = http.maxRetryWait();
        boolean backoff = http.initialBackoff().compareTo(Duration.ZERO) > 0;
        RetryPolicyBuilder<ProviderAnswer> retry = RetryPolicy.<ProviderAnswer>builder()
                .handleResultIf(ResilientProvider::isTransient)
                .abortIf(answer -> Thread.currentThread().isInterrupted() || asksTooLong(answer, maxWait))
                // A bug in the delegate, or the breaker refusing a permit, must not be retried.
                .abortOn(RuntimeException.class)
                .withMaxRetries(Math.max(0, http.maxRetries()))
                .withDelayFn(context -> retryAfterDelay(context.getLastResult(), backoff));
        if (backoff) {
            Duration cap = maxWait.compareTo(http.initialBackoff().multipliedBy(2)) > 0
                    ? maxWait : http.initialBackoff().multipliedBy(2);
            retry.withBackoff(http.initialBackoff(), cap).withJitter(JITTER);
        }
        this.breaker = CircuitBreaker.<ProviderAnswer>builder()
                .handleResultIf(ResilientProvider::isTransient)
                .withFailureThreshold(breakerSettings.failureThreshold())
                .withDelay(breakerSettings.openFor())
                // A provider that asked for a longer pause than the breaker's own gets it.
                .withDelayFn(context -> longerRetryAfter(context.getLastResult(), breakerSettings.openFor()))
                .build();
        this.failsafe = Failsafe.with(retry.build(), breaker);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean answersLocally() {
        return delegate.answersLocally();
    }

    @Override
    public ProviderAnswer fetch(Ruc ruc) {
        ProviderAnswer.Failed refusal = refused.get();
        if (refusal != null) {
            return note(refusal, "not asked again in this run");
        }
        AtomicReference<ProviderAnswer> last = new AtomicReference<>();
        AtomicInteger attempts = new AtomicInteger();
        try {
            ProviderAnswer answer = failsafe.get(() -> {
                attempts.incrementAndGet();
                ProviderAnswer a = delegate.fetch(ruc);
                last.set(a);
                if (a instanceof ProviderAnswer.Failed f && f.reason() == Reason.AUTH) {
                    refused.compareAndSet(null, f);
                }
                if (isTransient(a)) {
                    lastTransient.set((ProviderAnswer.Failed) a);
                }
                return a;
            });
            return attempts.get() > 1 ? note(answer, after(attempts.get())) : answer;
        } catch (CircuitBreakerOpenException e) {
            // When the circuit opened between two attempts of this call, the real failure says more.
            ProviderAnswer previous = last.get();
            return previous != null ? note(previous, after(attempts.get()) + "; circuit now open")
                    : circuitOpen();
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                // Failsafe has already restored the interrupt flag.
                ProviderAnswer previous = last.get();
                return previous != null ? note(previous, "interrupted before retrying")
                        : new ProviderAnswer.Failed(name(), Reason.TIMEOUT, name() + ": interrupted", null);
            }
            throw e;
        }
    }

    /** Returns {@code after 1 attempt} or {@code after N attempts}. */
    private static String after(int attempts) {
        return "after " + attempts + (attempts == 1 ? " attempt" : " attempts");
    }

    private ProviderAnswer circuitOpen() {
        Duration remaining = breaker.getRemainingDelay();
        boolean waiting = remaining != null && remaining.compareTo(Duration.ZERO) > 0;
        ProviderAnswer.Failed cause = lastTransient.get();
        String last = cause == null ? "" : " (last: " + withoutName(cause) + ")";
        return new ProviderAnswer.Failed(name(), Reason.UNAVAILABLE,
                name() + ": circuit open after repeated failures" + last
                        + (waiting ? "; not calling for " + DurationText.format(roundUp(remaining)) : ""),
                waiting ? remaining : null);
    }

    /** Returns whether {@code answer} is a failure that may go away by itself. */
    static boolean isTransient(ProviderAnswer answer) {
        return answer instanceof ProviderAnswer.Failed f && switch (f.reason()) {
            case UNAVAILABLE, TIMEOUT, RATE_LIMITED -> true;
            default -> false;
        };
    }

    private static boolean asksTooLong(ProviderAnswer answer, Duration maxWait) {
        return answer instanceof ProviderAnswer.Failed f && f.retryAfter() != null
                && f.retryAfter().compareTo(maxWait) > 0;
    }

    /**
     * Returns the wait a {@code Retry-After} asked for, or a negative duration to let the backoff decide. Failsafe
     * jitters this delay too, by up to {@link #JITTER} either way, so it is stretched to never fall short of the
     * request.
     */
    private static Duration retryAfterDelay(ProviderAnswer last, boolean jittered) {
        if (!(last instanceof ProviderAnswer.Failed f) || f.retryAfter() == null) {
            return CONFIGURED_DELAY;
        }
        Duration wait = f.retryAfter();
        return jittered ? Duration.ofNanos((long) Math.ceil(wait.toNanos() / (1 - JITTER))) : wait;
    }

    private static Duration longerRetryAfter(ProviderAnswer last, Duration openFor) {
        if (last instanceof ProviderAnswer.Failed f && f.retryAfter() != null
                && f.retryAfter().compareTo(openFor) > 0) {
            return f.retryAfter();
        }
        return CONFIGURED_DELAY;
    }

    private static ProviderAnswer note(ProviderAnswer answer, String note) {
        if (answer instanceof ProviderAnswer.Failed f) {
            return new ProviderAnswer.Failed(f.provider(), f.reason(), f.detail() + " (" + note + ")", f.retryAfter());
        }
        return answer;
    }

    private static String withoutName(ProviderAnswer.Failed f) {
        String prefix = f.provider() + ": ";
        return f.detail().startsWith(prefix) ? f.detail().substring(prefix.length()) : f.detail();
    }

    private static Duration roundUp(Duration d) {
        return d.getNano() == 0 ? d : Duration.ofSeconds(d.getSeconds() + 1);
    }

    @Override
    public String toString() {
        return "resilient " + delegate;
    }
}
