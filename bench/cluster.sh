#!/usr/bin/env bash
# Several `dockyard web` nodes behind nginx on one shared backend: what shared metadata, a second and a third node cost.
#
#   bench/cluster.sh                      BACKENDS="sqlite mysql azure" (the default)
#
# For each backend in BACKENDS and node count (sqlite: 1, the single-node reference; mysql and azure: 1 and 3), each
# node a `dockyard web` with [dockyard] standalone = true on its own port and data folder, all with one runtime.conf
# naming the same stores, and nginx in front (infra/scripts/nginx-cluster.sh, round-robin, request buffering off,
# keepalive 256 to the nodes: above wrk's 64 connections, so that nginx opens no connection per request), each node
# told its share of the machine as a container CPU limit would (DOTNET_PROCESSOR_COUNT = cores / nodes, at least 1:
# one node keeps every core, three on 2 cores see one each; README "Running several nodes"):
#   1. warm-up: bench/tiny pushed through nginx with tags v0..v8 (bench/lib/image_push.py), a short wrk run;
#   2. wrk -t2 -c64 --latency through nginx, GET /v2/bench/tiny/manifests/vN (bench/lib/scale_wrk.lua): req/s and
#      p99 (WRK_RUNS runs of WRK_SECONDS each; the median is reported), and what each request cost, which a machine
#      shared with other work skews far less than req/s: the nodes' CPU-µs (utime+stime from /proc/PID/stat, all
#      nodes summed), and for mysql mariadbd's CPU-µs and the statements it received (its Questions counter), and
#      redis-server's CPU-µs (with Redis the nodes serve pulls from memory checked against Redis: [db] pullcache);
#   3. a PUSH_MIB MiB blob (random bytes) pushed through nginx by curl (bench/lib/curl_push.sh: POST, one streamed
#      PATCH, PUT): MB/s (MiB / wall seconds of the three requests), and the nodes' peak RSS (the largest of them);
#      PUSH_MIB=0 skips it.
# Backends: sqlite = blobs on local disk + SQLite (one node only: it cannot be shared); mysql = MariaDB
# (infra/scripts/mariadb.sh) + RADOS (infra/scripts/ceph-cluster.sh, a namespace per run) + Redis
# (infra/scripts/redis.sh); azure = Azure Blob + Azure Tables (Azurite, or AZURE_CONNECTION). Services this script
# starts are stopped at the end; running ones are reused and left running. On a 2-core machine three nodes share the
# cores with nginx and the services: the ratios show what the shared backend and the proxy cost, not what three
# machines would give.
#
# Environment knobs (defaults in brackets):
#   BACKENDS ["sqlite mysql azure"]   WRK_SECONDS [10]   WRK_RUNS [3]   PUSH_MIB [1024]
#   PORT [5131] (nginx; nodes on PORT+1..PORT+3)
#   NODE_SHARE [1]     1 = DOTNET_PROCESSOR_COUNT = cores / nodes for every node; 0 = the runtime counts every core
#   BUILD [0]          1 = build (and ReadyToRun-publish) Dockyard first, as run.sh does; 0 = reuse the Release build
#   AZURE_CONNECTION   an Azure Storage connection string; unset: infra/scripts/azurite.sh start
#   SCRATCH [/tmp/dockyard-cluster-bench]   QUIET_IDLE [80] QUIET_MAX [20] QUIET_BUDGET [300] (see lib/common.sh)
#
# What a run writes stays behind: the Azure container (bench-<id>) and tables (bench<id>…), the MySQL tables, the
# RADOS namespace bench-<id>.
# Raw results go to bench/results/cluster-<UTC timestamp>/ (raw.tsv, summary.md, wrk, curl, node and nginx logs).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# common.sh reads the QUIET_* knobs when it is sourced: set this script's defaults first.
QUIET_MAX=${QUIET_MAX:-20}
QUIET_BUDGET=${QUIET_BUDGET:-300}
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

