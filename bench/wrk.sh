# shellcheck shell=bash
# Sourced by the benchmarks that load a server with wrk (bench/serve.sh): wrk_summary FILE reads the report of one
# `wrk --latency` run and prints "REQUESTS_PER_S P99_MS NON_2XX SOCKET_ERRORS": the p99 latency converted to ms from
# wrk's us, ms, s or m; non-2xx (wrk counts 3xx with them) and socket errors (connect + read + write + timeout), 0
# when wrk printed no such line (it prints them only when there were some). Fails, naming FILE, when the report has
# no Requests/sec or no 99% line (a run that did not finish, or one without --latency). Tested by bench/lib-test.sh.
wrk_summary() {   # FILE
  awk -v file="$1" '
    function ms(t, v) {
      v = t + 0
      if (t ~ /us$/) return v / 1000
      if (t ~ /ms$/) return v
      if (t ~ /s$/) return v * 1000
      if (t ~ /m$/) return v * 60000
      if (t ~ /h$/) return v * 3600000
      return -1
    }
    $1 == "Requests/sec:" { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /^ *Non-2xx or 3xx responses:/ { non2xx = $NF }
    /^ *Socket errors:/ { gsub(/,/, ""); sock = $4 + $6 + $8 + $10 }
    END {
      if (rps == "" || p99 == "" || p99 < 0) {
        printf "wrk_summary: %s is not a finished wrk --latency report (no Requests/sec or 99%% line)\n", file \
          > "/dev/stderr"
        exit 1
      }
      printf "%s %.3f %d %d\n", rps, p99, non2xx, sock
    }' "$1"
}
