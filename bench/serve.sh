#!/usr/bin/env bash
# HTTP server benchmark: `ruc-cache serve` answering cached RUCs under wrk, side by side (interleaved, in one run) with
# nginx serving a static JSON file of the same size on the same machine (the floor), and the time of one POST of
# 1,000 cached RUCs. Targets (the serve issue): at 32 connections, throughput >= 0.5x nginx's, p99 latency <= 10 ms
# and no error response; POST /v1/ruc of 1,000 cached RUCs <= 20 ms.
#   - The cache: 1,000 distinct VALID answers, fresh for a year (bench/SeedCache.java, no network). serve runs as
#     bin/ruc-cache runs it, on a free loopback port, --access-log off, with a provider whose URL is a closed loopback
#     port: a RUC that is not cached would be a 503 (an error counted), never a network call.
#   - nginx: its own, on another loopback port, worker_processes = cores, access_log off, serving a copy of serve's
#     own answer (the same bytes) as application/json.
#   - wrk -t2 -c32 -d10s --latency: a warm-up of each, then RUNS repeats of (nginx, serve with one RUC, serve with the
#     1,000 RUCs in turn: a wrk Lua script, so the memory in front of the store holds more than one key), interleaved.
#     serve keeps answers in memory --memory-ttl (10 s) in front of the SQLite store; both are cached answers.
#   - The batch: after a warm-up, RUNS repeats of BATCHES POSTs of the 1,000 RUCs, each timed by curl
#     (time_total, one kept-alive connection); every answer checked: 1,000 elements, all VALID, all from the cache.
#   - serve stops on SIGTERM and must exit 0.
# Figures: the median over the repeats and their spread (min-max); the ratio of the medians to nginx's and the spread
# of the per-repeat ratios; errors: non-2xx answers plus socket errors, the most in any repeat. The machine, Java,
# wrk, nginx and load are printed at the start and the end; a loaded machine is refused (bench/lib.sh).
# Usage: bench/serve.sh [RUNS] [BATCHES]   (default 3 runs, 30 POSTs in each; 3 to 4 minutes with the end's wait)
# Needs Java 17+, Maven for the first build, curl, wrk and nginx (Debian/Ubuntu: apt-get install -y wrk nginx-light;
# this script starts its own nginx and stops it; a system nginx need not run).
set -euo pipefail
runs="${1:-3}"
batches="${2:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
for tool in wrk nginx; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench/serve.sh: $tool is missing; install it (Debian/Ubuntu: apt-get install -y wrk nginx-light) and run" \
      "again" >&2
    exit 1
  fi
