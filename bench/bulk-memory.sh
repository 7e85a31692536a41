#!/usr/bin/env bash
# Bulk memory benchmark: the same command on inputs of growing size, at RUC_CACHE_JAVA_OPTS=-Xmx64m, all answers
# in the cache. Memory must follow the number of distinct RUCs (one long each) and the windows in flight, not the
# file size. Prints wall time, peak RSS, and the Java heap's peak and live size (after GC) from the GC log.
# Usage: bench/bulk-memory.sh   (needs Java 17+, Maven for the first build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
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
  s=$(date +%s%N)
  rss=$( { RUC_CACHE_HOME="$home" RUC_CACHE_CONFIG=/dev/null RUC_CACHE_PROVIDERS="" \
    RUC_CACHE_JAVA_OPTS="-Xmx64m -Xlog:gc:file=$work/gc.log" /usr/bin/time -f '%M' "$root/bin/ruc-cache" bulk -q \
    --offline --output "$work/out.csv" "$work/in.csv"; } 2>&1 | tail -1 )
  e=$(date +%s%N)
  [[ $(wc -l <"$work/out.csv") -eq $((rows + 1)) ]] || { echo "wrong number of output rows" >&2; exit 1; }
  awk -v r="$rows" -v d="$distinct" -v mb="$size" -v ms=$(( (e - s) / 1000000 )) -v rss="$rss" '
    match($0, /[0-9]+M->[0-9]+M/) { split(substr($0, RSTART, RLENGTH), p, /M->|M/); if (p[1] > peak) peak = p[1];
      if (p[2] > live) live = p[2] }
    END { printf "%9d %9d %7d %8d %9d %9d %9d\n", r, d, mb, ms, rss / 1024, peak, live }' "$work/gc.log"
  rm -f "$work/gc.log" "$work/unused.db"
}

cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores; $("$java" -version 2>&1 | head -1); -Xmx64m, all RUCs cached"
printf '%9s %9s %7s %8s %9s %9s %9s\n' "rows" "distinct" "MiB in" "ms" "RSS MiB" "heap MiB" "live MiB"
run 100000 1000
run 1000000 1000
run 3000000 1000
run 1000000 1000000
echo "heap: the largest heap in use before a collection; live: the largest left after one (an upper bound on what"
echo "the run holds: young collections leave old garbage in place)."
echo "RSS includes the cache file's pages mapped by SQLite (shared page cache, not Java memory)."
