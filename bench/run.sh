#!/usr/bin/env bash
# Dockyard vs CNCF Distribution 3.0 (the main peer) and Debian's Distribution 2.8.2 (the second peer, when installed),
# side by side on loopback, same clients, same run.
#
#   bench/run.sh                 build + publish Dockyard, run everything (about 25-35 minutes on 2 cores)
#
# Servers (names in raw.tsv): dockyard (the ReadyToRun publish; dockyard_plain: the plain build, cold start only),
# distribution3 (`$DIST3_BIN serve config.yml`, OTEL_TRACES_EXPORTER=none as its official image sets it) and
# distribution2 (`docker-registry serve config.yml`). Both Distributions get the same 0.1 config (write_dist_config).
# Every repetition starts all servers on fresh data; the order in which they take each block rotates per repetition.
#
# Environment knobs (defaults in brackets):
#   RUNS [5]              repetitions of every throughput figure (the median is reported, with min-max)
#   COLD_RUNS [5]         cold starts per server (the servers take turns, in rotating order)
#   WRK_SECONDS [15]      duration of each wrk run
#   WRK_WARMUP_SECONDS [5] unrecorded wrk run on the same URL before each measured one
#   BIG_MIB [1024]        size of the single-layer image
#   MID_MIB [128]         size of the smaller single-layer image pushed before it (RSS growth check)
#   SMALL_LAYERS [200]    layers of the many-layer image, each SMALL_KIB [64] KiB of random data
#   BUILD [1]             0 = reuse $SCRATCH/dockyard-r2r (or the plain build) without building
#   SCRATCH [/tmp/dockyard-bench]   working folder (big files are deleted at the end; KEEP_SCRATCH=1 keeps them)
#   DIST3_BIN [../shared/peers/distribution-v3.0.0, beside the repository]   the Distribution 3.0 binary (required)
#   DIST2 [auto]          Distribution 2.8.2 (Debian's docker-registry): auto = measured when installed, 0 = skipped,
#                         1 = required (installed with apt-get when missing)
#   DY_PORT [5101] DIST3_PORT [5102] DIST2_PORT [5103]  listening ports (cold starts use +10)
#   BACKENDS [""]         "azure rados" (or one): also push/pull the big image through Dockyard on those backends
#                         (BACKEND_RUNS [RUNS] repetitions; BACKENDS_ONLY=1 runs just that block); see bench/lib/backends.sh
#   QUIET_IDLE [80] QUIET_MAX [60] QUIET_BUDGET [420]  before each measured block wait until the host is >= 80% idle,
#                         at most 60 s per block and 420 s per run; the idle % seen is recorded (idle_pct_before_*)
#   BLOCKS ["main parallel docker cold"]  which blocks to run (any subset, in this order within a repetition):
#                         main      skopeo push/pull, curl push, blob GET, 200-layer skopeo push, wrk/ab small requests
#                         small     only main's small requests (wrk/ab after the tiny image's warm-up push), for a
#                                   short measurement of them against the peers; not together with main
#                         parallel  the 200-layer image pushed with crane's request sequence, PAR_JOBS [4] blobs in
#                                   flight (bench/lib/parallel_push.py; crane itself is not available here)
#                         docker    docker push and pull of the big image through a private dockerd (bench/lib/docker.sh;
#                                   skipped with a note when dockerd is not installed, unless BLOCKS names it)
#                         cold      cold starts (after the repetitions)
#   RUN_FROM [1]          number of the first repetition (RUNS repetitions from there, the rotation continuing), so
#                         that a long measurement can be split into several runs whose raw.tsv pool (bench/lib/pool.sh)
#
# Raw results go to bench/results/<UTC timestamp>/ (raw.tsv, summary.tsv, summary.md, logs). summary.md has a column
# per server (median (min-max, n)) and the ratios Dockyard / 3.0 and Dockyard / 2.8.2 of the medians, with the
# min-max of the per-repetition ratios (bench/lib/table.awk).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