done
work="$(mktemp -d)"
serve_pid="" nginx_pid=""
stop_all() {
  [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  [[ -n "$nginx_pid" ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap stop_all EXIT
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
# shellcheck source=bench/wrk.sh
. "$root/bench/wrk.sh"
bench_start "$work" "$({ wrk --version 2>&1 || true; } | awk 'NR == 1 {print $1, $2}'); $(nginx -v 2>&1 |
  sed 's|^nginx version: ||')"
command -v curl >/dev/null || { echo "bench/serve.sh: curl is missing: apt-get install -y curl" >&2; exit 1; }

export RUC_CACHE_HOME="$work/home" RUC_CACHE_CONFIG=/dev/null
"$root/bin/ruc-cache" --version >/dev/null                     # builds the jar and the start-up archive once
mkdir -p "$RUC_CACHE_HOME"
echo "seeding 1,000 cached RUCs..." >&2
"$java" -cp "$root/target/ruc-cache.jar" "$root/bench/SeedCache.java" "$RUC_CACHE_HOME/cache.db" 1000 \
  "$work/rucs.csv" 1000
tail -n +2 "$work/rucs.csv" | cut -d, -f2 >"$work/rucs"
[[ "$(sort -u "$work/rucs" | wc -l)" -eq 1000 ]] || { echo "the seeded RUCs are not 1,000 distinct" >&2; exit 1; }
ruc=20100038146   # SeedCache's first
awk 'BEGIN {printf "["} {printf "%s\"%s\"", (NR > 1 ? "," : ""), $1} END {print "]"}' "$work/rucs" >"$work/batch.json"

free_port() {   # a loopback port nothing listens on now
  local candidate
  for candidate in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  echo "no free loopback port" >&2
  exit 1
}

# serve, on a port of its own choosing (port 0; it says which), with a provider that cannot answer.
echo "starting serve..." >&2
dead="$(free_port)"
RUC_CACHE_PROVIDERS=migo RUC_CACHE_MIGO_TOKEN=bench RUC_CACHE_MIGO_URL="http://127.0.0.1:$dead/api/v2" \
  "$root/bin/ruc-cache" serve --listen 127.0.0.1:0 --access-log off --ttl-valid 24h 2>"$work/serve.err" &
serve_pid=$!
port=""
for _ in $(seq 600); do   # 60 s
  port="$(sed -nE 's|^ruc-cache: serving on http://127\.0\.0\.1:([0-9]+) .*|\1|p' "$work/serve.err")"
  [[ -n "$port" ]] && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "serve exited before listening:" >&2; cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "serve did not say it listens within 60 s:" >&2; cat "$work/serve.err" >&2; exit 1; }
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf -o "$work/healthz" "$base/healthz" && break; sleep 0.1; done
curl -sf -o "$work/healthz" "$base/healthz" || { echo "serve's /healthz is not 200" >&2; exit 1; }
jvm_opts="$(tr '\0' '\n' <"/proc/$serve_pid/cmdline" | grep -E '^-XX:(TieredStopAtLevel|[+-]Use[A-Za-z]*GC)|^-Xm[sx]' |
  tr '\n' ' ' || true)"

# One cached answer, and nginx serving the same bytes.
curl -sf -D "$work/one.headers" -o "$work/one.json" "$base/v1/ruc/$ruc" \
  || { echo "GET /v1/ruc/$ruc failed" >&2; exit 1; }
grep -q '"status":"VALID"' "$work/one.json" && grep -q '"source":"cache"' "$work/one.json" \
  || { echo "GET /v1/ruc/$ruc is not a cached VALID answer: $(cat "$work/one.json")" >&2; exit 1; }
size="$(wc -c <"$work/one.json")"
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
cp "$work/one.json" "$work/nginx/www/ruc.json"
# Started by root, nginx runs its workers as nobody: they must reach the file through mktemp's 0700 folder.
chmod 0711 "$work"
chmod 0755 "$work/nginx" "$work/nginx/www"
chmod 0644 "$work/nginx/www/ruc.json"
nport="$(free_port)"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $(bench_cores);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;   # as serve: no close after 1,000 requests (nginx's default)
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$nport;
    root $work/nginx/www;
    default_type application/json;
    location / { }
  }
}
EOF
echo "starting nginx..." >&2
nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -g 'daemon off;' \
  2>"$work/nginx/stderr" &
nginx_pid=$!
floor="http://127.0.0.1:$nport/ruc.json"
for _ in $(seq 100); do curl -sf -o "$work/floor.json" "$floor" && break; sleep 0.1; done
curl -sf -D "$work/floor.headers" -o "$work/floor.json" "$floor" \
  || { echo "nginx does not serve $floor:" >&2; cat "$work/nginx/stderr" "$work/nginx/error.log" >&2; exit 1; }
cmp -s "$work/floor.json" "$work/one.json" || { echo "nginx's file is not serve's answer" >&2; exit 1; }

# The 1,000 RUCs in turn, for wrk (each thread goes through them from the first).
{
  printf 'local rucs = {\n'
  sed 's/.*/  "&",/' "$work/rucs"
  printf '}\nlocal i = 0\nrequest = function()\n  i = i %% #rucs + 1\n'
  printf '  return wrk.format("GET", "/v1/ruc/" .. rucs[i])\nend\n'
} >"$work/cycle.lua"

load() {   # KEY URL [LUA]: one wrk run, its figures added to $work/KEY.*
  local key="$1" url="$2" lua="${3:-}" rps p99 non2xx sock
  wrk -t2 -c32 -d10s --latency ${lua:+-s "$lua"} "$url" >"$work/$key.out" 2>&1 \
    || { echo "wrk failed on $url:" >&2; cat "$work/$key.out" >&2; exit 1; }
  read -r rps p99 non2xx sock < <(wrk_summary "$work/$key.out")
  echo "$rps" >>"$work/$key.rps"
  echo "$p99" >>"$work/$key.p99"
  echo $((non2xx + sock)) >>"$work/$key.errors"
  echo "  $key: $rps requests/s, p99 $p99 ms, $non2xx non-2xx, $sock socket errors" >&2
}

