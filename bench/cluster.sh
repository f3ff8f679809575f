#!/usr/bin/env bash
# Several `dockyard web` nodes behind nginx on one shared backend (Azure Blob + Azure Tables on Azurite): what a
# second and third node add.
#
#   bench/cluster.sh
#
# For NODES = 1 and then 3 (each a `dockyard web` with [dockyard] standalone = true on its own port and data folder,
# all with the same runtime.conf naming the same Azurite container and table prefix), nginx in front
# (infra/scripts/nginx-cluster.sh, round-robin, request buffering off):
#   1. warm-up: bench/tiny pushed through nginx with tags v0..v8 (bench/lib/image_push.py), a short wrk run;
#   2. wrk -t2 -c64 --latency through nginx, GET /v2/bench/tiny/manifests/vN (bench/lib/scale_wrk.lua): req/s and
#      p99 (WRK_RUNS runs of WRK_SECONDS each; the median is reported);
#   3. a PUSH_MIB MiB blob (random bytes) pushed through nginx by curl (bench/lib/curl_push.sh: POST, one streamed
#      PATCH, PUT): MB/s (MiB / wall seconds of the three requests).
# On a 2-core machine three nodes share the cores nginx and Azurite need too: the ratio shows what the shared
# backend and the proxy cost, not what three machines would give.
#
# Environment knobs (defaults in brackets):
#   WRK_SECONDS [10]   WRK_RUNS [3]   PUSH_MIB [1024]   PORT [5131] (nginx; nodes on PORT+1..PORT+3)
#   BUILD [0]          1 = build (and ReadyToRun-publish) Dockyard first, as run.sh does; 0 = reuse the Release build
#   AZURE_CONNECTION   an Azure Storage connection string; unset: infra/scripts/azurite.sh start (stopped at the end)
#   SCRATCH [/tmp/dockyard-cluster-bench]   QUIET_IDLE [80] QUIET_MAX [20] QUIET_BUDGET [300] (see lib/common.sh)
#
# The run's container (bench-<id>) and tables (bench<id>…) stay in the account; an Azurite this script started is
# stopped, its data kept under .state/azurite.
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
SCRATCH=${SCRATCH:-/tmp/dockyard-cluster-bench}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$REPO/bench/results/cluster-$STAMP}
ID=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')

for tool in wrk curl nginx python3; do
  command -v "$tool" > /dev/null || die "$tool not found (apt-get install wrk curl nginx python3)"
done
mkdir -p "$RESULTS" "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
RAW=$RESULTS/raw.tsv
printf 'metric\tnodes\trun\tvalue\n' > "$RAW"
open_nap "$SCRATCH"
export NGINX_CLUSTER_STATE=$SCRATCH/nginx NGINX_CLUSTER_PORT=$PORT

NODE_PIDS=()
STARTED_AZURITE=0
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
  local rc=$?
  stop_nodes
  ((STARTED_AZURITE == 0)) || infra/scripts/azurite.sh stop > /dev/null || true
  rm -rf "$SCRATCH/node"* "$SCRATCH/blob.bin"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

azure() {
  if [[ -z ${AZURE_CONNECTION:-} ]]; then
    infra/scripts/azurite.sh start >&2
    STARTED_AZURITE=1
    local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    AZURE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT:-10000}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${AZURITE_TABLE_PORT:-10002}/devstoreaccount1;"
  fi
  # One runtime.conf for every node: the shared stores (a container and table prefix of this run's own).
  cat > "$SCRATCH/runtime.conf" << CONF
runmode = prod
[log]
level = Warning
[dockyard]
standalone = true
backend = azure
[db]
driver = azuretables
[azure]
connectionstring = $AZURE_CONNECTION
container = bench-$ID
tableprefix = bench$ID
[gc]
interval = 0
CONF
}

start_cluster() { # NODES: start the nodes (the first alone: it creates the tables), then nginx
  local count=$1 i port upstreams=""
  for ((i = 1; i <= count; i++)); do
    port=$((PORT + i))
    mkdir -p "$SCRATCH/node$i"
    (cd "$SCRATCH/node$i" && DOCKYARD_DOCKYARD__PATH="$SCRATCH/node$i" exec "$DOCKYARD_BIN" web --config "$SCRATCH/runtime.conf" \
      --address 127.0.0.1 --port "$port") > "$RESULTS/node$i-of-$count.log" 2>&1 &
    NODE_PIDS+=($!)
    ((i > 1)) || wait_ready "$port" "${NODE_PIDS[0]}"
    upstreams+="127.0.0.1:$port "
  done
  for ((i = 2; i <= count; i++)); do
    wait_ready $((PORT + i)) "${NODE_PIDS[i - 1]}"
  done
  NGINX_CLUSTER_UPSTREAMS=$upstreams infra/scripts/nginx-cluster.sh start >&2
}