RUNS=${RUNS:-5}
COLD_RUNS=${COLD_RUNS:-5}
WRK_SECONDS=${WRK_SECONDS:-15}
WRK_WARMUP_SECONDS=${WRK_WARMUP_SECONDS:-5}
BIG_MIB=${BIG_MIB:-1024}
MID_MIB=${MID_MIB:-128}
SMALL_LAYERS=${SMALL_LAYERS:-200}
SMALL_KIB=${SMALL_KIB:-64}
BUILD=${BUILD:-1}
SCRATCH=${SCRATCH:-/tmp/dockyard-bench}
DIST3_BIN=${DIST3_BIN:-$REPO/../shared/peers/distribution-v3.0.0}
DIST2=${DIST2:-auto}
DY_PORT=${DY_PORT:-5101}
DIST3_PORT=${DIST3_PORT:-5102}
DIST2_PORT=${DIST2_PORT:-5103}
BLOCKS_SET=${BLOCKS+1}
BLOCKS=${BLOCKS-main parallel docker cold}
RUN_FROM=${RUN_FROM:-1}
PAR_JOBS=${PAR_JOBS:-4}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$REPO/bench/results/$STAMP}
OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json

# ---------------------------------------------------------------------------------------------------- tools
missing=()
for tool in skopeo wrk jq curl python3 ab; do
  package=$tool
  [[ $tool == ab ]] && package=apache2-utils
  command -v "$tool" > /dev/null || missing+=("$package")
done
[[ $DIST2 == 1 ]] && ! command -v docker-registry > /dev/null && missing+=(docker-registry)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -q || true
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}"
fi
command -v dotnet > /dev/null || die "dotnet SDK not found"
[[ -x $DIST3_BIN ]] || die "Distribution 3.0 not found at $DIST3_BIN (see ../shared/peers/README.md; set DIST3_BIN)"

for block in $BLOCKS; do
  [[ $block =~ ^(main|small|parallel|docker|cold)$ ]] || die "unknown block '$block' in BLOCKS (main small parallel docker cold)"
done
has_block() { [[ " $BLOCKS " == *" $1 "* ]]; }
! { has_block main && has_block small; } || die "BLOCKS: main already measures the small requests; leave out small"
if has_block docker && ! { command -v dockerd > /dev/null && command -v docker > /dev/null && ((EUID == 0)); }; then
  [[ -z $BLOCKS_SET ]] || die "BLOCKS has docker, but dockerd and docker are not installed or this is not root"
  log "dockerd or docker is not installed (or this is not root): no docker block"
  BLOCKS=${BLOCKS/docker/}
fi

# The servers compared, Dockyard first (the subject of every ratio), then the peers, main one first.
SERVERS=(dockyard distribution3)
case $DIST2 in
  0) ;;
  1) SERVERS+=(distribution2) ;;
  auto)
    if command -v docker-registry > /dev/null; then
      SERVERS+=(distribution2)
    else
      log "docker-registry (Distribution 2.8.2) is not installed: no 2.8.2 column (DIST2=1 installs it)"
    fi ;;
  *) die "DIST2 must be auto, 0 or 1 (is '$DIST2')" ;;
esac
declare -A PORT=([dockyard]=$DY_PORT [distribution3]=$DIST3_PORT [distribution2]=$DIST2_PORT)