echo "warming up (wrk, 5 s each)..." >&2
wrk -t2 -c32 -d5s "$floor" >"$work/warm.out" 2>&1
wrk -t2 -c32 -d5s "$base/v1/ruc/$ruc" >"$work/warm.out" 2>&1
wrk -t2 -c32 -d5s -s "$work/cycle.lua" "$base/v1/ruc/$ruc" >"$work/warm.out" 2>&1
for i in $(seq "$runs"); do
  echo "run $i of $runs (wrk, 10 s each)..." >&2
  load nginx "$floor"
  load one "$base/v1/ruc/$ruc"
  load cycle "$base/v1/ruc/$ruc" "$work/cycle.lua"
done

# The batch: BATCHES POSTs on one connection, each timed; every answer checked.
post() {   # COUNT OUT: COUNT POSTs of the 1,000 RUCs on one kept-alive connection; their times in ms in OUT
  local args=() n
  for ((n = 0; n < $1; n++)); do args+=(-o "$work/batch.$n" "$base/v1/ruc"); done
  curl -s -H 'Content-Type: application/json' --data-binary @"$work/batch.json" \
    -w '%{http_code} %{time_total}\n' "${args[@]}" >"$work/post.out"
  awk '$1 != 200 {bad = 1} END {exit bad}' "$work/post.out" \
    || { echo "POST /v1/ruc answered other than 200: $(sort "$work/post.out" | uniq -c | head -3)" >&2; exit 1; }
  [[ "$(wc -l <"$work/post.out")" -eq "$1" ]] || { echo "curl made fewer than $1 POSTs" >&2; exit 1; }
  for ((n = 0; n < $1; n++)); do
    local valid cached
    valid="$(grep -o '"status":"VALID"' "$work/batch.$n" | wc -l)"
    cached="$(grep -o '"source":"cache"' "$work/batch.$n" | wc -l)"
    if [[ "$(grep -o '"status":' "$work/batch.$n" | wc -l)" -ne 1000 || "$valid" -ne 1000 || "$cached" -ne 1000 ]]
    then
      echo "POST /v1/ruc: answer $n has not 1,000 cached VALID elements ($valid VALID, $cached from the cache)" >&2
      exit 1
    fi
  done
  awk '{printf "%.3f\n", $2 * 1000}' "$work/post.out" >"$2"
}
quantile() {   # FILE Q: the Q-quantile (nearest rank) of FILE's numbers
  sort -g "$1" | awk -v q="$2" '{v[NR] = $1} END {r = int(q * NR); if (r < q * NR) r++; if (r < 1) r = 1; print v[r]}'
}
echo "batch: warming up, then $runs x $batches POSTs of 1,000 RUCs..." >&2
post 50 "$work/post-warm"
for i in $(seq "$runs"); do
  post "$batches" "$work/post-$i"
  quantile "$work/post-$i" 0.5 >>"$work/batch.p50"
  quantile "$work/post-$i" 0.9 >>"$work/batch.p90"
  bench_stats "$work/post-$i" | cut -d' ' -f3 >>"$work/batch.max"
done

echo "stopping serve (SIGTERM)..." >&2
kill -TERM "$serve_pid"
for _ in $(seq 200); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done   # 20 s
if kill -0 "$serve_pid" 2>/dev/null; then
  echo "serve did not stop within 20 s of SIGTERM" >&2
  exit 1
fi
code=0
wait "$serve_pid" || code=$?
serve_pid=""
((code == 0)) || { echo "serve exited $code on SIGTERM, not 0:" >&2; cat "$work/serve.err" >&2; exit 1; }
kill -QUIT "$nginx_pid"
wait "$nginx_pid" || true
nginx_pid=""
# Anything serve said besides listening and stopping (an internal error, a warning) is shown, and counted below.
grep -v -E '^ruc-cache: (serving on|stopping \(|stopped; counters saved)' "$work/serve.err" >"$work/serve.other" || true
if [[ -s "$work/serve.other" ]]; then
  echo "serve's stderr, besides listening and stopping:" >&2
  head -20 "$work/serve.other" >&2
fi

header_bytes() { tr -d '\r' <"$1" | awk 'NF' | wc -c; }   # without the CRs and the blank line
bench_say "serve: bin/ruc-cache serve --access-log off; the launcher's JVM options: %s" "${jvm_opts% }"
bench_say "nginx: %s worker processes, access_log off, keepalive_requests 1000000" "$(bench_cores)"
bench_say "each answer: %s bytes of JSON (nginx: a copy of serve's); headers %s bytes from serve, %s from nginx" \
  "$size" "$(header_bytes "$work/one.headers")" "$(header_bytes "$work/floor.headers")"
