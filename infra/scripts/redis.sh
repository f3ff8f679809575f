#!/usr/bin/env bash
# Starts or stops a private redis-server for the Redis tests, bound to 127.0.0.1 on port $REDIS_PORT (default 16379),
# state under $DOCKYARD_STATE/redis (default ./.state/redis): the log and the pid file. Nothing is saved to disk
# (--save '' --appendonly no): the tests need no data to outlive the server. Prints host:port into $state/address.
# Usage: redis.sh start|stop
set -euo pipefail

state="${DOCKYARD_STATE:-$PWD/.state}/redis"
pidfile="$state/redis.pid"
log="$state/redis.log"
port="${REDIS_PORT:-16379}"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

ready() {
  [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]
}

start() {
  if running && ready; then
    echo "redis already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"
    return 0
  fi
  mkdir -p "$state"
  # Foreground in its own session, so that $! is the server and it outlives this script.
  setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$state" \
    --logfile "$log" >/dev/null 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + 30))
  until ready; do
    if ! running; then
      echo "redis-server exited during start-up; its log:" >&2
      cat "$log" >&2 || true
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "redis-server did not answer within 30 s; its log:" >&2
      cat "$log" >&2 || true
      return 1
    fi
    sleep 0.05
  done
  echo "127.0.0.1:$port" >"$state/address"
  echo "redis running (pid $(cat "$pidfile")) on 127.0.0.1:$port"
}

stop() {
  if ! running; then
    echo "redis not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "redis-server (pid $pid) did not stop within 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.05
  done
  rm -f "$pidfile"
  echo "redis stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
