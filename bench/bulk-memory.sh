#!/usr/bin/env bash
# Bulk memory benchmark: the same command on inputs of growing size, at RUC_CACHE_JAVA_OPTS=-Xmx64m, all answers
# in the cache. Memory must follow the number of distinct RUCs (one long each) and the windows in flight, not the
# file size. Prints wall time, peak RSS, and the Java heap's peak and live size (after GC) from the GC log.
# Each size runs RUNS times in a row: the median of each figure and its spread (min-max). The machine, Java and load
# are printed at the start and the end; a loaded machine is refused (bench/lib.sh).
# Usage: bench/bulk-memory.sh [RUNS]   (default 3; needs Java 17+, Maven for the first build)
set -euo pipefail
runs="${1:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$root/bin/ruc-cache" --version >/dev/null

run() {   # rows distinct
  local rows="$1" distinct="$2" home="$work/home-$2"
  if [[ ! -f "$home/cache.db" ]]; then
    "$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$home/cache.db" "$distinct"
  fi
  "$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$work/unused.db" "$distinct" \
    "$work/in.csv" "$rows"
  local size s e rss
  size=$(( $(stat -c %s "$work/in.csv") / 1048576 ))
  echo "$rows rows, $distinct distinct: $runs runs..." >&2
  : >"$work/ms"; : >"$work/rss"; : >"$work/heap"; : >"$work/live"
  for _ in $(seq "$runs"); do
    s=$(date +%s%N)
    rss=$( { RUC_CACHE_HOME="$home" RUC_CACHE_CONFIG=/dev/null RUC_CACHE_PROVIDERS="" \
      RUC_CACHE_JAVA_OPTS="-Xmx64m -Xlog:gc:file=$work/gc.log" /usr/bin/time -f '%M' "$root/bin/ruc-cache" bulk -q \
      --offline --output "$work/out.csv" "$work/in.csv"; } 2>&1 | tail -1 )
    e=$(date +%s%N)
    [[ $(wc -l <"$work/out.csv") -eq $((rows + 1)) ]] || { echo "wrong number of output rows" >&2; exit 1; }
    echo $(( (e - s) / 1000000 )) >>"$work/ms"
    echo $((rss / 1024)) >>"$work/rss"
    awk -v heap="$work/heap" -v live="$work/live" '
      match($0, /[0-9]+M->[0-9]+M/) { split(substr($0, RSTART, RLENGTH), p, /M->|M/); if (p[1] > peak) peak = p[1];
        if (p[2] > left) left = p[2] }
      END { print peak + 0 >>heap; print left + 0 >>live }' "$work/gc.log"
    rm -f "$work/gc.log"
  done
  bench_row '%9d %9d %7d %20s %16s %14s %14s' "$rows" "$distinct" "$size" "$(bench_spread "$work/ms")" \
    "$(bench_spread "$work/rss")" "$(bench_spread "$work/heap")" "$(bench_spread "$work/live")"
  rm -f "$work/unused.db"
}

bench_say "-Xmx64m, all RUCs cached; %s runs of each size: median (min-max)" "$runs"
bench_say '%9s %9s %7s %20s %16s %14s %14s' "rows" "distinct" "MiB in" "ms" "RSS MiB" "heap MiB" "live MiB"
run 100000 1000
run 1000000 1000
run 3000000 1000
run 1000000 1000000
bench_say "heap: the largest heap in use before a collection; live: the largest left after one (an upper bound on what"
bench_say "the run holds: young collections leave old garbage in place)."
bench_say "RSS includes the cache file's pages mapped by SQLite (shared page cache, not Java memory)."
bench_finish
