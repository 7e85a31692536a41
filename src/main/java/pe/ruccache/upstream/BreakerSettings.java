package pe.ruccache.upstream;

import java.time.Duration;
import java.util.Objects;

/**
 * When a provider's circuit breaker stops calling it.
 *
 * @param failureThreshold consecutive transient failures (5xx, timeout, reset, 429) that open the circuit
 * @param openFor how long an open circuit refuses calls before letting one through to test the provider; a longer
 *     {@code Retry-After} on the failure that opened it is honoured instead
 */
public record BreakerSettings(int failureThreshold, Duration openFor) {

    /** Checks that the threshold is positive and the delay present and not negative. */
    public BreakerSettings {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1: " + failureThreshold);
        }
        Objects.requireNonNull(openFor, "openFor");
        if (openFor.isNegative()) {
            throw new IllegalArgumentException("openFor must not be negative: " + openFor);
        }
    }

    /** Returns the defaults: open after 5 consecutive transient failures, try again after 30 s. */
    public static BreakerSettings defaults() {
        return new BreakerSettings(5, Duration.ofSeconds(30));
    }
}
