package pe.ruccache.core;

/** Why an answer is INVALID or ERROR; each reason belongs to exactly one of those statuses. */
public enum Reason {
    EMPTY(Status.INVALID, true),
    NOT_DIGITS(Status.INVALID, true),
    BAD_LENGTH(Status.INVALID, true),
    BAD_PREFIX(Status.INVALID, true),
    BAD_CHECK_DIGIT(Status.INVALID, true),
    SPREADSHEET_MANGLED(Status.INVALID, true),
    /** A provider answered that the RUC does not exist. */
    NOT_FOUND(Status.INVALID, false),
    /** Marked invalid by a user, with free text. */
    MANUAL(Status.INVALID, false),

    NO_PROVIDER(Status.ERROR, false),
    OFFLINE_MISS(Status.ERROR, false),
    TIMEOUT(Status.ERROR, false),
    UNAVAILABLE(Status.ERROR, false),
    RATE_LIMITED(Status.ERROR, false),
    AUTH(Status.ERROR, false),
    BAD_RESPONSE(Status.ERROR, false),
    /** A provider refused the format of a RUC that passes the local checks (HTTP 422). */
    REJECTED(Status.ERROR, false);

    private final Status status;
    private final boolean local;

    Reason(Status status, boolean local) {
        this.status = status;
        this.local = local;
    }

    /** Returns the status this reason belongs to. */
    public Status status() {
        return status;
    }

    /** Returns whether the reason is found by the local checks alone, with no network. */
    public boolean isLocal() {
        return local;
    }
}