WRK_SECONDS=${WRK_SECONDS:-10}
WRK_RUNS=${WRK_RUNS:-3}
PUSH_MIB=${PUSH_MIB:-1024}
PORT=${PORT:-5131}
BUILD=${BUILD:-0}
NODE_SHARE=${NODE_SHARE:-1}
BACKENDS=${BACKENDS:-sqlite mysql azure}
SCRATCH=${SCRATCH:-/tmp/dockyard-cluster-bench}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$REPO/bench/results/cluster-$STAMP}
ID=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')

for tool in wrk curl nginx python3; do
  command -v "$tool" > /dev/null || die "$tool not found (apt-get install wrk curl nginx python3)"
done
NPROC=$(nproc)
mkdir -p "$RESULTS" "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
RAW=$RESULTS/raw.tsv
printf 'metric\tsetup\trun\tvalue\n' > "$RAW"
open_nap "$SCRATCH"
export NGINX_CLUSTER_STATE=$SCRATCH/nginx NGINX_CLUSTER_PORT=$PORT

NODE_PIDS=()
STARTED=()
stop_nodes() {
  infra/scripts/nginx-cluster.sh stop > /dev/null || true
  local pid
  for pid in "${NODE_PIDS[@]}"; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  NODE_PIDS=()
}
cleanup() {
  local rc=$? service
  stop_nodes
  for service in "${STARTED[@]}"; do
    infra/scripts/"$service".sh stop > /dev/null || true
  done
  rm -rf "$SCRATCH/node"* "$SCRATCH/blob.bin"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

service() { # SCRIPT: start a service of infra/scripts; one that ran already is reused and left running
  local said
  said=$(infra/scripts/"$1".sh start) || die "infra/scripts/$1.sh start failed: $said"
  [[ $said == *already* ]] || STARTED+=("$1")
}

backend_conf() { # BACKEND: the sections every node of the run shares
  local state=${DOCKYARD_STATE:-$REPO/.state}
  case $1 in
    sqlite)
      printf '[dockyard]\nstandalone = true\n' ;;
    mysql)
      cat << CONF
[dockyard]
standalone = true
backend = rados
[rados]
conffile = $state/ceph/ceph.conf
poolname = dockyard
namespace = bench-$ID
[db]
driver = mysql
uri = 127.0.0.1:$(cat "$state/mariadb/port")
user = $(cat "$state/mariadb/user")
passwd = $(cat "$state/mariadb/password")
name = $(cat "$state/mariadb/database")
redis = $(cat "$state/redis/address")
CONF
      ;;
    azure)
      if [[ -z ${AZURE_CONNECTION:-} ]]; then
        local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
        AZURE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT:-10000}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${AZURITE_TABLE_PORT:-10002}/devstoreaccount1;"
      fi
      cat << CONF
[dockyard]
standalone = true
backend = azure
[db]
driver = azuretables
[azure]
connectionstring = $AZURE_CONNECTION
container = bench-$ID
tableprefix = bench$ID
CONF
      ;;
    *) die "unknown backend '$1' (sqlite, mysql, azure)" ;;
  esac
}

backend_services() { # BACKEND: start what it needs (here, not in backend_conf's subshell, so cleanup knows)
  case $1 in
    mysql) service mariadb && service ceph-cluster && service redis ;;
    azure) [[ -n ${AZURE_CONNECTION:-} ]] || service azurite ;;
  esac
}

write_conf() { # BACKEND
  local sections
  backend_services "$1"
  sections=$(backend_conf "$1")
  printf 'runmode = prod\n[log]\nlevel = Warning\n[gc]\ninterval = 0\n%s\n' "$sections" > "$SCRATCH/runtime.conf"
}