# rotated OFFSET NAME...: prints the names one a line, starting at position OFFSET (modulo their count), so that over
# the repetitions every server takes every place (and neither always enjoys or suffers the others' leftovers).
rotated() {
  local offset=$1 i
  shift
  local names=("$@")
  for ((i = 0; i < ${#names[@]}; i++)); do echo "${names[(offset + i) % ${#names[@]}]}"; done
}

mkdir -p "$RESULTS" "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
RAW=$RESULTS/raw.tsv
printf 'metric\tserver\trun\tvalue\n' > "$RAW"
open_nap "$SCRATCH"

# ---------------------------------------------------------------------------------------------------- servers
declare -A PIDS=()
cleanup() {
  local rc=$?
  for name in "${!PIDS[@]}"; do
    kill "${PIDS[$name]}" 2> /dev/null || true
  done
  for name in "${!PIDS[@]}"; do
    wait "${PIDS[$name]}" 2> /dev/null || true
  done
  ! declare -F docker_finish > /dev/null || docker_finish
  if [[ ${KEEP_SCRATCH:-0} != 1 ]]; then
    rm -rf "$SCRATCH/layouts" "$SCRATCH/data" "$SCRATCH/pull" "$SCRATCH/cold"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# write_dist_config FILE ROOT PORT: the same 0.1 config for both Distributions. Written with the printf builtin, so
# that a cold start's clock (cold_starts) times no other process than the server.
write_dist_config() {
  printf '%s\n' \
    'version: 0.1' \
    'log:' \
    '  level: warn' \
    '  accesslog:' \
    '    disabled: true' \
    'storage:' \
    '  filesystem:' \
    "    rootdirectory: $2" \
    '  delete:' \
    '    enabled: true' \
    '  cache:' \
    '    blobdescriptor: inmemory' \
    'http:' \
    "  addr: 127.0.0.1:$3" > "$1"
}

# start_server NAME(dockyard*|distribution3|distribution2) DATA PORT [BIN]: starts NAME in the background in the folder
# DATA (store, config and server.log inside it); BIN is Dockyard's binary. Sets PIDS[NAME] (no waiting).
start_server() {
  local name=$1 data=$2 port=$3 bin=${4:-$DOCKYARD_BIN}
  [[ -d $data ]] || mkdir -p "$data"
  case $name in
    dockyard*)
      # Level Warning: no per-request log line, as Distribution runs with its access log disabled (write_dist_config).
      (cd "$data" && DOCKYARD_DOCKYARD__PATH="$data/store" DOCKYARD_LOG__LEVEL=Warning exec env -u DOCKYARD_CONFIG "$bin" web --address 127.0.0.1 --port "$port") \
        > "$data/server.log" 2>&1 & ;;
    distribution3)
      write_dist_config "$data/config.yml" "$data/store" "$port"
      (cd "$data" && OTEL_TRACES_EXPORTER=none exec "$DIST3_BIN" serve "$data/config.yml") > "$data/server.log" 2>&1 & ;;
    distribution2)
      write_dist_config "$data/config.yml" "$data/store" "$port"
      (cd "$data" && exec docker-registry serve "$data/config.yml") > "$data/server.log" 2>&1 & ;;
    *) die "unknown server $name" ;;
  esac
  PIDS[$name]=$!
}

