# Sourced by the benchmarks that need Redis (and by .ci/run): start_redis_server DIR starts a redis-server of its own
# on a free loopback port, without persistence, its files in DIR, and waits until it answers; it sets $port.
# stop_redis_server stops it (for an EXIT trap; harmless when it never started).
start_redis_server() {
  local dir="$1" candidate
  command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }
  port=""
  for candidate in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port="$candidate"; break; fi
  done
  [[ -n "$port" ]] || { echo "no free port for redis-server" >&2; exit 1; }
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server did not answer on port $port; see $dir/redis.log" >&2
  exit 1
}

stop_redis_server() {
  [[ -n "${port:-}" ]] && redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
}
