#!/usr/bin/env bash
# Bulk benchmark, all answers local: ROWS rows whose RUCs are all in the cache, checked by
# `bin/ruc-cache bulk` at RUC_CACHE_JAVA_OPTS=-Xmx64m, against the sqlite3 shell joining the same CSV with the same
# entries table in the same run (the floor: import, join, write CSV; no RUC checks). Prints rows/s and the ratio.
# Targets (issue 12): every shape at sqlite3's time x 1.0 or less, and >= 150,000 rows/s for distinct RUCs.
# Three shapes: every row a different RUC (the worst case: one store lookup per row); ROWS/10 distinct RUCs
# spread evenly (each repeats every ROWS/10 rows, too far apart for the in-memory recent answers, so repeats are read
# again from the store); and ROWS/10 distinct RUCs whose rows come together, as in an export sorted by customer.
# A last section times the store lookups alone, through the JDBC driver and through the sqlite3 shell, on the same
# statements, to show where the time goes: the SQLite build, or the crossing from native code to Java.
# Each figure: the median of RUNS interleaved runs, their spread (min-max), the ratio of the medians to the sqlite3
# shell's and the spread of the per-run ratios. The machine, Java and load are printed at the start and the end; a
# loaded machine is refused (bench/lib.sh).
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
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work" "sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

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

bench_label_width=70
bench_say "%s rows, all RUCs cached; %s interleaved runs each, wall time including JVM start" "$rows" "$runs"
bench_time_header "command" "rows/s"

shape() {   # distinct [grouped]
  local distinct="$1" order="${2:-}" label="$1 distinct${2:+ $2}"
  echo "$label: $runs runs each, interleaved..." >&2
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
  bench_time_row "$label: sqlite3 shell, import + join + CSV (baseline)" "$work/t-sqlite" "$work/t-sqlite" "$rows"
  bench_time_row "$label: bin/ruc-cache bulk, -Xmx64m" "$work/t-bulk" "$work/t-sqlite" "$rows"
  bench_target "bulk vs the sqlite3 shell ($label)" le 1 "$bench_ratio" "$work/t-bulk.ratios" "%.2fx"
  if [[ -z "$order" && "$distinct" -eq "$rows" ]]; then
    awk -v r="$rows" '{printf "%.0f\n", r * 1000 / $1}' "$work/t-bulk" >"$work/t-bulk.rate"
    bench_target "bulk rows/s ($label)" ge 150000 \
      "$(awk -v r="$rows" -v m="$(bench_stats "$work/t-bulk" | cut -d' ' -f1)" 'BEGIN {print r * 1000 / m}')" \
      "$work/t-bulk.rate" "%.0f"
  fi
}
shape "$rows"
shape $((rows / 10))
shape $((rows / 10)) grouped

# The store lookups alone: every cached RUC read once, in sorted IN lists of 512, by the JDBC driver and by the
# sqlite3 shell, on the same statements and memory map: count(*) (the seeks alone, so the two SQLite builds), each
# row packed into one value, those rows joined into one value per statement as ruc-cache reads them, and SELECT *
# read column by column (16 JNI calls a row; the shell prints).
echo "store lookups alone..." >&2
for mode in count packed grouped columns; do
  : >"$work/t-jdbc-$mode"; : >"$work/t-shell-$mode"
done
for _ in $(seq "$runs"); do
  for mode in count packed grouped columns; do
    "$java" -cp "$root/target/ruc-cache.jar" "$root/bench/StoreSeeks.java" "$RUC_CACHE_HOME/cache.db" "$rows" \
      "$mode" "$work/seeks-$mode.sql" | cut -d' ' -f2 >>"$work/t-jdbc-$mode"
    ms sqlite3 "$RUC_CACHE_HOME/cache.db" ".read $work/seeks-$mode.sql" >>"$work/t-shell-$mode"
  done
done
for mode in count packed grouped columns; do
  case "$mode" in
    count) what="count(*)" ;;
    packed) what="packed, a value a row" ;;
    grouped) what="ruc-cache's, a value a batch" ;;
    *) what="SELECT * by column" ;;
  esac
  bench_time_row "store lookups, $what: sqlite3 shell (baseline)" "$work/t-shell-$mode" "$work/t-shell-$mode" "$rows"
  bench_time_row "store lookups, $what: sqlite-jdbc" "$work/t-jdbc-$mode" "$work/t-shell-$mode" "$rows"
done
peak=$( { RUC_CACHE_JAVA_OPTS="-Xmx64m" /usr/bin/time -f '%M' "$root/bin/ruc-cache" bulk -q --offline \
  --output "$work/out-bulk.csv" "$work/input.csv" >/dev/null; } 2>&1 | tail -1 )
bench_row "bulk peak RSS (last shape, one run): %d MiB, of which the SQLite file mapped in memory is part" \
  $((peak / 1024))
bench_finish