wrk_manifest() { # NODES RUN SECONDS [LABEL]
  local out=$RESULTS/wrk-${4:-warmup}-$1-run$2.txt rps p99 bad
  [[ -z ${4:-} ]] || wait_quiet "$1" "$2" "$4"
  wrk -t2 -c64 -d"$3s" --latency -s bench/lib/scale_wrk.lua "http://127.0.0.1:$PORT" -- manifest 0 > "$out" 2>&1 || die "wrk failed; see $out"
  [[ -n ${4:-} ]] || return 0
  read -r rps p99 bad < <(wrk_figures "$out")
  ((bad == 0)) || log "  WARNING: $4 with $1 node(s): $bad non-2xx responses"
  record "$4_rps" "$1" "$2" "$rps"
  record "$4_p99_ms" "$1" "$2" "$p99"
  record "$4_errors" "$1" "$2" "$bad"
}

push_blob() { # NODES: a fresh blob each time, so that no push finds its digest already stored
  local seconds
  log "$1 node(s): writing a $PUSH_MIB MiB blob"
  head -c "$((PUSH_MIB << 20))" /dev/urandom > "$SCRATCH/blob.bin"
  BLOB_DIGEST=sha256:$(sha256sum "$SCRATCH/blob.bin" | cut -d' ' -f1)
  wait_quiet "$1" 1 push
  seconds=$(bench/lib/curl_push.sh "$SCRATCH/blob.bin" "$BLOB_DIGEST" "$PORT" "bench/push$1" 2> "$RESULTS/curl-$1.txt") \
    || die "the push through nginx failed; see $RESULTS/curl-$1.txt"
  record push_s "$1" 1 "$seconds"
  record push_mb_s "$1" 1 "$(awk -v m="$PUSH_MIB" -v s="$seconds" 'BEGIN { printf "%.1f", m * 1.048576 / s }')"
}

measure() { # NODES
  local run
  log "$1 node(s): starting"
  start_cluster "$1"
  python3 bench/lib/image_push.py "$PORT" bench/tiny 1 v0,v1,v2,v3,v4,v5,v6,v7,v8 > /dev/null
  wrk_manifest "$1" 0 3
  for ((run = 1; run <= WRK_RUNS; run++)); do
    wrk_manifest "$1" "$run" "$WRK_SECONDS" manifest_get
  done
  log "$1 node(s): pushing $PUSH_MIB MiB through nginx"
  push_blob "$1"
  cp "$NGINX_CLUSTER_STATE/logs/error.log" "$RESULTS/nginx-error-$1.log" 2> /dev/null || true
  stop_nodes
}

summarize() { # one column per node count, the median over runs
  awk -F'\t' "$AWK_MEDIAN"'
    NR > 1 { v[$1, $2] = v[$1, $2] " " $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    END {
      print "| figure (through nginx) | 1 node | 3 nodes | 3 / 1 |"; print "| --- | ---: | ---: | ---: |"
      for (i = 1; i <= n; i++) {
        k = order[i]; if (k ~ /^idle_pct/) continue
        one = ((k, 1) in v) ? med(v[k, 1]) : "–"; three = ((k, 3) in v) ? med(v[k, 3]) : "–"
        ratio = (one != "–" && three != "–" && one + 0 != 0) ? sprintf("%.2f", three / one) : "–"
        print "| " k " | " one " | " three " | " ratio " |"
      }
    }' "$RAW" > "$RESULTS/summary.md"
  cat "$RESULTS/summary.md"
}

main() {
  build_dockyard
  azure
  {
    echo "date_utc: $(date -u +%FT%TZ)  git: $(git rev-parse --short HEAD 2> /dev/null || echo '?')  nproc: $(nproc)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)  dockyard build: $(cat "$RESULTS/dockyard-build.txt")"
    echo "settings: WRK_SECONDS=$WRK_SECONDS WRK_RUNS=$WRK_RUNS PUSH_MIB=$PUSH_MIB backend=azure+azuretables"
  } | tee "$RESULTS/machine.txt" >&2
  measure 1
  measure 3
  summarize
  log "results in $RESULTS"
}

main "$@"
