#!/usr/bin/env bash
# Several processes sharing one Redis, against a local stub provider (bench/StubServer.java, APIMIGO's shape, with
# LATENCY ms per answer and no limit of its own that matters here), side by side with the same processes on SQLite:
#   1. PROCS processes, each `bulk --rate RATE` over RUCs of its own: on Redis they share one bucket, so together
#      they send about RATE requests/s and at most RATE in any one second at the stub (target); each on its own
#      SQLite file sends RATE of its own.
#   2. PROCS processes started together over the same RUCs, no --rate: on Redis each RUC is asked once between them
#      (target: 0 duplicate calls); on one shared SQLite file they do not coordinate, and duplicates show.
# The combined rate is measured at the stub, from its first request to its last answer.
# Each scenario runs RUNS times (the scenarios interleaved): the median and the spread (min-max) of each figure; the
# targets are judged on the worst run. The machine, Java and load are printed at the start and the end; a loaded
# machine is refused (bench/lib.sh).
# Usage: bench/shared-rate.sh [PROCS] [RUCS_EACH] [RATE] [RUNS]
#   (default 3 processes, 50 RUCs each, --rate 10, 3 runs)
# Needs Java 17+, Maven for the first build, and redis-server (Debian/Ubuntu: apt-get install -y redis-server).
set -euo pipefail
procs="${1:-3}"
each="${2:-50}"
rate="${3:-10}"
runs="${4:-3}"
latency_ms=100
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=bench/redis-server.sh
. "$root/bench/redis-server.sh"
stub=""
trap '[[ -n "$stub" ]] && kill "$stub" 2>/dev/null; stop_redis_server; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work" "$(redis-server --version 2>/dev/null | cut -d' ' -f1-3)"
start_redis_server "$work"
"$root/bin/ruc-cache" --version >/dev/null                     # builds the jar once

# RUCs of their own: every PROCS-th row of one CSV of PROCS x RUCS_EACH distinct RUCs; the same RUCs: the whole CSV.
# (SeedCache also fills a cache file with them; that file is not used.)
"$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$work/unused.db" $((procs * each)) \
  "$work/all.csv" $((procs * each)) >/dev/null
for p in $(seq "$procs"); do
  { head -1 "$work/all.csv"; tail -n +2 "$work/all.csv" | awk -v p="$p" -v n="$procs" 'NR % n == p % n'; } \
    >"$work/own-$p.csv"
done

run() {   # key store(redis|sqlite-own|sqlite-shared) input(own|same) rate(or -): one run, added to $work/KEY.*
  local key="$1" store="$2" input="$3" r="$4"
  redis-cli -p "$port" flushall >/dev/null
  rm -rf "$work"/home-* "$work/shared.db"*
  "$java" "$root/bench/StubServer.java" "$work/port" "$latency_ms" 100000 & stub=$!
  for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  local stub_port pids=() p
  stub_port="$(cat "$work/port")"
  for p in $(seq "$procs"); do
    local s="redis://127.0.0.1:$port/0" in="$work/all.csv"
    [[ "$store" == sqlite-own ]] && s="$work/home-$p/cache.db"
    [[ "$store" == sqlite-shared ]] && s="$work/shared.db"
    [[ "$input" == own ]] && in="$work/own-$p.csv"
    local args=(--store "$s" bulk -q --concurrency 8 --output "$work/out-$p.csv" "$in")
    [[ "$r" != "-" ]] && args+=(--rate "$r")
    RUC_CACHE_HOME="$work/home-$p" RUC_CACHE_CONFIG=/dev/null RUC_CACHE_PROVIDERS=migo RUC_CACHE_MIGO_TOKEN=bench \
      RUC_CACHE_MIGO_URL="http://127.0.0.1:$stub_port/api/v2" "$root/bin/ruc-cache" "${args[@]}" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "a bulk run failed" >&2; exit 1; }; done
  local stats
  exec 3<>"/dev/tcp/127.0.0.1/$stub_port"
  printf 'GET /stats HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  stats="$(tail -1 <&3)"
  exec 3>&-
  kill "$stub"; wait "$stub" 2>/dev/null || true; stub=""; rm -f "$work/port"
  local requests distinct dup peak window
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$stats")
  peak=$(sed -E 's/.*peak_1s=([0-9]+).*/\1/' <<<"$stats")
  distinct=$(sed -E 's/.*distinct=([0-9]+).*/\1/' <<<"$stats")
  dup=$(sed -E 's/.*duplicates=([0-9]+).*/\1/' <<<"$stats")
  window=$(sed -E 's/.*window_ms=([0-9]+).*/\1/' <<<"$stats")
  echo "$requests" >>"$work/$key.calls"
  echo "$distinct" >>"$work/$key.rucs"
  echo "$dup" >>"$work/$key.dup"
  echo "$peak" >>"$work/$key.peak"
  awk -v rq="$requests" -v w="$window" 'BEGIN {print (rq - 1) * 1000 / w}' >>"$work/$key.rps"
}

scenarios=("r-redis|1. --rate $rate each, own RUCs ($each each), on one Redis|redis|own|$rate"
  "r-own|   --rate $rate each, own RUCs ($each each), each on its own SQLite|sqlite-own|own|$rate"
  "s-redis|2. no --rate, the same $((procs * each)) RUCs, on one Redis|redis|same|-"
  "s-shared|   no --rate, the same $((procs * each)) RUCs, on one SQLite file|sqlite-shared|same|-")
for i in $(seq "$runs"); do
  for scenario in "${scenarios[@]}"; do
    IFS='|' read -r key label store input r <<<"$scenario"
    echo "run $i of $runs: $(sed -E 's/^ *([0-9]\. )?//' <<<"$label")..." >&2
    run "$key" "$store" "$input" "$r"
  done
done

bench_say "stub: %s ms per answer; %s processes started together, bulk --concurrency 8 each" "$latency_ms" "$procs"
bench_say "%s runs of each scenario, interleaved: median (min-max)" "$runs"
bench_say '%-68s %12s %12s %12s %18s %12s' "scenario" "calls" "RUCs" "dup" "calls/s" "peak"
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r key label _ <<<"$scenario"
  bench_row '%-68s %12s %12s %12s %18s %12s' "$label" "$(bench_spread "$work/$key.calls")" \
    "$(bench_spread "$work/$key.rucs")" "$(bench_spread "$work/$key.dup")" "$(bench_spread "$work/$key.rps" %.1f)" \
    "$(bench_spread "$work/$key.peak")"
done
bench_target "the busiest second at the stub, --rate $rate each on one Redis" le "$rate" \
  "$(bench_stats "$work/r-redis.peak" | cut -d' ' -f3)" "$work/r-redis.peak" "%d"
bench_target "duplicate calls, the same RUCs on one Redis" eq 0 "$(bench_stats "$work/s-redis.dup" | cut -d' ' -f3)" \
  "$work/s-redis.dup" "%d"
bench_finish
