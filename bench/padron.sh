#!/usr/bin/env bash
# Padrón benchmarks, each side by side (interleaved, in one run) with the sqlite3 command-line shell doing the same
# work, so the ratios hold whatever the machine:
#   1. import: `ruc-cache padron import` of a generated padrón-format file vs sqlite3's `.import` of the same file into
#      a table keyed by RUC. Targets: time <= 2x sqlite3's; snapshot <= 1.2x the text file.
#   2. bulk from the padrón: `ruc-cache bulk --provider padron --offline` of a CSV of every RUC (shuffled) at -Xmx64m
#      vs sqlite3 importing that CSV and joining it against the table. Target (issue 12): <= 1.2x sqlite3's.
# Each time: the median of RUNS interleaved runs, their spread (min-max), the ratio of the medians to sqlite3's and
# the spread of the per-run ratios. The machine, Java and load are printed at the start and the end; a loaded machine
# is refused (bench/lib.sh).
# Usage: bench/padron.sh [LINES] [RUNS]   (default 1000000 lines, 3 runs; needs Java 17+, Maven, sqlite3)
set -euo pipefail
lines="${1:-1000000}"
runs="${2:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "bench/padron.sh: the sqlite3 command-line shell is the baseline and is not installed;" \
    "install it (Debian/Ubuntu: apt-get install -y sqlite3) and run again" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work" "sqlite3 $(sqlite3 --version | cut -d' ' -f1-2)"
export RUC_CACHE_CONFIG=/dev/null

"$root/bin/ruc-cache" --version >/dev/null                      # builds the jar once
if (( lines < 1000000 )); then
  echo "note: below 1,000,000 lines the JVM's start and warm-up dominate; the ratios and projections mean little" >&2
fi
echo "generating $lines padrón lines and a CSV of their RUCs, shuffled..." >&2
"$java" "$root/bench/GeneratePadron.java" "$work/padron.txt" "$lines" "$work/clientes.csv"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

columns="ruc INTEGER PRIMARY KEY, razon_social TEXT, estado TEXT, condicion TEXT, ubigeo TEXT, tipo_via TEXT,
  nombre_via TEXT, codigo_zona TEXT, tipo_zona TEXT, numero TEXT, interior TEXT, lote TEXT, departamento TEXT,
  manzana TEXT, kilometro TEXT, trailing TEXT"
sqlite_import() {   # the baseline: the shell's own CSV reader into a table keyed by RUC (the trailing '|' is a column)
  rm -f "$1"
  sqlite3 "$1" <<SQL
CREATE TABLE padron ($columns);
.mode list
.separator "|"
.import --skip 1 $work/padron.txt padron
SQL
}
ruccache_import() {
  rm -rf "$1"
  RUC_CACHE_HOME="$1" "$root/bin/ruc-cache" -q padron import "$work/padron.txt"
}

echo "import: $runs runs each, interleaved..." >&2
: >"$work/t-sqlite"; : >"$work/t-import"
for i in $(seq "$runs"); do
  ms sqlite_import "$work/base.db" >>"$work/t-sqlite"
  ms ruccache_import "$work/home" >>"$work/t-import"
done
i_med=$(bench_stats "$work/t-import" | cut -d' ' -f1)
text_bytes=$(stat -c %s "$work/padron.txt")
base_bytes=$(stat -c %s "$work/base.db")
snap_bytes=$(stat -c %s "$work/home/padron.db")
rows=$(sqlite3 "$work/home/padron.db" "SELECT count(*) FROM taxpayers")

bench_label_width=46
bench_say "file: %s lines, %s bytes (%s bytes a line), %s taxpayers kept" "$lines" "$text_bytes" \
  "$(awk -v b="$text_bytes" -v n="$lines" 'BEGIN {printf "%.0f", b / n}')" "$rows"
bench_say ""
bench_time_header "import ($runs runs each, interleaved)"
bench_time_row "sqlite3 .import into a table keyed by RUC" "$work/t-sqlite" "$work/t-sqlite"
bench_time_row "ruc-cache padron import" "$work/t-import" "$work/t-sqlite"
import_ratio="$bench_ratio"
bench_say '%-46s %9s %8s' "size (load does not change it)" "MiB" "of text"
mib() { awk -v b="$1" 'BEGIN {print b / 1048576}'; }
bench_say '%-46s %9.1f %7sx' "text file" "$(mib "$text_bytes")" "1.00"
bench_say '%-46s %9.1f %7sx' "sqlite3's table" "$(mib "$base_bytes")" "$(ratio "$base_bytes" "$text_bytes")"
bench_say '%-46s %9.1f %7sx' "ruc-cache snapshot (padron.db)" "$(mib "$snap_bytes")" \
  "$(ratio "$snap_bytes" "$text_bytes")"
awk -v t="$i_med" -v n="$rows" -v s="$snap_bytes" -v x="$text_bytes" 'BEGIN {
  printf "projection for the real file (18,000,000 lines, about 1.5 GB of text), scaling linearly by rows:\n"
  printf "  import about %.0f s (%.1f min); snapshot about %.2f GB (%.2f GB at this run'"'"'s size-to-text ratio)\n",
    t / 1000 * 18e6 / n, t / 1000 * 18e6 / n / 60, s / n * 18e6 / 1e9, 1.5 * s / x }' | bench_rows
bench_target "padron import vs sqlite3 .import" le 2 "$import_ratio" "$work/t-import.ratios" "%.2fx"
bench_target "snapshot vs the text file" le 1.2 "$(awk -v s="$snap_bytes" -v x="$text_bytes" 'BEGIN {print s / x}')" - \
  "%.2fx" size
bench_say ""

sqlite_join() {   # the baseline: load the CSV, join it against the table, write the answers as CSV
  sqlite3 "$work/base.db" <<SQL
.mode csv
.import --schema temp $work/clientes.csv clientes
.output $work/join.csv
SELECT c.ruc, p.razon_social, p.estado, p.condicion, p.ubigeo, p.tipo_via, p.nombre_via, p.numero
  FROM clientes c LEFT JOIN padron p ON p.ruc = c.ruc;
SQL
}
label="ruc-cache bulk --provider padron --offline"
fresh_home() {   # outside the timing: the run's home, the snapshot and no cache yet, as after an import
  rm -rf "$work/bulkhome" && cp -r "$work/home" "$work/bulkhome"
}
measured() {
  RUC_CACHE_HOME="$work/bulkhome" RUC_CACHE_JAVA_OPTS="-Xmx64m" "$root/bin/ruc-cache" -q bulk \
    --provider padron --offline --output "$work/bulk.csv" "$work/clientes.csv" || [[ $? -eq 1 ]]
}
echo "bulk from the padrón: $runs runs each, interleaved..." >&2
: >"$work/t-join"; : >"$work/t-bulk"
for i in $(seq "$runs"); do
  ms sqlite_join >>"$work/t-join"
  fresh_home
  ms measured >>"$work/t-bulk"
done
bench_time_header "$lines distinct RUCs ($runs runs each, interleaved)" "rows/s"
bench_time_row "sqlite3: .import CSV, LEFT JOIN, CSV out" "$work/t-join" "$work/t-join" "$lines"
bench_time_row "$label" "$work/t-bulk" "$work/t-join" "$lines"
bench_target "bulk vs sqlite3 ($label)" le 1.2 "$bench_ratio" "$work/t-bulk.ratios" "%.2fx"
bench_finish