stop_server() { # NAME
  local pid=${PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  kill "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  unset "PIDS[$1]"
}

# ---------------------------------------------------------------------------------------------------- machine
describe_machine() {
  {
    echo "date_utc: $(date -u +%FT%TZ)"
    echo "git: $(git -C "$REPO" rev-parse --short HEAD 2> /dev/null || echo '?')"
    echo "nproc: $(nproc)"
    echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "ram: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel: $(uname -r)"
    echo "disk (scratch): $(df -hT "$SCRATCH" | awk 'NR == 2 { print $1, $2, $3 " total," , $5 " free" }')"
    echo "disk rotational flag: $(cat /sys/block/"$(basename "$(df "$SCRATCH" | awk 'NR == 2 { print $1 }')")"/queue/rotational 2> /dev/null || echo '?')"
    echo "dotnet: $(dotnet --version)"
    echo "dotnet runtime: $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { print $2 }' | tail -1)"
    echo "distribution3: $DIST3_BIN: $("$DIST3_BIN" --version 2>&1)"
    echo "distribution2: $(command -v docker-registry > /dev/null && docker-registry --version 2>&1 || echo 'not installed')"
    echo "servers: ${SERVERS[*]}"
    echo "skopeo: $(skopeo --version)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "curl: $(curl --version | head -1)"
    echo "ab: $(ab -V 2>&1 | head -1)"
    echo "dockyard build: $(cat "$RESULTS/dockyard-build.txt" 2> /dev/null)"
    echo "settings: RUNS=$RUNS COLD_RUNS=$COLD_RUNS WRK_SECONDS=$WRK_SECONDS WRK_WARMUP_SECONDS=$WRK_WARMUP_SECONDS BIG_MIB=$BIG_MIB MID_MIB=$MID_MIB SMALL_LAYERS=$SMALL_LAYERS SMALL_KIB=$SMALL_KIB DIST2=$DIST2 BACKENDS=\"$BACKENDS\" BACKEND_RUNS=$BACKEND_RUNS BACKENDS_ONLY=$BACKENDS_ONLY BLOCKS=\"$BLOCKS\" RUN_FROM=$RUN_FROM PAR_JOBS=$PAR_JOBS"
  } > "$RESULTS/machine.txt"
  cat "$RESULTS/machine.txt" >&2
}

# ---------------------------------------------------------------------------------------------------- clients
SKOPEO=(skopeo --insecure-policy copy -q --retry-times 0)

# skopeo remembers in a blob-info cache where it has seen each blob ("registry/repo") and, on later pushes, probes
# those places (HEAD, then a mount attempt) before uploading. Earlier runs would leave a different number of stale
# places per server (and a server could mount instead of storing), so every skopeo run starts with no cache.
forget_blob_locations() {
  rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb "${XDG_DATA_HOME:-$HOME/.local/share}/containers/cache/blob-info-cache-v1.boltdb"
}

# timed_skopeo OUTFILE ARGS...: runs skopeo, writes "real user+sys" seconds to OUTFILE.
timed_skopeo() {
  local out=$1 t0 t1 rc
  shift
  forget_blob_locations
  local cpu0 cpu1
  cpu0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  t0=$EPOCHREALTIME
  "${SKOPEO[@]}" "$@" >> "$RESULTS/skopeo.log" 2>&1 && rc=0 || rc=$?
  t1=$EPOCHREALTIME
  cpu1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  ((rc == 0)) || die "skopeo $* failed (rc=$rc); see $RESULTS/skopeo.log"
  awk -v a="$t0" -v b="$t1" -v c0="$cpu0" -v c1="$cpu1" 'BEGIN { printf "%.3f %.2f\n", b - a, (c1 - c0) / 100 }' > "$out"
}

push() { # OUT LAYOUT PORT REPO
  timed_skopeo "$1" --preserve-digests --dest-tls-verify=false "oci:$2:latest" "docker://127.0.0.1:$3/$4:latest"
}

pull() { # OUT PORT REPO DESTDIR
  rm -rf "$4"
  mkdir -p "$(dirname "$4")"
  timed_skopeo "$1" --preserve-digests --src-tls-verify=false --dest-oci-accept-uncompressed-layers \
    "docker://127.0.0.1:$2/$3:latest" "oci:$4:latest"
  rm -rf "$4"
}

# wrk_run NAME RUN LABEL URL [WRK_ARG...]: records <label>_rps and <label>_p99_ms (WRK_ARGs: -H HEADER, -s SCRIPT)
wrk_run() {
  local name=$1 run=$2 label=$3 url=$4 out
  shift 4
  out=$RESULTS/wrk-$label-$name-run$run.txt
  local hdr=("$@")
  # Unrecorded warm-up on the same URL first: a .NET server spends the first seconds of a new hot path recompiling it
  # (tiered compilation: ReadyToRun code, then instrumented, then optimised; 14 % of a /v2/ run's CPU 7-13 s after start
  # was the JIT's background thread). Steady state is what a registry serves; a Go server is unaffected.
  wrk -t2 -c64 -d"${WRK_WARMUP_SECONDS}s" "${hdr[@]}" "$url" > /dev/null 2>&1 || true
  wait_quiet "$name" "$run" "$label"
  wrk -t2 -c64 -d"${WRK_SECONDS}s" --latency "${hdr[@]}" "$url" > "$out" 2>&1 || die "wrk failed; see $out"
  local rps p99 bad
  read -r rps p99 bad < <(wrk_figures "$out")
  ((bad == 0)) || log "  WARNING: $label on $name: $bad non-2xx responses"
  record "${label}_rps" "$name" "$run" "${rps:-0}"
  record "${label}_p99_ms" "$name" "$run" "${p99:-NaN}"
  record "${label}_errors" "$name" "$run" "$bad"
}

# ab_head_run NAME RUN LABEL URL HEADER: HEAD requests, records <label>_rps and <label>_p99_ms. Not wrk: its HTTP parser
# waits for the body a HEAD answer's Content-Length announces (wg/wrk#198). ab -k -i: keep-alive HEADs from 64
# connections on one thread (wrk uses two), the same client for every server of the run, so the ratio holds.
ab_head_run() {
  local name=$1 run=$2 label=$3 url=$4 header=$5 out
  out=$RESULTS/ab-$label-$name-run$run.txt
  ab -k -i -q -c 64 -t "$WRK_WARMUP_SECONDS" -n 100000000 -H "$header" "$url" > /dev/null 2>&1 || true
  wait_quiet "$name" "$run" "$label"
  ab -k -i -q -c 64 -t "$WRK_SECONDS" -n 100000000 -H "$header" "$url" > "$out" 2>&1 || die "ab failed; see $out"
  local rps p99 bad
  rps=$(awk '/^Requests per second:/ { printf "%.0f", $4 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  bad=$(awk '/^Non-2xx responses:/ { n += $3 } /^Failed requests:/ { n += $3 } END { print n + 0 }' "$out")
  ((bad == 0)) || log "  WARNING: $label on $name: $bad failed or non-2xx responses"
  record "${label}_rps" "$name" "$run" "${rps:-0}"
  record "${label}_p99_ms" "$name" "$run" "${p99:-NaN}"
  record "${label}_errors" "$name" "$run" "$bad"
}

# ---------------------------------------------------------------------------------------------------- one run
# one_run RUN: starts every server on fresh data, runs the chosen blocks (each server in turn, in the order of the
# repetition), stops them.
one_run() {
  local run=$1 name order
  mapfile -t order < <(rotated $((run - 1)) "${SERVERS[@]}")
  log "run $run ($RUN_FROM-$((RUN_FROM + RUNS - 1))): fresh servers (order: ${order[*]}; blocks: $BLOCKS)"
  rm -rf "$SCRATCH/data"
  for name in "${SERVERS[@]}"; do
    start_server "$name" "$SCRATCH/data/$name" "${PORT[$name]}"
  done
  for name in "${SERVERS[@]}"; do
    wait_ready "${PORT[$name]}" "${PIDS[$name]}"
  done

  ! has_block main || main_blocks "$run"
  ! has_block small || small_block "$run" warm-up
  ! has_block parallel || parallel_block "$run"
  ! has_block docker || docker_block "$run"

  for name in "${SERVERS[@]}"; do
    cp "$SCRATCH/data/$name/server.log" "$RESULTS/server-$name-run$run.log" 2> /dev/null || true
    stop_server "$name"
  done
  rm -rf "$SCRATCH/data"
}

# main_blocks RUN: the skopeo, curl, 200-layer and small-request blocks (order: one_run's).
main_blocks() {
  local run=$1 name port t="$SCRATCH/t.txt" big_bytes secs cpu
  big_bytes=$(jq '.layers[0].size' "$SCRATCH/layouts/big/blobs/sha256/$(cut -d: -f2 < "$SCRATCH/layouts/big/manifest.digest")")

  for name in "${order[@]}"; do
    port=${PORT[$name]}
    local pid=${PIDS[$name]}
    log " $name: warm-up, RSS probes, ${BIG_MIB} MiB push"
    push_tiny "$port"
    record rss_after_warmup_mib "$name" "$run" "$(awk -v k="$(proc_kib "$pid" VmRSS)" 'BEGIN { printf "%.1f", k / 1024 }')"
    push "$t" "$SCRATCH/layouts/mid" "$port" "bench/mid-r$run"
    record hwm_after_mid_push_mib "$name" "$run" "$(awk -v k="$(proc_kib "$pid" VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')"

    wait_quiet "$name" "$run" big_push
    local c0 c1
    c0=$(proc_cpu_s "$pid")
    push "$t" "$SCRATCH/layouts/big" "$port" "bench/big-r$run"
    c1=$(proc_cpu_s "$pid")
    read -r secs cpu < "$t"
    record big_push_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    record big_push_s "$name" "$run" "$secs"
    record big_push_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    record big_push_skopeo_cpu_s "$name" "$run" "$cpu"
    record hwm_after_big_push_mib "$name" "$run" "$(awk -v k="$(proc_kib "$pid" VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')"
  done

  for name in "${order[@]}"; do
    port=${PORT[$name]}
    local pid=${PIDS[$name]} layer
    layer=$(cat "$SCRATCH/layouts/big/first-layer.digest")
    log " $name: ${BIG_MIB} MiB pull, raw blob GET"
    wait_quiet "$name" "$run" big_pull
    c0=$(proc_cpu_s "$pid")
    pull "$t" "$port" "bench/big-r$run" "$SCRATCH/pull/$name"
    c1=$(proc_cpu_s "$pid")
    read -r secs cpu < "$t"
    record big_pull_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    record big_pull_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    record big_pull_skopeo_cpu_s "$name" "$run" "$cpu"
    local speed code
    wait_quiet "$name" "$run" blob_get
    c0=$(proc_cpu_s "$pid")
    read -r code speed < <(curl -s -L -o /dev/null -w '%{http_code} %{speed_download}\n' \
      "http://127.0.0.1:$port/v2/bench/big-r$run/blobs/$layer")
    c1=$(proc_cpu_s "$pid")
    [[ $code == 200 ]] || die "blob GET on $name answered $code"
    record blob_get_MBps "$name" "$run" "$(awk -v v="$speed" 'BEGIN { printf "%.1f", v / 1e6 }')"
    record blob_get_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    # The same layer pushed again by curl into a new repository: the server's push speed without skopeo's CPU.
    wait_quiet "$name" "$run" raw_push
    c0=$(proc_cpu_s "$pid")
    secs=$(bench/lib/curl_push.sh "$SCRATCH/layouts/big/blobs/sha256/${layer#sha256:}" "$layer" "$port" "bench/raw-r$run")
    c1=$(proc_cpu_s "$pid")
    record raw_push_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    record raw_push_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
  done

  for name in "${order[@]}"; do
    port=${PORT[$name]}
    local pid=${PIDS[$name]}
    log " $name: ${SMALL_LAYERS}-layer push"
    wait_quiet "$name" "$run" many_push
    c0=$(proc_cpu_s "$pid")
    push "$t" "$SCRATCH/layouts/many" "$port" "bench/many-r$run"
    c1=$(proc_cpu_s "$pid")
    read -r secs cpu < "$t"
    record many_push_layers_per_s "$name" "$run" "$(awk -v n="$SMALL_LAYERS" -v s="$secs" 'BEGIN { printf "%.1f", n / s }')"
    record many_push_s "$name" "$run" "$secs"
    record many_push_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    record many_push_skopeo_cpu_s "$name" "$run" "$cpu"
    # The same four requests per layer from a client that costs next to nothing: how long the server itself keeps a
    # sequential pusher waiting per layer (skopeo's share is the rest of 1/layers_per_s).
    read -r _ head_ms _ post_ms _ patch_ms _ put_ms _ layer_ms < <(python3 bench/lib/layer_latency.py "$port" "$SMALL_LAYERS" "$SMALL_KIB")
    record layer_requests_ms "$name" "$run" "$layer_ms"
    record layer_head_ms "$name" "$run" "$head_ms"
    record layer_post_ms "$name" "$run" "$post_ms"
    record layer_patch_ms "$name" "$run" "$patch_ms"
    record layer_put_ms "$name" "$run" "$put_ms"
  done

  small_block "$run"
}

# push_tiny PORT: the warm-up, a tiny image with a few tags (also the target of the wrk tests).
push_tiny() {
  push "$SCRATCH/t.txt" "$SCRATCH/layouts/tiny" "$1" "bench/tiny"
  for tag in v1 v2 v3 v4 v5 v6 v7 v8 v9; do
    "${SKOPEO[@]}" --preserve-digests --dest-tls-verify=false "oci:$SCRATCH/layouts/tiny:latest" \
      "docker://127.0.0.1:$1/bench/tiny:$tag" >> "$RESULTS/skopeo.log" 2>&1
  done
}

# small_block RUN [warm-up]: the small requests (wrk, ab) on the tiny image, each server in turn; with warm-up (block
# small alone) the tiny image is pushed first, as main does before its pushes.
small_block() {
  local run=$1 name port
  for name in "${order[@]}"; do
    port=${PORT[$name]}
    [[ ${2:-} != warm-up ]] || { log " $name: warm-up"; push_tiny "$port"; }
    local base="http://127.0.0.1:$port/v2"
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $OCI_MANIFEST" "$base/bench/tiny/manifests/latest")
    [[ $code == 200 ]] || die "manifest GET on $name answered $code"
    log " $name: wrk manifest GET, manifest HEAD, /v2/, tag list (${WRK_SECONDS}s each)"
    wrk_run "$name" "$run" manifest_get "$base/bench/tiny/manifests/latest" -H "Accept: $OCI_MANIFEST"
    ab_head_run "$name" "$run" manifest_head "$base/bench/tiny/manifests/latest" "Accept: $OCI_MANIFEST"
    wrk_run "$name" "$run" v2_get "$base/"
    wrk_run "$name" "$run" tags_get "$base/bench/tiny/tags/list"
    record hwm_end_of_run_mib "$name" "$run" "$(awk -v k="$(proc_kib "${PIDS[$name]}" VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')"
  done
}

# parallel_block RUN: the 200-layer image (its own random layers, new to every server) pushed the way crane pushes,
# PAR_JOBS blobs in flight, each on its own keep-alive connection (bench/lib/parallel_push.py). An unrecorded push of
# a smaller image with other layers comes first, so the figure is the warm server's whatever blocks ran before (a
# .NET server's first requests on a new path run unoptimised code; see wrk_run).
parallel_block() {
  local run=$1 name pid secs cpu requests c0 c1 out="$SCRATCH/parallel.txt"
  for name in "${order[@]}"; do
    pid=${PIDS[$name]}
    log " $name: ${SMALL_LAYERS}-layer push, crane's request sequence, $PAR_JOBS blobs in flight"
    python3 bench/lib/parallel_push.py "${PORT[$name]}" "bench/parallel-warmup-r$run" "$SCRATCH/layouts/parallel-warmup" "$PAR_JOBS" \
      > /dev/null 2>> "$RESULTS/parallel.log" || die "parallel push to $name failed; see $RESULTS/parallel.log"
    wait_quiet "$name" "$run" parallel_push
    c0=$(proc_cpu_s "$pid")
    python3 bench/lib/parallel_push.py "${PORT[$name]}" "bench/parallel-r$run" "$SCRATCH/layouts/parallel" "$PAR_JOBS" > "$out" \
      2>> "$RESULTS/parallel.log" || die "parallel push to $name failed; see $RESULTS/parallel.log"
    c1=$(proc_cpu_s "$pid")
    read -r secs cpu requests < "$out"
    record parallel_push_layers_per_s "$name" "$run" "$(awk -v n="$SMALL_LAYERS" -v s="$secs" 'BEGIN { printf "%.1f", n / s }')"
    record parallel_push_s "$name" "$run" "$secs"
    record parallel_push_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    record parallel_push_client_cpu_s "$name" "$run" "$cpu"
    record parallel_push_requests "$name" "$run" "$requests"
  done
}

# ---------------------------------------------------------------------------------------------------- cold start
# From just before the process is spawned to the first 200 on GET /v2/, on a fresh folder, page cache warm. The folder
# exists before the clock starts and start_server forks nothing but the server itself (config written by builtins).
cold_starts() {
  local names=("${SERVERS[@]}") order name port i k ok pid t0 t1
  # The plain build beside the ReadyToRun publish, when that is what the runs measured.
  [[ $DOCKYARD_BIN != "$DOCKYARD_PLAIN_BIN" && -x $DOCKYARD_PLAIN_BIN ]] && names=(dockyard dockyard_plain "${SERVERS[@]:1}")
  log "cold start: ${names[*]}, $COLD_RUNS each"
  for ((i = 1; i <= COLD_RUNS; i++)); do
    mapfile -t order < <(rotated $((i - 1)) "${names[@]}")
    for name in "${order[@]}"; do
      port=$((${PORT[${name%_plain}]} + 10))
      rm -rf "$SCRATCH/cold"
      mkdir -p "$SCRATCH/cold/$name"
      sync
      wait_quiet "$name" "$i" cold_start
      t0=$EPOCHREALTIME
      if [[ $name == dockyard_plain ]]; then
        start_server "$name" "$SCRATCH/cold/$name" "$port" "$DOCKYARD_PLAIN_BIN"
      else
        start_server "$name" "$SCRATCH/cold/$name" "$port"
      fi
      pid=${PIDS[$name]} ok=0
      for ((k = 0; k < 30000; k++)); do
        if probe "$port"; then ok=1; break; fi
        kill -0 "$pid" 2> /dev/null || break
        nap 0.001
      done
      t1=$EPOCHREALTIME
      ((ok)) || { cat "$SCRATCH/cold/$name/server.log" >&2; die "$name did not start"; }
      record cold_start_ms "$name" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')"
      record cold_start_rss_mib "$name" "$i" "$(awk -v k="$(proc_kib "$pid" VmRSS)" 'BEGIN { printf "%.1f", k / 1024 }')"
      stop_server "$name"
    done
  done
  rm -rf "$SCRATCH/cold"
}

# ---------------------------------------------------------------------------------------------------- summary
# summary.tsv: per metric and server the median, min, max and count over the runs; summary.md: the table of
# bench/lib/table.awk (a column per server, ratios to each Distribution). The backend block has its own table.
summarize() {
  { printf 'metric\tserver\tmedian\tmin\tmax\tn\n'; awk -v tsv=1 -f bench/lib/table.awk "$RAW"; } > "$RESULTS/summary.tsv"
  awk -v servers="${SERVERS[*]}" -v skip='^backend_' -f bench/lib/table.awk "$RAW" > "$RESULTS/summary.md"
  cat "$RESULTS/summary.md" >&2
}

# ---------------------------------------------------------------------------------------------------- backends
# shellcheck source=bench/lib/backends.sh
source "$REPO/bench/lib/backends.sh"

# ---------------------------------------------------------------------------------------------------- docker
# shellcheck source=bench/lib/docker.sh
source "$REPO/bench/lib/docker.sh"

# ---------------------------------------------------------------------------------------------------- main
main() {
  local start=$EPOCHREALTIME
  build_dockyard
  describe_machine
  log "building OCI layouts in $SCRATCH/layouts (uncompressed tar layers)"
  rm -rf "$SCRATCH/layouts"
  [[ -z $BACKENDS ]] || backend_check
  ((!BACKENDS_ONLY)) || BLOCKS=""
  if has_block main || has_block docker || [[ -n $BACKENDS ]]; then
    bench/lib/mklayout.sh "$SCRATCH/layouts/big" latest 1 $((BIG_MIB * 1048576))
  fi
  if has_block main || has_block small; then
    bench/lib/mklayout.sh "$SCRATCH/layouts/tiny" latest 1 4096
  fi
  if has_block main; then
    bench/lib/mklayout.sh "$SCRATCH/layouts/mid" latest 1 $((MID_MIB * 1048576))
    bench/lib/mklayout.sh "$SCRATCH/layouts/many" latest "$SMALL_LAYERS" $((SMALL_KIB * 1024))
  fi
  # The parallel push gets layers of its own, so that no server has them already from the skopeo push.
  if has_block parallel; then
    bench/lib/mklayout.sh "$SCRATCH/layouts/parallel" latest "$SMALL_LAYERS" $((SMALL_KIB * 1024))
    bench/lib/mklayout.sh "$SCRATCH/layouts/parallel-warmup" latest $(((SMALL_LAYERS + 3) / 4)) $((SMALL_KIB * 1024))
  fi
  ! has_block docker || docker_prepare
  if has_block main || has_block small || has_block parallel || has_block docker; then
    local run
    for ((run = RUN_FROM; run < RUN_FROM + RUNS; run++)); do
      one_run "$run"
    done
  fi
  ! has_block cold || cold_starts
  [[ -z $BACKENDS ]] || backend_runs
  summarize
  [[ -z $BACKENDS ]] || backend_summary
  log "done in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s; results in $RESULTS"
}

main "$@"