bench_say "wrk -t2 -c32 -d10s --latency, %s repeats of each after a 5 s warm-up, interleaved; median (min-max);" "$runs"
bench_say "ratio: to nginx's requests/s, with the spread of the per-repeat ratios; errors: non-2xx + socket errors,"
bench_say "the most in any repeat"
bench_say '%-44s %22s  %18s  %16s  %6s' "server" "requests/s" "ratio to nginx" "p99 ms" "errors"
worst() { bench_stats "$1" | cut -d' ' -f3; }
median() { bench_stats "$1" | cut -d' ' -f1; }
ratio_of() {   # KEY: the ratio of KEY's median requests/s to nginx's; KEY.ratios, the per-repeat ones
  bench_ratios "$work/nginx.rps" "$work/$1.rps" >"$work/$1.ratios"
  awk -v a="$(median "$work/$1.rps")" -v b="$(median "$work/nginx.rps")" 'BEGIN {printf "%.10g", a / b}'
}
ratio_cell() {   # KEY RATIO: "RATIO (min-max of the per-repeat ratios)"
  local lo hi
  read -r _ lo hi < <(bench_stats "$work/$1.ratios")
  printf '%.2fx (%.2f-%.2fx)' "$2" "$lo" "$hi"
}
one_ratio="$(ratio_of one)"
cycle_ratio="$(ratio_of cycle)"
bench_row '%-44s %22s  %18s  %16s  %6d' "nginx, the same bytes from a file (floor)" \
  "$(bench_spread "$work/nginx.rps")" \
  "1.00x" "$(bench_spread "$work/nginx.p99" %.2f)" "$(worst "$work/nginx.errors")"
bench_row '%-44s %22s  %18s  %16s  %6d' "serve GET /v1/ruc/$ruc (one RUC)" "$(bench_spread "$work/one.rps")" \
  "$(ratio_cell one "$one_ratio")" \
  "$(bench_spread "$work/one.p99" %.2f)" "$(worst "$work/one.errors")"
bench_row '%-44s %22s  %18s  %16s  %6d' "serve GET /v1/ruc/{the 1,000 RUCs in turn}" \
  "$(bench_spread "$work/cycle.rps")" \
  "$(ratio_cell cycle "$cycle_ratio")" \
  "$(bench_spread "$work/cycle.p99" %.2f)" "$(worst "$work/cycle.errors")"
bench_say ""
bench_say "POST /v1/ruc of the 1,000 RUCs (%s bytes in, about %s KB out), curl's time_total on one connection:" \
  "$(wc -c <"$work/batch.json")" "$(($(wc -c <"$work/batch.0") / 1000))"
bench_say "%s repeats of %s POSTs after 50 for warm-up; every answer checked (1,000 cached VALID elements);" \
  "$runs" "$batches"
bench_say "the repeats' median, p90 and slowest POST: median (min-max) over the repeats"
bench_say '%-44s %16s  %16s  %16s' "" "median ms" "p90 ms" "max ms"
bench_row '%-44s %16s  %16s  %16s' "POST /v1/ruc, 1,000 cached RUCs" "$(bench_spread "$work/batch.p50" %.1f)" \
  "$(bench_spread "$work/batch.p90" %.1f)" "$(bench_spread "$work/batch.max" %.1f)"
bench_say "serve stopped on SIGTERM: exit 0; its stderr, besides listening and stopping: %s lines" \
  "$(wc -l <"$work/serve.other")"
bench_say ""
bench_target "serve vs nginx, requests/s at 32 connections" ge 0.5 "$one_ratio" "$work/one.ratios" "%.2fx"
bench_target "p99 latency, serve, one cached RUC" le 10 "$(median "$work/one.p99")" "$work/one.p99" "%.2f ms"
cat "$work/one.errors" "$work/cycle.errors" >"$work/serve.errors"
bench_target "error responses and socket errors, serve (both rows)" eq 0 "$(worst "$work/serve.errors")" \
  "$work/serve.errors" "%d"
bench_target "POST of 1,000 cached RUCs, median" le 20 "$(median "$work/batch.p50")" "$work/batch.p50" "%.1f ms"
# wrk at 32 connections leaves a load average of 5 to 8 on 2 cores (serve's threads, wrk's, nginx's all runnable), and
# it decays with a 1-minute time constant: from 7.6 it takes about 2 minutes to fall under 1.0, so lib.sh's default
# wait of 120 s refused valid runs by a hair. This script waits up to 180 s unless told otherwise.
BENCH_SETTLE="${BENCH_SETTLE:-180}" bench_finish
