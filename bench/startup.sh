#!/usr/bin/env bash
# Start-up benchmark: times, as whole processes and interleaved in one run, a Java hello world and
# `bin/ruc-cache lookup` of a RUC already in the cache, and prints medians, spreads and the ratio (target: <= 3x).
# Also times the same lookup as a plain `java -jar` (no launcher tuning), to show what the launcher buys, and the floor
# for any tool on sqlite-jdbc: bench/SqliteFloor.java, which only opens the cache with the driver and reads the row.
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

# The floor: bench/SqliteFloor.java, the least a Java program on sqlite-jdbc does for a cached lookup, run as the
# launcher runs the tool (its own class-data-sharing archive, C1, serial GC, the extracted native library).
jar="$root/target/ruc-cache.jar"
native="$(find "$root/target/native" -name 'libsqlitejdbc.*' -print -quit 2>/dev/null || true)"
floor_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData ${native:+-Dorg.sqlite.lib.path="${native%/*}"})
mkdir -p "$work/floor-classes"
"$javac" -cp "$jar" -d "$work/floor-classes" "$root/bench/SqliteFloor.java"
"${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf "$work/floor.jar" -C "$work/floor-classes" SqliteFloor.class
floor_cp="$work/floor.jar:$jar"
"$java" -XX:DumpLoadedClassList="$work/floor.lst" "${floor_opts[@]}" -cp "$floor_cp" SqliteFloor \
  "$RUC_CACHE_HOME/cache.db" 20100038146 | grep -q "CONTINENTAL" || { echo "floor program failed" >&2; exit 1; }
"$java" -Xshare:dump -XX:SharedClassListFile="$work/floor.lst" -XX:SharedArchiveFile="$work/floor.jsa" \
  -cp "$floor_cp" >/dev/null 2>&1 || { echo "could not create the floor program's archive" >&2; exit 1; }
floor=("$java" -Xshare:auto -XX:SharedArchiveFile="$work/floor.jsa" -Xlog:cds=off "${floor_opts[@]}" -cp "$floor_cp"
  SqliteFloor "$RUC_CACHE_HOME/cache.db" 20100038146)

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

for _ in 1 2 3; do   # warm the page cache
  ms "$java" -cp "$work/classes" Hello >/dev/null
  ms "$root/bin/ruc-cache" lookup 20100038146 >/dev/null
  ms "${floor[@]}" >/dev/null
done
: >"$work/hello"; : >"$work/lookup"; : >"$work/plain"; : >"$work/floor"
for _ in $(seq "$runs"); do
  ms "$java" -cp "$work/classes" Hello >>"$work/hello"
  ms "${floor[@]}" >>"$work/floor"
  ms "$root/bin/ruc-cache" lookup 20100038146 >>"$work/lookup"
  ms "$java" -jar "$root/target/ruc-cache.jar" lookup 20100038146 >>"$work/plain"
done

bench_label_width=44
bench_say "runs: %s each, interleaved; wall time; ratio: to java Hello in the same run" "$runs"
bench_time_header "command"
bench_time_row "java Hello (baseline)" "$work/hello" "$work/hello"
bench_time_row "SqliteFloor: sqlite-jdbc query alone (floor)" "$work/floor" "$work/hello"
bench_time_row "bin/ruc-cache lookup (cached)" "$work/lookup" "$work/hello"
lookup_ratio="$bench_ratio"
bench_time_row "java -jar ruc-cache.jar lookup (untuned)" "$work/plain" "$work/hello"
bench_target "cached lookup vs java Hello" le 3 "$lookup_ratio" "$work/lookup.ratios" "%.2fx"
bench_finish
