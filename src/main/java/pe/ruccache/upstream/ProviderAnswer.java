package pe.ruccache.upstream;

import java.time.Duration;
import java.util.Objects;
import pe.ruccache.core.Reason;
import pe.ruccache.core.Status;
import pe.ruccache.core.TaxpayerRecord;

/** What one provider answered about one RUC. */
public sealed interface ProviderAnswer {

    /** Returns the name of the provider that answered. */
    String provider();

    /**
     * The taxpayer exists.
     *
     * @param provider who answered
     * @param record the taxpayer
     */
    record Found(String provider, TaxpayerRecord record) implements ProviderAnswer {
        public Found {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * The provider answered that the RUC does not exist; definitive, cached as INVALID.
     *
     * @param provider who answered
     * @param detail the provider's message
     */
    record NotFound(String provider, String detail) implements ProviderAnswer {
    }

    /**
     * No answer now; transient or a configuration problem, never cached.
     *
     * @param provider who failed
     * @param reason an ERROR reason
     * @param detail one line for the user, never containing the token
     * @param retryAfter the wait the provider asked for (429/503 {@code Retry-After}), or null
     */
    record Failed(String provider, Reason reason, String detail, Duration retryAfter) implements ProviderAnswer {
        public Failed {
            if (reason == null || reason.status() != Status.ERROR) {
                throw new IllegalArgumentException("a failure has an ERROR reason: " + reason);
            }
        }
    }
}
