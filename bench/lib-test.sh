#!/usr/bin/env bash
# Checks of bench/lib.sh (medians, spreads, ratios, target lines, the load rule) and that every benchmark applies the
# load rule before any work: with a load average over the limit (a file of our own in place of /proc/loadavg) each
# bench/*.sh must print the machine line and refuse with exit 75 at once. Takes about a second; run by .ci/run.
# Usage: bench/lib-test.sh
set -euo pipefail
unset BENCH_ALLOW_LOAD BENCH_SETTLE   # from the caller's shell: the checks below set them where they need them
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
checks=0 failed=0
check() {   # NAME EXPECTED ACTUAL
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    failed=$((failed + 1))
    printf 'FAILED: %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3" >&2
  fi
}
contains() {   # NAME NEEDLE HAYSTACK
  checks=$((checks + 1))
  if [[ "$3" != *"$2"* ]]; then
    failed=$((failed + 1))
    printf 'FAILED: %s\n  expected to contain: %s\n  actual: %s\n' "$1" "$2" "$3" >&2
  fi
}
cores="$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)"
quiet="0.00 0.00 0.00 1/100 1"
loaded="$((cores + 1)).00 0.00 0.00 1/100 1"   # over 0.5 per core whatever the machine

# --- the numbers ---
{
  # shellcheck source=bench/lib.sh
  . "$root/bench/lib.sh"
  printf '3\n1\n2\n' >"$work/odd"
  printf '4\n1\n3\n2\n' >"$work/even"
  check "median and spread, odd count" "2 1 3" "$(bench_stats "$work/odd")"
  check "median of an even count: the mean of the middle two" "2.5 1 4" "$(bench_stats "$work/even")"
  check "spread" "2 (1-3)" "$(bench_spread "$work/odd")"
  printf '7\n7\n' >"$work/same"
  check "spread when every repeat gave the same" "7" "$(bench_spread "$work/same")"

  bench_report="$work/report-numbers"
  : >"$bench_report"
  printf '10\n20\n30\n' >"$work/base"
  printf '30\n40\n90\n' >"$work/measured"
  bench_time_header "command" "rows/s"
  bench_time_row "baseline" "$work/base" "$work/base" 1000
  bench_time_row "measured" "$work/measured" "$work/base" 1000
  check "ratio of the medians" "2" "$bench_ratio"
  check "per-repeat ratios" "3 2 3 " "$(tr '\n' ' ' <"$work/measured.ratios")"
  row="$(sed -n 3p "$bench_report")"
  contains "the row: median, min-max, rows/s at the median" "40         30-90      25000" "$row"
  contains "the row: ratio and the spread of the per-repeat ratios" "2.00x    2.00-3.00x" "$row"
  contains "the baseline's own row" "1.00x" "$(sed -n 2p "$bench_report")"
  bench_target "bulk vs the shell" le 2.5 "$bench_ratio" "$work/measured.ratios" "%.2fx"
  check "a target met by the median, and the repeats that met it" \
    "F	target: bulk vs the shell <= 2.50x: met (2.00x; met in 1 of 3 repeats)" "$(tail -1 "$bench_report")"
  bench_target "rows/s" ge 150000 120000 - "%.0f rows/s"
  check "a target not met, no repeats" "F	target: rows/s >= 150000 rows/s: NOT met (120000 rows/s)" \
    "$(tail -1 "$bench_report")"
  bench_target "snapshot vs text" le 1.2 0.9 - "%.2fx" size
  check "a target on sizes: not a figure load can change" "N	target: snapshot vs text <= 1.20x: met (0.90x)" \
    "$(tail -1 "$bench_report")"
  printf '0\n1\n0\n' >"$work/429s"
  bench_target "429s" eq 0 1 "$work/429s" "%d"
  check "an equality target, judged on the worst repeat" "F	target: 429s = 0: NOT met (1; met in 2 of 3 repeats)" \
    "$(tail -1 "$bench_report")"
}