start_cluster() { # NODES: start the nodes (the first alone: it creates the tables), then nginx
  local count=$1 i port upstreams="" share=()
  # Each node's share of the cores, as a container CPU limit would give it: fewer thread-pool threads to wake per request.
  ((NODE_SHARE)) && share=("DOTNET_PROCESSOR_COUNT=$(((NPROC / count) > 0 ? NPROC / count : 1))")
  for ((i = 1; i <= count; i++)); do
    port=$((PORT + i))
    rm -rf "$SCRATCH/node$i"
    mkdir -p "$SCRATCH/node$i"
    (cd "$SCRATCH/node$i" && DOCKYARD_DOCKYARD__PATH="$SCRATCH/node$i" exec env "${share[@]}" "$DOCKYARD_BIN" web --config "$SCRATCH/runtime.conf" \
      --address 127.0.0.1 --port "$port") > "$RESULTS/node$i-$SETUP.log" 2>&1 &
    NODE_PIDS+=($!)
    ((i > 1)) || wait_ready "$port" "${NODE_PIDS[0]}"
    upstreams+="127.0.0.1:$port "
  done
  for ((i = 2; i <= count; i++)); do
    wait_ready $((PORT + i)) "${NODE_PIDS[i - 1]}"
  done
  NGINX_CLUSTER_UPSTREAMS=$upstreams infra/scripts/nginx-cluster.sh start >&2
}

