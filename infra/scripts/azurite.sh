#!/usr/bin/env bash
# Starts or stops a private Azurite (Azure Blob + Queue + Table emulator) for the Azure tests, bound to 127.0.0.1,
# state under $DOCKYARD_STATE/azurite (default ./.state/azurite): the npm package in node_modules/ (installed on first
# start), the storage in data/, the pid in azurite.pid. Blob on port $AZURITE_BLOB_PORT (default 10000), queue on
# $AZURITE_QUEUE_PORT (10001), table on $AZURITE_TABLE_PORT (10002); the tests use the development account
# (devstoreaccount1). Usage: azurite.sh start|stop
set -euo pipefail

version="3.37.0"
state="${DOCKYARD_STATE:-$PWD/.state}/azurite"
pidfile="$state/azurite.pid"
log="$state/azurite.log"
bin="$state/node_modules/.bin/azurite"
blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# Azurite answers an unauthenticated request to / with an error once it serves: 403 on a fresh start, 400 later.
answers() {
  case "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/" 2>/dev/null)" in
    400 | 403) return 0 ;;
    *) return 1 ;;
  esac
}

ready() {
  answers "$blob_port" && answers "$table_port"
}

install() {
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "$version" ]; then
    return 0
  fi
  echo "installing azurite $version into $state (about a minute)"
  mkdir -p "$state"
  # An EBADENGINE warning about the node version is harmless.
  npm install --prefix "$state" --no-audit --no-fund --loglevel=error "azurite@$version" >"$state/npm.log" 2>&1 || {
    echo "npm install azurite failed; its output:" >&2
    cat "$state/npm.log" >&2
    return 1
  }
}

start() {
  if running && ready; then
    echo "azurite already running (pid $(cat "$pidfile"))"
    return 0
  fi
  install
  mkdir -p "$state/data"
  # Without --disableTelemetry it takes minutes to exit.
  setsid "$bin" --silent --location "$state/data" --blobHost 127.0.0.1 --tableHost 127.0.0.1 --queueHost 127.0.0.1 \
    --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" --skipApiVersionCheck --loose --disableTelemetry >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + 60))
  until ready; do
    if ! running; then
      echo "azurite exited during start-up; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "azurite did not answer within 60 s; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "azurite running (pid $(cat "$pidfile")): blob http://127.0.0.1:$blob_port, table http://127.0.0.1:$table_port"
}

stop() {
  if ! running; then
    echo "azurite not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "azurite (pid $pid) did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  echo "azurite stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