# --- wrk's report, as bench/wrk.sh reads it ---
{
  # shellcheck source=bench/wrk.sh
  . "$root/bench/wrk.sh"
  cat >"$work/wrk-ms" <<'WRK'
Running 10s test @ http://127.0.0.1:8080/v1/ruc/20100038146
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   693.84us  510.23us  13.20ms   89.91%
    Req/Sec    22.53k     3.51k   27.07k    87.00%
  Latency Distribution
     50%  615.00us
     75%  799.00us
     90%    1.04ms
     99%    2.72ms
  448419 requests in 10.01s, 236.06MB read
Requests/sec:  44802.35
Transfer/sec:     23.59MB
WRK
  check "wrk: requests/s and a p99 in ms, no errors" "44802.35 2.720 0 0" "$(wrk_summary "$work/wrk-ms")"
  sed 's/ 99%    2.72ms/ 99%  950.00us/' "$work/wrk-ms" >"$work/wrk-us"
  check "wrk: a p99 in us" "44802.35 0.950 0 0" "$(wrk_summary "$work/wrk-us")"
  awk '{sub(/ 99%    2.72ms/, " 99%    1.25s"); print}
    /requests in/ {print "  Socket errors: connect 0, read 3, write 1, timeout 12"
      print "  Non-2xx or 3xx responses: 7"}' \
    "$work/wrk-ms" >"$work/wrk-s"
  check "wrk: a p99 in s, non-2xx and socket errors" "44802.35 1250.000 7 16" "$(wrk_summary "$work/wrk-s")"
  grep -v '99%' "$work/wrk-ms" >"$work/wrk-nolatency"
  code=0
  wrk_summary "$work/wrk-nolatency" >/dev/null 2>"$work/wrk-stderr" || code=$?
  check "wrk: a report without --latency fails" 1 "$code"
  contains "wrk: the failure names the file" "wrk-nolatency is not a finished wrk --latency report" \
    "$(cat "$work/wrk-stderr")"
}

# --- the load rule, on a benchmark of our own ---
cat >"$work/fake-bench.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
. "$root/bench/lib.sh"
bench_start "$work/fake"
echo started >&2
bench_say "%-10s %s" "what" "ms"
bench_row "%-10s %d" "one" 42
cp "\$END_LOAD" "\$BENCH_LOADAVG"
bench_finish
EOF
chmod +x "$work/fake-bench.sh"
mkdir -p "$work/fake"
fake() {   # START_LOAD END_LOAD [ENV...]: runs the fake benchmark; prints its stdout, then "exit N"
  echo "$1" >"$work/loadavg"
  echo "$2" >"$work/end-loadavg"
  local out code=0
  out="$(env BENCH_LOADAVG="$work/loadavg" END_LOAD="$work/end-loadavg" BENCH_SETTLE=0 "${@:3}" \
    "$work/fake-bench.sh" 2>"$work/fake-stderr")" || code=$?
  printf '%s\nexit %d\n' "$out" "$code"
}
out="$(fake "$quiet" "$quiet")"
contains "quiet: the start line names machine, cores, java and load" "start: machine: " "$out"
contains "quiet: cores and limit" "$cores cores; java: " "$out"
contains "quiet: the load average" "load average 0.00 0.00 0.00 (limit " "$out"
contains "quiet: the figure, unmarked" $'one        42\nend: machine: ' "$out"
contains "quiet: exit 0" "exit 0" "$out"

out="$(fake "$loaded" "$quiet")"
contains "loaded at the start: refused with the reason" \
  "refused: the 1-minute load average $((cores + 1)).00 at the start" \
  "$out"
contains "loaded at the start: exit 75" "exit 75" "$out"
check "loaded at the start: refused before any work" "" "$(grep started "$work/fake-stderr" || true)"

out="$(fake "$quiet" "$loaded")"
contains "loaded at the end: refused" "refused: the 1-minute load average $((cores + 1)).00 at the end" "$out"
check "loaded at the end: no figure printed" "" "$(grep -E '^one|^what' <<<"$out" || true)"
contains "loaded at the end: the end line" "end: machine: " "$out"
contains "loaded at the end: exit 75" "exit 75" "$out"

