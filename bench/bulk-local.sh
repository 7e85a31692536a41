#!/usr/bin/env bash
# Bulk benchmark, all answers local: ROWS rows whose RUCs are all in the cache, checked by
# `bin/ruc-cache bulk` at RUC_CACHE_JAVA_OPTS=-Xmx64m, against the sqlite3 shell joining the same CSV with the same
# entries table in the same run (the floor: import, join, write CSV; no RUC checks). Prints rows/s and the ratio.
# Targets: >= 150,000 rows/s, and sqlite3's time x 1.5 or less.
# Usage: bench/bulk-local.sh [ROWS] [RUNS]   (default 1000000 rows, 3 runs each, interleaved)
# Needs Java 17+, Maven for the first build, and the sqlite3 shell (Debian/Ubuntu: apt-get install -y sqlite3).
set -euo pipefail
rows="${1:-1000000}"
runs="${2:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install -y sqlite3" >&2; exit 1; }

export RUC_CACHE_HOME="$work/home" RUC_CACHE_CONFIG=/dev/null RUC_CACHE_PROVIDERS=""
"$root/bin/ruc-cache" --version >/dev/null
echo "seeding $rows entries and writing $rows rows..." >&2
"$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$RUC_CACHE_HOME/cache.db" "$rows" \
  "$work/input.csv" "$rows"

sqlite_join() {
  sqlite3 -bail :memory: <<SQL
.mode csv
.import $work/input.csv rows
ATTACH '$RUC_CACHE_HOME/cache.db' AS c;
.headers on
.output $work/out-sqlite.csv
SELECT r.*, e.ruc AS ruc_normalized, e.status, e.reason, e.razon_social, e.estado, e.condicion, e.direccion,
       e.ubigeo, 'cache' AS source, strftime('%Y-%m-%dT%H:%M:%SZ', e.fetched_at / 1000, 'unixepoch') AS fetched_at,
       '' AS policy
  FROM rows r LEFT JOIN c.entries e ON e.ruc = r.ruc;
SQL
}
bulk() {
  RUC_CACHE_JAVA_OPTS="-Xmx64m" "$root/bin/ruc-cache" bulk -q --offline --output "$work/out-bulk.csv" \
    "$work/input.csv"
}
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

ms sqlite_join >/dev/null   # warm the page cache
: >"$work/t-sqlite"; : >"$work/t-bulk"
for _ in $(seq "$runs"); do
  ms sqlite_join >>"$work/t-sqlite"
  ms bulk >>"$work/t-bulk"
done
[[ $(wc -l <"$work/out-bulk.csv") -eq $((rows + 1)) ]] || { echo "bulk wrote the wrong number of rows" >&2; exit 1; }
[[ $(wc -l <"$work/out-sqlite.csv") -eq $((rows + 1)) ]] || { echo "sqlite3 wrote the wrong number of rows" >&2; exit 1; }
grep -c ',VALID,' "$work/out-bulk.csv" | grep -qx "$rows" || { echo "not every row is VALID" >&2; exit 1; }

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
s_ms=$(median <"$work/t-sqlite"); b_ms=$(median <"$work/t-bulk")
peak=$( { RUC_CACHE_JAVA_OPTS="-Xmx64m" /usr/bin/time -f '%M' "$root/bin/ruc-cache" bulk -q --offline \
  --output "$work/out-bulk.csv" "$work/input.csv" >/dev/null; } 2>&1 | tail -1 )
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores; $("$java" -version 2>&1 | head -1); $(sqlite3 --version | cut -d' ' -f1-2)"
echo "rows: $rows (all RUCs distinct and cached); median of $runs interleaved runs, wall time with JVM start"
printf '%-46s %8s %12s %8s\n' "command" "ms" "rows/s" "ratio"
printf '%-46s %8d %12d %8s\n' "sqlite3 shell: import + join + CSV (baseline)" "$s_ms" $((rows * 1000 / s_ms)) "1.00x"
printf '%-46s %8d %12d %7.2fx\n' "bin/ruc-cache bulk, -Xmx64m" "$b_ms" $((rows * 1000 / b_ms)) \
  "$(awk -v a="$b_ms" -v b="$s_ms" 'BEGIN {print a / b}')"
echo "bulk peak RSS: $((peak / 1024)) MiB"
awk -v r="$rows" -v b="$b_ms" -v s="$s_ms" 'BEGIN {
  rate = r * 1000 / b; ratio = b / s;
  printf "target: >= 150000 rows/s: %s (%d); within 1.5x of sqlite3: %s (%.2fx)\n",
    (rate >= 150000 ? "met" : "NOT met"), rate, (ratio <= 1.5 ? "met" : "NOT met"), ratio }'
