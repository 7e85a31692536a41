package pe.ruccache.cli;

/** The tool's exit codes: one table for every command, printed in {@code --help} and the README. */
public final class ExitCodes {
    /** Success; every RUC checked is VALID and meets the {@code --require-*} policy; {@code health}: ok. */
    public static final int OK = 0;
    /** At least one RUC is INVALID or fails a policy; {@code health}: warning. */
    public static final int INVALID = 1;
    /** {@code health}: unhealthy (Nagios critical). */
    public static final int UNHEALTHY = 2;
    /** {@code health}: unknown, the check itself could not run. */
    public static final int UNKNOWN = 3;
    /** Usage error: unknown option or command, bad value. */
    public static final int USAGE = 64;
    /** Input data unreadable: not CSV, binary, empty, a bulk input's RUC column missing; a padrón file incomplete. */
    public static final int DATA = 65;
    /** At least one RUC could not be determined (an ERROR answer: providers unavailable); a download failed. */
    public static final int UNAVAILABLE = 69;
    /** Internal error: a bug in ruc-cache. */
    public static final int SOFTWARE = 70;
    /** The store (or bulk's output file) cannot be read or written: locked too long, disk full, corrupt. */
    public static final int STORE = 74;
    /** Configuration error: unknown provider, missing token, malformed config file. */
    public static final int CONFIG = 78;

    /** The exit-code list shown at the end of {@code --help}, one "code:meaning" pair per entry. */
    static final String[] HELP_LIST = {
        " 0:success; every RUC checked is VALID (and meets --require-*); health: ok",
        " 1:at least one RUC is INVALID or fails a --require-* policy; health: warning",
        " 2:health: unhealthy",
        " 3:health: unknown (the check itself could not run)",
        "64:usage error: unknown option or command, bad value",
        "65:input data unreadable (not text, empty, no such file, RUC column not found; a padrón file "
            + "incomplete or changed)",
        "69:at least one RUC could not be determined now (providers unavailable), or bulk stopped early "
            + "(--max-errors); wins over 1; padron update: the download failed",
        "70:internal error (a bug; rerun with --stacktrace and report it)",
        "74:the store or the output file cannot be written (locked too long, disk full, corrupt)",
        "78:configuration error (unknown provider, missing token, bad config file)",
        "130:interrupted by Ctrl-C (SIGINT; 143 for SIGTERM): answers already paid for are stored, the output "
            + "ends on a whole record, and the process dies of the signal, so a calling script stops too (serve: "
            + "a signal is its normal stop, exit 0)",
        "141:standard output was closed by its reader (| head): the run stopped there, as on SIGPIPE",
    };

    private ExitCodes() {
    }
}
