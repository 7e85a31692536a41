#!/usr/bin/env bash
# Redis store benchmark: ROWS RUCs, every answer cached, read from a Redis store on loopback and from the SQLite file,
# side by side in one run (interleaved). Target: Redis within 2x of SQLite.
#   1. Store.findAll of all ROWS RUCs in windows of 4096 (as bulk reads the store), by bench/StoreBench.java: on the
#      SQLite file, on Redis with answers of one provider, and on Redis where three providers have stored answers
#      (migo, local, manual: a lookup then reads three keys per RUC, as in a cache used for a while).
#   2. `bin/ruc-cache stats` on each store: on Redis it walks every answer with SCAN.
#   3. `bin/ruc-cache bulk --offline` of a ROWS-row CSV on each store.
# Each figure: the median of RUNS runs (passes in one JVM for 1; interleaved processes for 2 and 3), their spread
# (min-max), the ratio of the medians to SQLite's and the spread of the per-run ratios. The machine, Java and load are
# printed at the start and the end; a loaded machine is refused (bench/lib.sh).
# Usage: bench/bulk-redis.sh [ROWS] [RUNS]   (default 1000000 rows, 3 runs each)
# Needs Java 17+, Maven for the first build, and redis-server (Debian/Ubuntu: apt-get install -y redis-server).
# Starts its own redis-server on a free loopback port, without persistence, and stops it at the end.
set -euo pipefail
rows="${1:-1000000}"
runs="${2:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=bench/redis-server.sh
. "$root/bench/redis-server.sh"
trap 'stop_redis_server; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work" "$(redis-server --version 2>/dev/null | cut -d' ' -f1-3)"
start_redis_server "$work"

export RUC_CACHE_HOME="$work/home" RUC_CACHE_CONFIG=/dev/null RUC_CACHE_PROVIDERS=""
"$root/bin/ruc-cache" --version >/dev/null                     # builds the jar once
bench() { "$java" -cp "$root/target/ruc-cache.jar" "$root/bench/StoreBench.java" "$@"; }
sqlite="$work/cache.db"
redis="redis://127.0.0.1:$port/0"
redis3="redis://127.0.0.1:$port/1"

echo "seeding $rows answers into SQLite, Redis db 0 and Redis db 1 (plus local and manual answers)..." >&2
bench seed "$sqlite" "$rows"
bench seed "$redis" "$rows"
bench seed "$redis3" "$rows" local,manual
used="$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}')"

bench_label_width=48
bench_say "%s" "$(awk -v b="$used" -v n="$rows" 'BEGIN {
  printf "Redis memory for %d answers (twice: db 0 and db 1): %.0f MiB, %.0f bytes per answer", n, b / 1048576,
    b / (2 * n) }')"

echo "1. Store.findAll, $runs passes on each store..." >&2
bench_say ""
bench_say "1. Store.findAll of %s RUCs in windows of 4096; %s passes after a warm-up, one JVM per store" "$rows" "$runs"
bench findall "$sqlite" "$rows" 4096 "$runs" | cut -d' ' -f1 >"$work/f-sqlite"
bench findall "$redis" "$rows" 4096 "$runs" | cut -d' ' -f1 >"$work/f-redis"
bench findall "$redis3" "$rows" 4096 "$runs" | cut -d' ' -f1 >"$work/f-redis3"
bench_time_header "store" "RUCs/s"
bench_time_row "SQLite file (baseline)" "$work/f-sqlite" "$work/f-sqlite" "$rows"
bench_time_row "Redis, 1 provider (1 key per RUC)" "$work/f-redis" "$work/f-sqlite" "$rows"
bench_time_row "Redis, 3 providers (3 keys per RUC)" "$work/f-redis3" "$work/f-sqlite" "$rows"
bench_target "findAll on Redis (3 providers) vs SQLite" le 2 "$bench_ratio" "$work/f-redis3.ratios" "%.2fx"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

echo "2. stats, $runs runs on each store..." >&2
: >"$work/s-sqlite"; : >"$work/s-redis"
for _ in $(seq "$runs"); do
  ms "$root/bin/ruc-cache" --store "$sqlite" stats >>"$work/s-sqlite"
  ms "$root/bin/ruc-cache" --store "$redis" stats >>"$work/s-redis"
done
bench_say ""
bench_say "2. bin/ruc-cache stats, %s interleaved runs, wall time with JVM start" "$runs"
bench_time_header "store"
bench_time_row "stats on the SQLite file (baseline)" "$work/s-sqlite" "$work/s-sqlite"
bench_time_row "stats on Redis (SCAN of $rows keys)" "$work/s-redis" "$work/s-sqlite"

echo "3. bulk, $runs runs on each store..." >&2
bench csv "$work/input.csv" "$rows"
bulk() {   # store
  "$root/bin/ruc-cache" --store "$1" bulk -q --offline --output "$work/out.csv" "$work/input.csv"
}
ms bulk "$sqlite" >/dev/null    # warm the page cache
: >"$work/b-sqlite"; : >"$work/b-redis"; : >"$work/b-redis3"
for _ in $(seq "$runs"); do
  ms bulk "$sqlite" >>"$work/b-sqlite"
  ms bulk "$redis" >>"$work/b-redis"
  ms bulk "$redis3" >>"$work/b-redis3"
done
bench_say ""
bench_say "3. bin/ruc-cache bulk --offline of %s rows, all cached; %s interleaved runs, wall time with JVM start" \
  "$rows" "$runs"
bench_time_header "store" "rows/s"
bench_time_row "bulk on the SQLite file (baseline)" "$work/b-sqlite" "$work/b-sqlite" "$rows"
bench_time_row "bulk on Redis, 1 provider" "$work/b-redis" "$work/b-sqlite" "$rows"
bench_time_row "bulk on Redis, 3 providers" "$work/b-redis3" "$work/b-sqlite" "$rows"
bench_target "bulk on Redis (3 providers) vs SQLite" le 2 "$bench_ratio" "$work/b-redis3.ratios" "%.2fx"
bench_finish