out="$(fake "$loaded" "$quiet" BENCH_ALLOW_LOAD=1)"
contains "allowed, loaded at the start: the figure marked" "one        42  LOADED: not a valid measurement" "$out"
contains "allowed: the header not marked" $'what       ms\none' "$out"
contains "allowed, loaded at the start: said at the end" "LOADED at the start (BENCH_ALLOW_LOAD=1)" "$out"
contains "allowed: exit 0" "exit 0" "$out"

out="$(fake "$quiet" "$loaded" BENCH_ALLOW_LOAD=1)"
contains "allowed, loaded at the end: the figure marked" "one        42  LOADED: not a valid measurement" "$out"
contains "allowed, loaded at the end: said" "LOADED at the end (BENCH_ALLOW_LOAD=1)" "$out"
contains "allowed, loaded at the end: the wait said" \
  "right after the last measurement: load average $((cores + 1)).00" \
  "$out"

# The run's own load decays after it: the end waits for that (a sleep of our own makes the machine quiet at once).
mkdir -p "$work/sleep"
printf '#!/bin/sh\necho "%s" >"%s"\n' "$quiet" "$work/loadavg" >"$work/sleep/sleep"
chmod +x "$work/sleep/sleep"
echo "$quiet" >"$work/loadavg"
echo "$loaded" >"$work/end-loadavg"
code=0
out="$(env PATH="$work/sleep:$PATH" BENCH_LOADAVG="$work/loadavg" END_LOAD="$work/end-loadavg" BENCH_SETTLE=60 \
  "$work/fake-bench.sh" 2>"$work/fake-stderr")" || code=$?
contains "own load decayed: the figure, unmarked" $'one        42\nend: machine: ' "$out"
contains "own load decayed: the wait said" "load average $((cores + 1)).00 0.00 0.00; then 5 s of waiting" "$out"
check "own load decayed: exit 0" 0 "$code"
echo "$loaded" >"$work/end-loadavg"
printf '#!/bin/sh\n' >"$work/sleep/sleep"   # a machine that stays loaded: refused after BENCH_SETTLE
code=0
out="$(env PATH="$work/sleep:$PATH" BENCH_LOADAVG="$work/loadavg" END_LOAD="$work/end-loadavg" BENCH_SETTLE=60 \
  "$work/fake-bench.sh" 2>"$work/fake-stderr")" || code=$?
check "stays loaded: refused after the wait" 75 "$code"
contains "stays loaded: the wait said" "waiting up to 60 s" "$(cat "$work/fake-stderr")"

# --- every benchmark applies it before any work ---
# (sqlite3, redis-server, wrk and nginx of our own, which only tell a version: a script checks for its tools before it
# starts, and CI's machine need not have them; the scripts must not use them before the load rule.)
echo "$loaded" >"$work/loadavg"
mkdir -p "$work/tools"
for tool in sqlite3 redis-server redis-cli wrk nginx; do
  cat >"$work/tools/$tool" <<EOF
#!/bin/sh
{ [ "\$1" = --version ] || [ "\$1" = -v ]; } && echo "$tool 0.0 fake" && exit 0
echo "$tool used before the load rule" >&2
exit 1
EOF
  chmod +x "$work/tools/$tool"
done
for script in "$root"/bench/*.sh; do
  case "$(basename "$script")" in lib.sh | lib-test.sh | redis-server.sh | wrk.sh) continue ;; esac
  code=0
  out="$(PATH="$work/tools:$PATH" BENCH_LOADAVG="$work/loadavg" timeout 20 "$script" 2>&1)" || code=$?
  check "$(basename "$script"): exit 75 when loaded at the start" 75 "$code"
  contains "$(basename "$script"): the machine line" "start: machine: " "$out"
  contains "$(basename "$script"): refused" "refused: the 1-minute load average" "$out"
done

if ((failed)); then
  echo "bench/lib-test.sh: $failed of $checks checks FAILED" >&2
  exit 1
fi
echo "bench/lib-test.sh: $checks checks, all passed"
