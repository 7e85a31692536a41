#!/usr/bin/env bash
# Start-up benchmark: times, as whole processes and interleaved in one run, a Java hello world and
# `bin/ruc-cache lookup` of a RUC already in the cache, and prints medians, spreads and the ratio (target: <= 3x).
# Also times the same lookup as a plain `java -jar` (no launcher tuning), to show what the launcher buys.
# Usage: bench/startup.sh [RUNS]   (default 20; needs Java 17+, Maven for the first build)
# The machine, Java and load are printed at the start and the end; a loaded machine is refused (bench/lib.sh).
set -euo pipefail
runs="${1:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_start "$work"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

export RUC_CACHE_HOME="$work/home" RUC_CACHE_CONFIG=/dev/null
"$root/bin/ruc-cache" --version >/dev/null                     # builds the jar and the start-up archive once
"$javac" -d "$work/classes" "$root/bench/Hello.java"
"$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$RUC_CACHE_HOME/cache.db" 1
"$root/bin/ruc-cache" lookup 20100038146 | grep -q "CONTINENTAL" || { echo "seeded lookup failed" >&2; exit 1; }

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

for _ in 1 2 3; do   # warm the page cache
  ms "$java" -cp "$work/classes" Hello >/dev/null
  ms "$root/bin/ruc-cache" lookup 20100038146 >/dev/null
done
: >"$work/hello"; : >"$work/lookup"; : >"$work/plain"
for _ in $(seq "$runs"); do
  ms "$java" -cp "$work/classes" Hello >>"$work/hello"
  ms "$root/bin/ruc-cache" lookup 20100038146 >>"$work/lookup"
  ms "$java" -jar "$root/target/ruc-cache.jar" lookup 20100038146 >>"$work/plain"
done

bench_label_width=44
bench_say "runs: %s each, interleaved; wall time; ratio: to java Hello in the same run" "$runs"
bench_time_header "command"
bench_time_row "java Hello (baseline)" "$work/hello" "$work/hello"
bench_time_row "bin/ruc-cache lookup (cached)" "$work/lookup" "$work/hello"
lookup_ratio="$bench_ratio"
bench_time_row "java -jar ruc-cache.jar lookup (untuned)" "$work/plain" "$work/hello"
bench_target "cached lookup vs java Hello" le 3 "$lookup_ratio" "$work/lookup.ratios" "%.2fx"
bench_finish
