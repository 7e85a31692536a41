#!/usr/bin/env bash
# Bulk benchmark, all answers local: ROWS rows whose RUCs are all in the cache, checked by
# `bin/ruc-cache bulk` at RUC_CACHE_JAVA_OPTS=-Xmx64m, against the sqlite3 shell joining the same CSV with the same
# entries table in the same run (the floor: import, join, write CSV; no RUC checks). Prints rows/s and the ratio.
# Targets: >= 150,000 rows/s, and sqlite3's time x 1.5 or less.
# Three shapes: every row a different RUC (the worst case: one store lookup per row); ROWS/10 distinct RUCs
# spread evenly (each repeats every ROWS/10 rows, too far apart for the in-memory recent answers, so repeats are read
# again from the store); and ROWS/10 distinct RUCs whose rows come together, as in an export sorted by customer. A last section times the store lookups alone, through the
# JDBC driver and through the sqlite3 shell, to show where the time goes.
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
echo "seeding $rows entries..." >&2
"$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$RUC_CACHE_HOME/cache.db" "$rows"

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
ms() {
  local s e
  s=$(date +%s%N)
  "$@" >/dev/null 2>"$work/stderr" || { echo "failed: $* (exit $?):" >&2; cat "$work/stderr" >&2; exit 1; }
  e=$(date +%s%N)
  echo $(( (e - s) / 1000000 ))
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$java" -version 2>&1 | head -1); sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
echo "$rows rows, all RUCs cached; median of $runs interleaved runs, wall time including JVM start"
printf '%-66s %8s %10s %7s\n' "command" "ms" "rows/s" "ratio"

shape() {   # distinct [grouped]
  local distinct="$1" order="${2:-}" label="$1 distinct${2:+ $2}"
  "$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$work/unused.db" "$distinct" \
    "$work/input.csv" "$rows" $order >/dev/null
  rm -f "$work/unused.db"
  ms sqlite_join >/dev/null   # warm the page cache
  : >"$work/t-sqlite"; : >"$work/t-bulk"
  for _ in $(seq "$runs"); do
    ms sqlite_join >>"$work/t-sqlite"
    ms bulk >>"$work/t-bulk"
  done
  [[ $(wc -l <"$work/out-bulk.csv") -eq $((rows + 1)) ]] || { echo "bulk wrote the wrong number of rows" >&2; exit 1; }
  [[ $(grep -c ',VALID,' "$work/out-bulk.csv") -eq "$rows" ]] || { echo "not every row is VALID" >&2; exit 1; }
  local s_ms b_ms
  s_ms=$(median <"$work/t-sqlite"); b_ms=$(median <"$work/t-bulk")
  printf '%-66s %8d %10d %7s\n' "$label: sqlite3 shell, import + join + CSV (baseline)" "$s_ms" \
    $((rows * 1000 / s_ms)) "1.00x"
  printf '%-66s %8d %10d %6.2fx\n' "$label: bin/ruc-cache bulk, -Xmx64m" "$b_ms" $((rows * 1000 / b_ms)) \
    "$(awk -v a="$b_ms" -v b="$s_ms" 'BEGIN {print a / b}')"
  awk -v r="$rows" -v b="$b_ms" -v s="$s_ms" -v d="$label" 'BEGIN { rate = r * 1000 / b; ratio = b / s;
    printf "  target (%s): >= 150000 rows/s: %s (%d); within 1.5x of sqlite3: %s (%.2fx)\n", d,
      (rate >= 150000 ? "met" : "NOT met"), rate, (ratio <= 1.5 ? "met" : "NOT met"), ratio }'
}
shape "$rows"
shape $((rows / 10))
shape $((rows / 10)) grouped

# The store lookups alone: every cached RUC read once, in sorted IN lists of 512, by the JDBC driver and by the
# sqlite3 shell (same statements, same memory map).
jdbc_ms=$("$java" -cp "$root/target/ruc-cache.jar" "$root/bench/StoreSeeks.java" "$RUC_CACHE_HOME/cache.db" "$rows" \
  "$work/seeks.sql" | cut -d' ' -f2)
shell_ms=$(ms sqlite3 "$RUC_CACHE_HOME/cache.db" ".read $work/seeks.sql")
printf '%-66s %8d %10d\n' "store lookups alone: sqlite-jdbc (the driver ruc-cache uses)" "$jdbc_ms" $((rows * 1000 / jdbc_ms))
printf '%-66s %8d %10d\n' "store lookups alone: sqlite3 shell, same statements" "$shell_ms" $((rows * 1000 / shell_ms))
peak=$( { RUC_CACHE_JAVA_OPTS="-Xmx64m" /usr/bin/time -f '%M' "$root/bin/ruc-cache" bulk -q --offline \
  --output "$work/out-bulk.csv" "$work/input.csv" >/dev/null; } 2>&1 | tail -1 )
echo "bulk peak RSS (last shape): $((peak / 1024)) MiB, of which the SQLite file mapped in memory is part"
