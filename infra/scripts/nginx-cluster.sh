#!/usr/bin/env bash
# Starts or stops nginx as a round-robin reverse proxy in front of several `dockyard web` nodes, bound to 127.0.0.1,
# state under $NGINX_CLUSTER_STATE (default $DOCKYARD_STATE/nginx, i.e. ./.state/nginx): nginx.conf, nginx.pid,
# logs/access.log (one line per request: method, path, status, the upstream(s) tried and their statuses),
# logs/error.log (warn: "upstream server temporarily disabled" when a node failed), tmp/.
# Usage: NGINX_CLUSTER_PORT=8080 NGINX_CLUSTER_UPSTREAMS="127.0.0.1:9001 127.0.0.1:9002" nginx-cluster.sh start
#        nginx-cluster.sh stop
# NGINX_CLUSTER_MAX_FAILS (default 1) and NGINX_CLUSTER_FAIL_TIMEOUT (default 10s): a node that fails that many
# times (refused, reset, cut off mid-request) is left out for that long; start the nodes before nginx, or one refused
# connection at start-up leaves a node out. NGINX_CLUSTER_KEEPALIVE (default 256): idle connections to the nodes nginx
# keeps open; fewer than the requests in flight and nginx closes the surplus after each response (see
# conf/examples/nginx-cluster.conf).
set -euo pipefail

state="${NGINX_CLUSTER_STATE:-${DOCKYARD_STATE:-$PWD/.state}/nginx}"
pidfile="$state/nginx.pid"
conf="$state/nginx.conf"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

write_conf() {
  local servers="" upstream
  for upstream in $NGINX_CLUSTER_UPSTREAMS; do
    servers+="    server $upstream max_fails=${NGINX_CLUSTER_MAX_FAILS:-1} fail_timeout=${NGINX_CLUSTER_FAIL_TIMEOUT:-10s};"$'\n'
  done
  cat >"$conf" <<CONF
# Written by infra/scripts/nginx-cluster.sh; conf/examples/nginx-cluster.conf is the same for a real deployment.
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 1024; }
http {
  log_format cluster '\$request_method \$uri \$status upstream=\$upstream_addr upstream_status=\$upstream_status';
  access_log logs/access.log cluster;
  client_body_temp_path tmp/client_body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;
  upstream dockyard {
$servers    keepalive ${NGINX_CLUSTER_KEEPALIVE:-256};
  }
  server {
    listen 127.0.0.1:$NGINX_CLUSTER_PORT;
    client_max_body_size 0;
    location / {
      proxy_pass http://dockyard;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_read_timeout 900;
      proxy_send_timeout 900;
    }
  }
}
CONF
}

start() {
  : "${NGINX_CLUSTER_PORT:?set NGINX_CLUSTER_PORT}" "${NGINX_CLUSTER_UPSTREAMS:?set NGINX_CLUSTER_UPSTREAMS}"
  if running; then
    echo "nginx already running (pid $(cat "$pidfile")); stop it first" >&2
    return 1
  fi
  mkdir -p "$state/logs" "$state/tmp"
  write_conf
  nginx -t -q -e "$state/logs/error.log" -c "$conf" -p "$state/"
  setsid nginx -e "$state/logs/error.log" -c "$conf" -p "$state/" -g 'daemon off;' >"$state/logs/stdout.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 30))
  until running && curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$NGINX_CLUSTER_PORT/healthz"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "nginx did not answer within 30 s; its log:" >&2
      cat "$state/logs/error.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "nginx running (pid $(cat "$pidfile")) on http://127.0.0.1:$NGINX_CLUSTER_PORT -> $NGINX_CLUSTER_UPSTREAMS"
}

stop() {
  if ! running; then
    echo "nginx not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  # SIGTERM stops nginx within a second; tail --pid returns when it has gone.
  timeout 30 tail --pid="$pid" -f /dev/null || { echo "nginx (pid $pid) did not stop within 30 s; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$pidfile"
  echo "nginx stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
