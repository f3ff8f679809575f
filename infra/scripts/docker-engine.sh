#!/usr/bin/env bash
# Starts or stops a private docker engine for the interop tests, listening only on a unix socket under
# $DOCKYARD_STATE/docker (default ./.state/docker). Usage: docker-engine.sh start|stop
set -euo pipefail

state="${DOCKYARD_STATE:-$PWD/.state}/docker"
socket="$state/docker.sock"
pidfile="$state/dockerd.pid"
log="$state/dockerd.log"
# Debian's client matches Debian's dockerd (API 1.41); a newer client elsewhere on PATH must be told the version.
docker_cli=/usr/bin/docker
if [ ! -x "$docker_cli" ]; then
  docker_cli="$(command -v docker)"
fi
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

start() {
  mkdir -p "$state"
  if running && "$docker_cli" -H "unix://$socket" info >/dev/null 2>&1; then
    echo "docker engine already running on unix://$socket"
    return 0
  fi
  rm -f "$pidfile" "$socket"
  nohup dockerd --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
    --host="unix://$socket" --data-root "$state/data" --exec-root "$state/exec" --pidfile "$pidfile" \
    >"$log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until "$docker_cli" -H "unix://$socket" info >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "docker engine did not start within 60 s; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 1
  done
  echo "docker engine running on unix://$socket"
}

stop() {
  if ! running; then
    echo "docker engine not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "docker engine (pid $pid) did not stop within 60 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
  done
  rm -f "$pidfile"
  echo "docker engine stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
