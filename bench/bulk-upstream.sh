#!/usr/bin/env bash
# Bulk benchmark, upstream-bound: every RUC is a miss, answered by a local stub (bench/StubServer.java) with 100 ms
# latency and a strict limit of its own over any sliding second: the --rate given (429 for the request that would
# make rate + 1 in one second), else 100. Each distinct RUC appears 3 times in the input, scrambled. Targets (issue
# 12): distinct misses resolve at >= 0.95 of the ideal, min(--rate, concurrency / latency), with zero 429s; zero
# duplicate calls.
# The rate is measured at the stub, from its first request to its last answer, and also over the whole command. The
# stub's own code is warmed with 3000 uncounted requests before each run (curl), so its JIT is not counted.
# Each scenario runs RUNS times (the scenarios interleaved): the median and the spread (min-max) of each rate, the
# most calls, duplicates, 429s and busiest second of any run. The machine, Java and load are printed at the start and
# the end; a loaded machine is refused (bench/lib.sh).
# Usage: bench/bulk-upstream.sh [RUNS]   (default 3; needs Java 17+, Maven for the first build)
set -euo pipefail
runs="${1:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
stub=""
trap '[[ -n "$stub" ]] && kill "$stub" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work"
latency_ms=100
"$root/bin/ruc-cache" --version >/dev/null

run() {   # key distinct concurrency rate(or -): one run of a scenario, its figures added to $work/KEY.*
  local key="$1" distinct="$2" conc="$3" rate="$4" limit=100
  [[ "$rate" != "-" ]] && limit="$rate"
  "$java" "$root/bench/StubServer.java" "$work/port" "$latency_ms" "$limit" & stub=$!
  for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  local port; port="$(cat "$work/port")"
  # The stub's own code warmed first (answered at once, not counted): its JIT is not the tool's time.
  curl -sf "http://127.0.0.1:$port/warmup/[1-3000]" >/dev/null || { echo "the stub did not answer" >&2; exit 1; }
  # The CSV only: its RUCs are not in the cache the run uses, so every one is a miss.
  "$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$work/unused.db" "$distinct" \
    "$work/in.csv" $((distinct * 3)) >/dev/null
  rm -rf "$work/home"
  local args=(bulk -q --concurrency "$conc" --output "$work/out.csv" "$work/in.csv")
  [[ "$rate" != "-" ]] && args+=(--rate "$rate")
  local s e
  s=$(date +%s%N)
  RUC_CACHE_HOME="$work/home" RUC_CACHE_CONFIG=/dev/null RUC_CACHE_PROVIDERS=migo RUC_CACHE_MIGO_TOKEN=bench \
    RUC_CACHE_MIGO_URL="http://127.0.0.1:$port/api/v2" "$root/bin/ruc-cache" "${args[@]}" || {
      echo "bulk failed (exit $?)" >&2; exit 1; }
  e=$(date +%s%N)
  local stats
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  stats="$(tail -1 <&3)"
  exec 3>&-
  kill "$stub"; wait "$stub" 2>/dev/null || true; stub=""; rm -f "$work/port"
  local requests dup rejected peak window
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$stats")
  peak=$(sed -E 's/.*peak_1s=([0-9]+).*/\1/' <<<"$stats")
  dup=$(sed -E 's/.*duplicates=([0-9]+).*/\1/' <<<"$stats")
  rejected=$(sed -E 's/.*rejected=([0-9]+).*/\1/' <<<"$stats")
  window=$(sed -E 's/.*window_ms=([0-9]+).*/\1/' <<<"$stats")
  local wall=$(( (e - s) / 1000000 ))
  echo "$requests" >>"$work/$key.calls"
  echo "$dup" >>"$work/$key.dup"
  echo "$rejected" >>"$work/$key.429"
  echo "$peak" >>"$work/$key.peak"
  awk -v d="$distinct" -v w="$window" 'BEGIN {print (d - 1) * 1000 / w}' >>"$work/$key.at-stub"
  awk -v d="$distinct" -v wall="$wall" 'BEGIN {print d * 1000 / wall}' >>"$work/$key.overall"
}

bound() {   # concurrency rate(or -): the ideal, min(--rate, concurrency / latency)
  awk -v c="$1" -v l="$latency_ms" -v r="$2" 'BEGIN {b = c * 1000 / l; if (r != "-" && r < b) b = r; print b}'
}

report() {   # key name distinct concurrency rate(or -)
  local key="$1" name="$2" distinct="$3" b
  b="$(bound "$4" "$5")"
  awk -v b="$b" '{print $1 / b}' "$work/$key.at-stub" >"$work/$key.share"
  worst() { bench_stats "$1" | cut -d' ' -f3; }
  bench_row '%-30s %5d %5d %4d %4d %5d %18s %18s %6.1f %20s' "$name" "$distinct" "$(worst "$work/$key.calls")" \
    "$(worst "$work/$key.dup")" "$(worst "$work/$key.429")" "$(worst "$work/$key.peak")" \
    "$(bench_spread "$work/$key.at-stub" %.1f)" "$(bench_spread "$work/$key.overall" %.1f)" "$b" \
    "$(bench_spread "$work/$key.share" %.3f)"
}

targets() {   # key name
  local key="$1" name="$2"
  bench_target "ratio to the ideal ($name)" ge 0.95 "$(bench_stats "$work/$key.share" | cut -d' ' -f1)" \
    "$work/$key.share" "%.3f"
  bench_target "429s in any run ($name)" eq 0 "$(bench_stats "$work/$key.429" | cut -d' ' -f3)" "$work/$key.429" "%d"
  bench_target "duplicate calls in any run ($name)" eq 0 "$(bench_stats "$work/$key.dup" | cut -d' ' -f3)" \
    "$work/$key.dup" "%d"
}

scenarios=("r50|--concurrency 8 --rate 50|600|8|50" "c8|--concurrency 8 (no --rate)|800|8|-"
  "r90|--concurrency 16 --rate 90|900|16|90")
for i in $(seq "$runs"); do
  for scenario in "${scenarios[@]}"; do
    IFS='|' read -r key name distinct conc rate <<<"$scenario"
    echo "run $i of $runs: $name..." >&2
    run "$key" "$distinct" "$conc" "$rate"
  done
done

bench_say "stub: %s ms latency, a strict limit over any sliding second of --rate (else 100) requests; %s" \
  "$latency_ms" "each RUC 3 times in the input"
bench_say "%s runs of each scenario, interleaved; calls, dup, 429 and peak: the most in any run; RUC/s (at the stub)," \
  "$runs"
bench_say "overall (with the JVM's start) and the ratio to the ideal (min(--rate, concurrency / latency)):"
bench_say "median (min-max)"
bench_say '%-30s %5s %5s %4s %4s %5s %18s %18s %6s %20s' "scenario" "RUCs" "calls" "dup" "429" "peak" "RUC/s" \
  "overall" "ideal" "ratio to the ideal"
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r key name distinct conc rate <<<"$scenario"
  report "$key" "$name" "$distinct" "$conc" "$rate"
done
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r key name _ <<<"$scenario"
  targets "$key" "$name"
done
bench_finish
