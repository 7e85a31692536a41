#!/usr/bin/env bash
# Several processes sharing one Redis, against a local stub provider (bench/StubServer.java, APIMIGO's shape, with
# LATENCY ms per answer and no limit of its own that matters here), side by side with the same processes on SQLite:
#   1. PROCS processes, each `bulk --rate RATE` over RUCs of its own: on Redis they share one bucket, so together
#      they send about RATE requests/s and at most RATE in any one second at the stub (target); each on its own
#      SQLite file sends RATE of its own.
#   2. PROCS processes started together over the same RUCs, no --rate: on Redis each RUC is asked once between them
#      (target: 0 duplicate calls); on one shared SQLite file they do not coordinate, and duplicates show.
# The combined rate is measured at the stub, from its first request to its last answer.
# Usage: bench/shared-rate.sh [PROCS] [RUCS_EACH] [RATE]   (default 3 processes, 50 RUCs each, --rate 10)
# Needs Java 17+, Maven for the first build, and redis-server (Debian/Ubuntu: apt-get install -y redis-server).
set -euo pipefail
procs="${1:-3}"
each="${2:-50}"
rate="${3:-10}"
latency_ms=100
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=bench/redis-server.sh
. "$root/bench/redis-server.sh"
stub=""
trap '[[ -n "$stub" ]] && kill "$stub" 2>/dev/null; stop_redis_server; rm -rf "$work"' EXIT
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

run() {   # label store(redis|sqlite-own|sqlite-shared) input(own|same) rate(or -) target(rate|nodup|-)
  local label="$1" store="$2" input="$3" r="$4" target="$5"
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
  awk -v l="$label" -v rq="$requests" -v d="$distinct" -v dup="$dup" -v pk="$peak" -v w="$window" -v t="$target" \
    -v r="$rate" '
    BEGIN {
      rps = (rq - 1) * 1000 / w; verdict = "";
      if (t == "rate") verdict = (pk <= r ? "met" : "NOT met") " (<= " r " in any second)";
      if (t == "nodup") verdict = (dup == 0 ? "met" : "NOT met") " (0 duplicates)";
      printf "%-68s %6d %6d %5d %9.1f %5d  %s\n", l, rq, d, dup, rps, pk, verdict }'
}

cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 \
  | head -1); $(redis-server --version | cut -d' ' -f1-3)"
echo "stub: ${latency_ms} ms per answer; $procs processes started together, bulk --concurrency 8 each"
printf '%-68s %6s %6s %5s %9s %5s  %s\n' "scenario" "calls" "RUCs" "dup" "calls/s" "peak" "target"
run "1. --rate $rate each, own RUCs ($each each), on one Redis" redis own "$rate" rate
run "   --rate $rate each, own RUCs ($each each), each on its own SQLite" sqlite-own own "$rate" -
run "2. no --rate, the same $((procs * each)) RUCs, on one Redis" redis same - nodup
run "   no --rate, the same $((procs * each)) RUCs, on one SQLite file" sqlite-shared same - -
