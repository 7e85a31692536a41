#!/usr/bin/env bash
# Bulk benchmark, upstream-bound: every RUC is a miss, answered by a local stub (bench/StubServer.java) with 100 ms
# latency and a strict limit of its own over any sliding second: the --rate given (429 for the request that would
# make rate + 1 in one second), else 100. Each distinct RUC appears 3 times in the input, scrambled. Targets:
# distinct misses resolve at >= 95% of --rate with zero 429s, or without --rate at >= 90% of concurrency / latency;
# zero duplicate calls.
# The rate is measured at the stub, from its first request to its last answer, and also over the whole command.
# Usage: bench/bulk-upstream.sh   (needs Java 17+, Maven for the first build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
stub=""
trap '[[ -n "$stub" ]] && kill "$stub" 2>/dev/null; rm -rf "$work"' EXIT
latency_ms=100
"$root/bin/ruc-cache" --version >/dev/null

run() {   # name distinct concurrency rate(or -)
  local name="$1" distinct="$2" conc="$3" rate="$4" limit=100
  [[ "$rate" != "-" ]] && limit="$rate"
  "$java" "$root/bench/StubServer.java" "$work/port" "$latency_ms" "$limit" & stub=$!
  for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  local port; port="$(cat "$work/port")"
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
  local bound
  bound=$(awk -v c="$conc" -v l="$latency_ms" -v r="$rate" 'BEGIN {b = c * 1000 / l; if (r != "-" && r < b) b = r; print b}')
  awk -v n="$name" -v d="$distinct" -v rq="$requests" -v dup="$dup" -v rj="$rejected" -v pk="$peak" -v w="$window" \
    -v wall="$wall" -v b="$bound" -v r="$rate" 'BEGIN {
      at_stub = (d - 1) * 1000 / w; overall = d * 1000 / wall; share = (r != "-" ? 0.95 : 0.9);
      met = at_stub >= share * b && dup == 0 && (r == "-" || rj == 0);
      printf "%-30s %5d %5d %4d %4d %5d %7.1f %7.1f %6.1f %5.1f%%  %s\n", n, d, rq, dup, rj, pk, at_stub, overall, b,
        100 * at_stub / b, (met ? "met" : "NOT met") }'
}

cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 \
  | head -1)"
echo "stub: ${latency_ms} ms latency, a strict limit over any sliding second of --rate (else 100) requests;" \
  "each RUC 3 times in the input"
printf '%-30s %5s %5s %4s %4s %5s %7s %7s %6s %6s  %s\n' "scenario" "RUCs" "calls" "dup" "429" "peak" "RUC/s" \
  "overall" "bound" "share" "target (>= 95% of --rate and 0 429s, else >= 90%; 0 dup)"
run "--concurrency 8 --rate 50" 600 8 50
run "--concurrency 8 (no --rate)" 800 8 -
run "--concurrency 16 --rate 90" 900 16 90
