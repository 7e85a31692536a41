#!/usr/bin/env bash
# Start-up benchmark: times, as whole processes and interleaved in one run, a Java hello world and
# `bin/ruc-cache lookup` of a RUC already in the cache, and prints medians and the ratio (target: <= 6x).
# Also times the same lookup as a plain `java -jar` (no launcher tuning), to show what the launcher buys.
# Usage: bench/startup.sh [RUNS]   (default 20; needs Java 17+, Maven for the first build)
set -euo pipefail
runs="${1:-20}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"

export RUC_CACHE_HOME="$work/home" RUC_CACHE_CONFIG=/dev/null
"$root/bin/ruc-cache" --version >/dev/null                     # builds the jar and the start-up archive once
"$javac" -d "$work/classes" "$root/bench/Hello.java"
"$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$RUC_CACHE_HOME/cache.db" 1
"$root/bin/ruc-cache" lookup 20100038146 | grep -q "CONTINENTAL" || { echo "seeded lookup failed" >&2; exit 1; }

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
stat() { sort -n | awk '{v[NR]=$1} END {printf "%d %d %d\n", v[int((NR+1)/2)], v[1], v[int(NR*0.9+0.5)]}'; }

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

read -r h_med h_min h_p90 < <(stat <"$work/hello")
read -r l_med l_min l_p90 < <(stat <"$work/lookup")
read -r p_med p_min p_p90 < <(stat <"$work/plain")
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "machine: ${cpu:-unknown CPU}, $(nproc) cores; $("$java" -version 2>&1 | head -1)"
echo "runs: $runs each, interleaved; wall time in ms (median / min / p90)"
printf '%-44s %6s %6s %6s %8s\n' "command" "median" "min" "p90" "ratio"
printf '%-44s %6d %6d %6d %8s\n' "java Hello (baseline)" "$h_med" "$h_min" "$h_p90" "1.0x"
printf '%-44s %6d %6d %6d %7.1fx\n' "bin/ruc-cache lookup (cached)" "$l_med" "$l_min" "$l_p90" \
  "$(awk -v a="$l_med" -v b="$h_med" 'BEGIN {print a / b}')"
printf '%-44s %6d %6d %6d %7.1fx\n' "java -jar ruc-cache.jar lookup (untuned)" "$p_med" "$p_min" "$p_p90" \
  "$(awk -v a="$p_med" -v b="$h_med" 'BEGIN {print a / b}')"
awk -v a="$l_med" -v b="$h_med" 'BEGIN {r = a / b; printf "target: cached lookup <= 6.0x hello: %s (%.1fx)\n", (r <= 6 ? "met" : "NOT met"), r}'