nodes_cpu_s() { # the CPU seconds of every node so far, summed
  local pid total=0
  for pid in "${NODE_PIDS[@]}"; do
    total=$(awk -v t="$total" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$pid/stat")
  done
  echo "$total"
}

mariadb_figures() { # "CPU-seconds Questions redis-CPU-seconds" of the MariaDB and Redis the mysql setups use; "0 0 0" for the others
  local state=${DOCKYARD_STATE:-$REPO/.state}/mariadb redis=${DOCKYARD_STATE:-$REPO/.state}/redis/redis.pid
  if [[ $SETUP != mysql-* || ! -f $state/mysqld.pid ]]; then
    echo "0 0 0"
    return
  fi
  printf '%s %s %s\n' "$(proc_cpu_s "$(cat "$state/mysqld.pid")")" \
    "$(mariadb --no-defaults --socket="$state/mysqld.sock" -uroot -N -e "SHOW GLOBAL STATUS LIKE 'Questions'" | cut -f2)" \
    "$( [[ -f $redis ]] && proc_cpu_s "$(cat "$redis")" || echo 0)"
}

wrk_manifest() { # SETUP RUN SECONDS [LABEL]
  local out=$RESULTS/wrk-${4:-warmup}-$1-run$2.txt rps p99 bad requests c0 c1 d0 d1 q0 q1 r0 r1
  [[ -z ${4:-} ]] || wait_quiet "$1" "$2" "$4"
  c0=$(nodes_cpu_s)
  read -r d0 q0 r0 < <(mariadb_figures)
  wrk -t2 -c64 -d"$3s" --latency -s bench/lib/scale_wrk.lua "http://127.0.0.1:$PORT" -- manifest 0 > "$out" 2>&1 || die "wrk failed; see $out"
  c1=$(nodes_cpu_s)
  read -r d1 q1 r1 < <(mariadb_figures)
  [[ -n ${4:-} ]] || return 0
  read -r rps p99 bad < <(wrk_figures "$out")
  requests=$(awk '/ requests in / { print $1 }' "$out")
  ((bad == 0)) || log "  WARNING: $4 on $1: $bad non-2xx responses"
  record "$4_rps" "$1" "$2" "$rps"
  record "$4_p99_ms" "$1" "$2" "$p99"
  record "$4_errors" "$1" "$2" "$bad"
  record "$4_node_cpu_us_per_request" "$1" "$2" "$(awk -v a="$c0" -v b="$c1" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
  if [[ $1 == mysql-* ]]; then
    record "$4_mariadb_cpu_us_per_request" "$1" "$2" "$(awk -v a="$d0" -v b="$d1" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
    record "$4_mariadb_statements_per_request" "$1" "$2" "$(awk -v a="$q0" -v b="$q1" -v n="$requests" 'BEGIN { printf "%.2f", (b - a) / n }')"
    record "$4_redis_cpu_us_per_request" "$1" "$2" "$(awk -v a="$r0" -v b="$r1" -v n="$requests" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')"
  fi
}

push_blob() { # SETUP: a fresh blob each time, so that no push finds its digest already stored
  local seconds
  log "$1: writing a $PUSH_MIB MiB blob"
  head -c "$((PUSH_MIB << 20))" /dev/urandom > "$SCRATCH/blob.bin"
  BLOB_DIGEST=sha256:$(sha256sum "$SCRATCH/blob.bin" | cut -d' ' -f1)
  wait_quiet "$1" 1 push
  seconds=$(bench/lib/curl_push.sh "$SCRATCH/blob.bin" "$BLOB_DIGEST" "$PORT" "bench/push-$1" 2> "$RESULTS/curl-$1.txt") \
    || die "the push through nginx failed; see $RESULTS/curl-$1.txt"
  record push_s "$1" 1 "$seconds"
  local pid hwm=0 kib
  for pid in "${NODE_PIDS[@]}"; do
    kib=$(proc_kib "$pid" VmHWM)
    ((kib > hwm)) && hwm=$kib
  done
  record node_peak_rss_mib "$1" 1 "$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')"
  record push_mb_s "$1" 1 "$(awk -v m="$PUSH_MIB" -v s="$seconds" 'BEGIN { printf "%.1f", m * 1.048576 / s }')"
}

measure() { # BACKEND NODES
  local run
  SETUP=$1-$2
  log "$SETUP: starting"
  write_conf "$1"
  start_cluster "$2"
  python3 bench/lib/image_push.py "$PORT" bench/tiny 1 v0,v1,v2,v3,v4,v5,v6,v7,v8 > /dev/null
  wrk_manifest "$SETUP" 0 3
  for ((run = 1; run <= WRK_RUNS; run++)); do
    wrk_manifest "$SETUP" "$run" "$WRK_SECONDS" manifest_get
  done
  if ((PUSH_MIB > 0)); then
    log "$SETUP: pushing $PUSH_MIB MiB through nginx"
    push_blob "$SETUP"
  fi
  cp "$NGINX_CLUSTER_STATE/logs/error.log" "$RESULTS/nginx-error-$SETUP.log" 2> /dev/null || true
  stop_nodes
}

summarize() { # one column per setup (backend-nodes), the median over runs, and each as a ratio to the first setup
  awk -F'\t' -v setups="$SETUPS" "$AWK_MEDIAN"'
    NR > 1 { v[$1, $2] = v[$1, $2] " " $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    END {
      m = split(setups, s, " ")
      line = "| figure (through nginx) |"; rule = "| --- |"
      for (c = 1; c <= m; c++) { line = line " " s[c] " |"; rule = rule " ---: |" }
      for (c = 2; c <= m; c++) { line = line " " s[c] " / " s[1] " |"; rule = rule " ---: |" }
      print line; print rule
      for (i = 1; i <= n; i++) {
        k = order[i]; if (k ~ /^idle_pct/) continue
        line = "| " k " |"
        for (c = 1; c <= m; c++) line = line " " (((k, s[c]) in v) ? med(v[k, s[c]]) : "–") " |"
        for (c = 2; c <= m; c++) {
          a = ((k, s[1]) in v) ? med(v[k, s[1]]) : ""; b = ((k, s[c]) in v) ? med(v[k, s[c]]) : ""
          line = line " " ((a != "" && b != "" && a + 0 != 0) ? sprintf("%.2f", b / a) : "–") " |"
        }
        print line
      }
    }' "$RAW" > "$RESULTS/summary.md"
  cat "$RESULTS/summary.md"
}

main() {
  local backend setup
  SETUPS=""
  for backend in $BACKENDS; do
    case $backend in
      sqlite) SETUPS+="sqlite-1 " ;;
      *) SETUPS+="$backend-1 $backend-3 " ;;
    esac
  done
  build_dockyard
  {
    echo "date_utc: $(date -u +%FT%TZ)  git: $(git rev-parse --short HEAD 2> /dev/null || echo '?')  nproc: $(nproc)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)  dockyard build: $(cat "$RESULTS/dockyard-build.txt")"
    echo "settings: WRK_SECONDS=$WRK_SECONDS WRK_RUNS=$WRK_RUNS PUSH_MIB=$PUSH_MIB NODE_SHARE=$NODE_SHARE setups: $SETUPS"
  } | tee "$RESULTS/machine.txt" >&2
  for setup in $SETUPS; do
    measure "${setup%-*}" "${setup##*-}"
  done
  summarize
  log "results in $RESULTS"
}

main "$@"
