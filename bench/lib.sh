# shellcheck shell=bash
# Sourced by every bench/*.sh: the machine and load lines, the load rule, medians and spreads, ratios to a baseline
# measured in the same run, and target lines. A script calls bench_start WORK [WHAT] before any work (WORK: its
# scratch folder, removed by its own trap; WHAT: versions of other tools it times, for the machine line), writes its
# report with bench_say (headers, notes), bench_row and bench_rows (figures), bench_time_row and bench_target, and
# calls bench_finish last. The report is held back until then: figures are printed only once the load at the end is
# known.
#
# The load rule: a run whose 1-minute load average is above 0.5 per core (nproc) at its start or its end is not a
# valid measurement. Without BENCH_ALLOW_LOAD=1 such a run is refused (at the start, before any work; at the end, its
# figures are withheld) with exit 75; with it, the run goes on and every figure is marked "LOADED: not a valid
# measurement". The run's own processes keep the load average up for a minute or two after they end (it decays with
# a 1-minute time constant), so at the end the check waits, up to BENCH_SETTLE seconds (default 120), for it to fall
# back under the limit; a machine loaded by something else stays over it and the run is refused or marked.
#
# Numbers in the report: for each measure, the median over the repeats and their spread (min-max); for a measure
# with a baseline, the ratio of the medians and the spread of the per-repeat ratios (repeat i against baseline run
# i: the scripts interleave them). Tested by bench/lib-test.sh.

bench_loadavg="${BENCH_LOADAVG:-/proc/loadavg}"   # a test reads a file of its own instead
bench_marker="LOADED: not a valid measurement"
bench_label_width=50
bench_rate_col=""

# The Java that bin/ruc-cache and the scripts run: JAVA_HOME's, else the one on PATH (as bin/ruc-cache picks it).
bench_java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

bench_cores() { env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc; }   # nproc, not lowered by OpenMP's variables
bench_limit() { awk -v n="$(bench_cores)" 'BEGIN {printf "%.2f", n * 0.5}'; }
bench_load1() { cut -d' ' -f1 "$bench_loadavg"; }
bench_over() { awk -v l="$1" -v m="$(bench_limit)" 'BEGIN {exit !(l > m)}'; }   # LOAD: is it over the limit?

bench_machine() {   # CPU model, cores, Java, the other tools, the load average
  local cpu java_said
  cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  java_said="$("$bench_java" -version 2>&1 | head -1)" || java_said="no java"
  printf 'machine: %s, %s cores; java: %s%s; load average %s (limit %s: 0.5 per core)' "${cpu:-unknown CPU}" \
    "$(bench_cores)" "$java_said" "${bench_what:+; $bench_what}" "$(cut -d' ' -f1-3 "$bench_loadavg")" "$(bench_limit)"
}

bench_refuse() {   # WHEN LOAD
  echo "refused: the 1-minute load average $2 at the $1 is above $(bench_limit) (0.5 per core, $(bench_cores) cores);" \
    "figures taken now are not valid measurements. Run on a quiet machine, or set BENCH_ALLOW_LOAD=1 to run" \
    "anyway with every figure marked \"$bench_marker\"."
  exit 75
}

bench_start() {   # WORK [WHAT]
  bench_report="$1/bench-report"
  bench_what="${2:-}"
  bench_loaded=""
  : >"$bench_report"
  echo "start: $(bench_machine)"
  local load
  load="$(bench_load1)"
  if bench_over "$load"; then
    [[ "${BENCH_ALLOW_LOAD:-}" == 1 ]] || bench_refuse start "$load"
    bench_loaded="start"
    echo "LOADED at the start (BENCH_ALLOW_LOAD=1): running anyway; every figure will be marked" >&2
  fi
}

# shellcheck disable=SC2059 # the format is the caller's, on purpose
bench_say() { local f="$1"; shift; printf "N\t$f\n" "$@" >>"$bench_report"; }    # FORMAT ARGS: not a figure
# shellcheck disable=SC2059
bench_row() { local f="$1"; shift; printf "F\t$f\n" "$@" >>"$bench_report"; }    # FORMAT ARGS: a figure
bench_rows() { sed 's/^/F\t/' >>"$bench_report"; }                               # stdin: figures, one a line

# FILE: "median min max" of its numbers, one a line (the median of an even count: the mean of the middle two)
bench_stats() {
  sort -g "$1" | awk '{v[NR] = $1} END {
    if (NR == 0) {print "0 0 0"; exit}
    printf "%.10g %.10g %.10g\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
}

bench_ratios() {   # BASE FILE: FILE's line i over BASE's line i, one a line
  [[ $(wc -l <"$1") -eq $(wc -l <"$2") ]] || { echo "bench_ratios: $1 and $2 differ in length" >&2; exit 1; }
  paste -d' ' "$1" "$2" | awk '{printf "%.10g\n", ($1 > 0 ? $2 / $1 : 0)}'
}

bench_spread() {   # FILE [FORMAT]: "median (min-max)", or the one value when every repeat gave it
  local med lo hi f="${2:-%.0f}"
  read -r med lo hi < <(bench_stats "$1")
  awk -v m="$med" -v l="$lo" -v h="$hi" -v f="$f" 'BEGIN {
    s = sprintf(f, m); a = sprintf(f, l); b = sprintf(f, h); print (a == b ? s : s " (" a "-" b ")") }'
}

