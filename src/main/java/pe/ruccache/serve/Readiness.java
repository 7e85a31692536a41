package pe.ruccache.serve;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import pe.ruccache.core.HealthCheck;
import pe.ruccache.core.RucException;
import pe.ruccache.lookup.HealthService;

/**
 * What {@code /readyz} says: the checks {@code ruc-cache health} runs without calling a provider (the store opens,
 * takes a write and passes its integrity check; a provider is configured and has a token, or the padrón has a
 * snapshot), ready unless one is CRITICAL. A result is reused for a few seconds, so that a probe every second does
 * not scan the store every second.
 */
final class Readiness {

    /** How long one result is reused. */
    static final Duration REUSE = Duration.ofSeconds(5);

    /** One result: whether the server is ready, and the body that says why. */
    record Report(boolean ready, Map<String, Object> body, Instant at) {
    }

    private final Supplier<HealthService> health;
    private final Clock clock;
    private Report last;

    Readiness(Supplier<HealthService> health, Clock clock) {
        this.health = health;
        this.clock = clock;
    }

    /** Returns the latest result, running the checks when the last one is older than {@link #REUSE}. */
    synchronized Report report() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.at(), now).compareTo(REUSE) < 0) {
            return last;
        }
        List<HealthCheck> checks;
        try {
            checks = health.get().run(false, Duration.ZERO);
        } catch (RucException e) {
            checks = List.of(HealthCheck.critical("health", e.getMessage()));
        }
        HealthCheck.Level overall = HealthService.overall(checks);
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ready = overall != HealthCheck.Level.CRITICAL;
        body.put("status", ready ? "ready" : "not_ready");
        List<Map<String, Object>> list = new ArrayList<>();
        for (HealthCheck c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("level", c.level().name().toLowerCase(Locale.ROOT));
            m.put("detail", c.detail());
            list.add(m);
        }
        body.put("checks", list);
        last = new Report(ready, body, now);
        return last;
    }
}
