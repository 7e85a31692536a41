#!/usr/bin/env bash
# Redis store benchmark: ROWS RUCs, every answer cached, read from a Redis store on loopback and from the SQLite file,
# side by side in one run (interleaved). Target: Redis within 2x of SQLite.
#   1. Store.findAll of all ROWS RUCs in windows of 4096 (as bulk reads the store), by bench/StoreBench.java: on the
#      SQLite file, on Redis with answers of one provider, and on Redis where three providers have stored answers
#      (migo, local, manual: a lookup then reads three keys per RUC, as in a cache used for a while).
#   2. `bin/ruc-cache stats` on each store: on Redis it walks every answer with SCAN.
#   3. `bin/ruc-cache bulk --offline` of a ROWS-row CSV on each store.
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

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 \
  | head -1); $(redis-server --version | cut -d' ' -f1-3)"
awk -v b="$used" -v n="$rows" 'BEGIN {printf "Redis memory for %d answers (twice: db 0 and db 1): %.0f MiB, %.0f bytes per answer\n", n, b / 1048576, b / (2 * n)}'

echo
echo "1. Store.findAll of $rows RUCs in windows of 4096; median of $runs passes after a warm-up, one JVM per store"
printf '%-48s %8s %12s %7s\n' "store" "ms" "RUCs/s" "ratio"
bench findall "$sqlite" "$rows" 4096 "$runs" | cut -d' ' -f1 >"$work/f-sqlite"
bench findall "$redis" "$rows" 4096 "$runs" | cut -d' ' -f1 >"$work/f-redis"
bench findall "$redis3" "$rows" 4096 "$runs" | cut -d' ' -f1 >"$work/f-redis3"
s_ms="$(median <"$work/f-sqlite")"
row() {   # label ms
  awk -v l="$1" -v m="$2" -v s="$s_ms" -v n="$rows" 'BEGIN {printf "%-48s %8d %12d %6.2fx\n", l, m, n * 1000 / m, m / s}'
}
row "SQLite file" "$s_ms"
row "Redis, 1 provider (1 key per RUC)" "$(median <"$work/f-redis")"
row "Redis, 3 providers (3 keys per RUC)" "$(median <"$work/f-redis3")"
worst="$(median <"$work/f-redis3")"
awk -v r="$worst" -v s="$s_ms" 'BEGIN {printf "target: Redis within 2x of SQLite: %s (%.2fx, 3 providers)\n", (r <= 2 * s ? "met" : "NOT met"), r / s}'

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

echo
echo "2. bin/ruc-cache stats, one run each, wall time with JVM start"
printf '%-48s %8s\n' "store" "ms"
printf '%-48s %8d\n' "stats on the SQLite file" "$(ms "$root/bin/ruc-cache" --store "$sqlite" stats)"
printf '%-48s %8d\n' "stats on Redis (SCAN of $rows keys)" "$(ms "$root/bin/ruc-cache" --store "$redis" stats)"

echo
echo "3. bin/ruc-cache bulk --offline of $rows rows, all cached; median of $runs interleaved runs, wall time with JVM start"
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
s_ms="$(median <"$work/b-sqlite")"
printf '%-48s %8s %12s %7s\n' "store" "ms" "rows/s" "ratio"
row "bulk on the SQLite file" "$s_ms"
row "bulk on Redis, 1 provider" "$(median <"$work/b-redis")"
row "bulk on Redis, 3 providers" "$(median <"$work/b-redis3")"
worst="$(median <"$work/b-redis3")"
awk -v r="$worst" -v s="$s_ms" 'BEGIN {printf "target: bulk on Redis within 2x of SQLite: %s (%.2fx, 3 providers)\n", (r <= 2 * s ? "met" : "NOT met"), r / s}'