bench_time_header() {   # WHAT [RATE]: the header of bench_time_row's table; RATE names the rate column (rows/s,
  # RUCs/s), none without it
  bench_rate_col="${2:-}"
  printf "N\t%-${bench_label_width}s %8s %13s${bench_rate_col:+ %10s} %7s %13s\n" "$1" "ms" "min-max ms" \
    ${bench_rate_col:+"$bench_rate_col"} "ratio" "ratio min-max" >>"$bench_report"
}

# LABEL FILE [BASE] [ROWS]: a measure's median and spread in ms; with ROWS, the rows/s at the median; with BASE (the
# baseline's file), the ratio of the medians and the spread of the per-repeat ratios, left for a target in
# $bench_ratio (the ratio) and FILE.ratios (one a repeat). FILE == BASE: the baseline's own row.
bench_time_row() {
  local label="$1" file="$2" base="${3:-}" rows="${4:-}" med lo hi rate="" ratio="" spread="" r_lo r_hi
  read -r med lo hi < <(bench_stats "$file")
  [[ -n "$rows" ]] && rate="$(awk -v r="$rows" -v m="$med" 'BEGIN {printf "%.0f", (m > 0 ? r * 1000 / m : 0)}')"
  if [[ -n "$base" && "$base" == "$file" ]]; then
    ratio="1.00x"
  elif [[ -n "$base" ]]; then
    bench_ratios "$base" "$file" >"$file.ratios"
    bench_ratio="$(awk -v m="$med" -v b="$(bench_stats "$base" | cut -d' ' -f1)" 'BEGIN {printf "%.10g", m / b}')"
    read -r _ r_lo r_hi < <(bench_stats "$file.ratios")
    ratio="$(printf '%.2fx' "$bench_ratio")"
    spread="$(printf '%.2f-%.2fx' "$r_lo" "$r_hi")"
  fi
  printf "F\t%-${bench_label_width}s %8.0f %13s${bench_rate_col:+ %10s} %7s %13s\n" "$label" "$med" \
    "$(printf '%.0f-%.0f' "$lo" "$hi")" ${bench_rate_col:+"$rate"} "$ratio" "$spread" >>"$bench_report"
}

# LABEL OP LIMIT VALUE FILE FORMAT [size]: "target: LABEL OP LIMIT: met|NOT met (VALUE; k of n repeats)". OP is le,
# ge or eq; VALUE is what is judged (a median, a ratio of medians, the worst repeat), FILE (or -) holds the per-repeat
# values to count, FORMAT prints the limit and the value (e.g. %.2fx, %.0f rows/s). "size": a target on sizes, which
# load does not change, so never marked.
bench_target() {
  local label="$1" op="$2" limit="$3" value="$4" file="$5" fmt="$6" tag=F per=""
  [[ "${7:-}" == size ]] && tag=N
  [[ "$file" != "-" ]] && per="$(tr '\n' ' ' <"$file")"
  awk -v l="$label" -v op="$op" -v lim="$limit" -v v="$value" -v per="$per" -v f="$fmt" '
    function ok(x) { return op == "le" ? x <= lim + 0 : op == "ge" ? x >= lim + 0 : x == lim + 0 }
    BEGIN {
      sym = op == "le" ? "<=" : op == "ge" ? ">=" : "="
      n = split(per, p, " "); k = 0; for (i = 1; i <= n; i++) k += ok(p[i])
      printf "target: %s %s " f ": %s (" f "%s)\n", l, sym, lim, (ok(v) ? "met" : "NOT met"), v,
        (n ? sprintf("; met in %d of %d repeats", k, n) : "") }' | sed "s/^/$tag\t/" >>"$bench_report"
}

bench_finish() {   # prints the report (figures marked when loaded) and the end line; exit 75 when refused
  local load waited=0 settle="${BENCH_SETTLE:-120}" right_after=""
  load="$(bench_load1)"
  if [[ -z "$bench_loaded" ]] && bench_over "$load"; then
    right_after="$(cut -d' ' -f1-3 "$bench_loadavg")"
    echo "end: load average $load, over $(bench_limit); waiting up to $settle s for the run's own load to decay" >&2
    while bench_over "$load" && ((waited < settle)); do
      sleep 5
      waited=$((waited + 5))
      load="$(bench_load1)"
    done
  fi
  if bench_over "$load"; then
    if [[ "${BENCH_ALLOW_LOAD:-}" != 1 ]]; then
      echo "end: $(bench_machine)"
      bench_refuse end "$load"
    fi
    bench_loaded="${bench_loaded:+$bench_loaded and the }end"
  fi
  awk -F'\t' -v loaded="$bench_loaded" -v m="$bench_marker" '{
    line = substr($0, 3); print ($1 == "F" && loaded != "" ? line "  " m : line) }' "$bench_report"
  echo "end: $(bench_machine)"
  if [[ -n "$right_after" ]]; then
    echo "  (right after the last measurement: load average $right_after; then $waited s of waiting for the run's" \
      "own load to decay)"
  fi
  if [[ -n "$bench_loaded" ]]; then
    echo "LOADED at the $bench_loaded (BENCH_ALLOW_LOAD=1): the figures above are not valid measurements"
  fi
}
