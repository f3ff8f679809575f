# Sourced by bench/run.sh: the optional backend dimension. Push and pull of the BIG_MIB image through Dockyard on
# remote storage backends, next to Dockyard on its default (filesystem + SQLite) and the Distributions, all measured in
# the same block with the same clients. Servers (names in raw.tsv):
#   dockyard         backend = filesystem, [db] driver = sqlite (the default)
#   distribution3    CNCF Distribution 3.0 on the filesystem (and distribution2, 2.8.2, unless run.sh left it out)
#   dockyard_azure   backend = azure, [db] driver = azuretables, against $BENCH_AZURE_CONNECTION (Azurite)
#   dockyard_rados   backend = rados, [db] driver = sqlite, against $BENCH_CEPH_CONF / $BENCH_CEPH_POOL
# Knobs: BACKENDS ("azure rados", or a subset; empty skips the block), BACKEND_RUNS [RUNS], BACKENDS_ONLY [0] (1 =
# skip the main comparison and the cold starts). BENCH_AZURE_CONNECTION defaults to $DOCKYARD_TEST_AZURE_CONNECTION,
# BENCH_CEPH_CONF to $DOCKYARD_TEST_CEPH_CONF and BENCH_CEPH_POOL to $DOCKYARD_TEST_CEPH_POOL (else dockyard), as
# test.sh exports them after infra/scripts/azurite.sh and ceph-cluster.sh start.
# Metrics: backend_push_MBps, backend_pull_MBps, backend_{push,pull}_server_cpu_s, backend_hwm_after_push_mib, and
# backend_{push,pull}_service_cpu_s: the CPU seconds of the storage service itself (Azurite's node; ceph-mon +
# ceph-osd), read from the pid files under $DOCKYARD_STATE (set it to the scripts' state folder; default ./.state).

BACKENDS=${BACKENDS:-}
BACKEND_RUNS=${BACKEND_RUNS:-$RUNS}
BACKENDS_ONLY=${BACKENDS_ONLY:-0}
BENCH_AZURE_CONNECTION=${BENCH_AZURE_CONNECTION:-${DOCKYARD_TEST_AZURE_CONNECTION:-}}
BENCH_CEPH_CONF=${BENCH_CEPH_CONF:-${DOCKYARD_TEST_CEPH_CONF:-}}
BENCH_CEPH_POOL=${BENCH_CEPH_POOL:-${DOCKYARD_TEST_CEPH_POOL:-dockyard}}
BK_PORT=${BK_PORT:-$((DY_PORT + 20))}
BK_STATE=${DOCKYARD_STATE:-$REPO/.state}

# CPU seconds (utime+stime) of the storage service behind server NAME so far; 0 when it has none or is not found.
service_cpu_s() { # NAME
  local files=() f total=0
  case $1 in
    dockyard_azure) files=("$BK_STATE/azurite/azurite.pid") ;;
    dockyard_rados) files=("$BK_STATE"/ceph/*.pid) ;;
  esac
  for f in "${files[@]}"; do
    [[ -f $f && -r /proc/$(cat "$f")/stat ]] || continue
    total=$(awk -v t="$total" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$(cat "$f")/stat")
  done
  echo "$total"
}

backend_check() {
  local b
  for b in $BACKENDS; do
    case $b in
      azure) [[ -n $BENCH_AZURE_CONNECTION ]] || die "BACKENDS has azure but BENCH_AZURE_CONNECTION is unset (start infra/scripts/azurite.sh)" ;;
      rados) [[ -n $BENCH_CEPH_CONF ]] || die "BACKENDS has rados but BENCH_CEPH_CONF is unset (start infra/scripts/ceph-cluster.sh)" ;;
      *) die "unknown backend '$b' in BACKENDS (azure | rados)" ;;
    esac
  done
}

# start_backend NAME DATA PORT RUN: like start_server, with the backend's keys as DOCKYARD_ environment variables.
start_backend() {
  local name=$1 data=$2 port=$3 run=$4 keys=() stamp=${STAMP,,}
  case $name in
    distribution*)
      start_server "$name" "$data" "$port"
      return ;;
    dockyard_azure)
      # A fresh container and table prefix per repetition, so no run sees an earlier one's blobs or rows.
      keys=(DOCKYARD_DOCKYARD__BACKEND=azure DOCKYARD_DB__DRIVER=azuretables
        "DOCKYARD_AZURE__CONNECTIONSTRING=$BENCH_AZURE_CONNECTION"
        "DOCKYARD_AZURE__CONTAINER=bench-$stamp-r$run" "DOCKYARD_AZURE__TABLEPREFIX=bench${stamp//[^0-9]/}r$run"
        DOCKYARD_AZURE__SASREDIRECT=false) ;;
    dockyard_rados)
      keys=(DOCKYARD_DOCKYARD__BACKEND=rados "DOCKYARD_RADOS__CONFFILE=$BENCH_CEPH_CONF" "DOCKYARD_RADOS__POOLNAME=$BENCH_CEPH_POOL") ;;
  esac
  mkdir -p "$data"
  (cd "$data" && exec env -u DOCKYARD_CONFIG "DOCKYARD_DOCKYARD__PATH=$data/store" "${keys[@]}" \
    "$DOCKYARD_BIN" web --address 127.0.0.1 --port "$port") > "$data/server.log" 2>&1 &
  PIDS[$name]=$!
}

# Deletes the pushed image's manifest and blobs through the registry, so that the remote stores give the space back.
backend_clean() { # PORT REPO
  local base="http://127.0.0.1:$1/v2/$2" digest
  for digest in $(jq -r '.config.digest, .layers[].digest' "$SCRATCH/layouts/big/blobs/sha256/$(cut -d: -f2 < "$SCRATCH/layouts/big/manifest.digest")"); do
    curl -s -o /dev/null -X DELETE "$base/blobs/$digest" || true
  done
  curl -s -o /dev/null -X DELETE "$base/manifests/$(cat "$SCRATCH/layouts/big/manifest.digest")" || true
}

backend_runs() {
  backend_check
  local servers=("${SERVERS[@]}") b run name pid t="$SCRATCH/t.txt" big_bytes secs cpu c0 c1 s0 s1
  for b in $BACKENDS; do servers+=("dockyard_$b"); done
  big_bytes=$(jq '.layers[0].size' "$SCRATCH/layouts/big/blobs/sha256/$(cut -d: -f2 < "$SCRATCH/layouts/big/manifest.digest")")
  for ((run = 1; run <= BACKEND_RUNS; run++)); do
    log "backend run $run/$BACKEND_RUNS: ${servers[*]}, one at a time"
    for name in "${servers[@]}"; do
      rm -rf "$SCRATCH/data"
      start_backend "$name" "$SCRATCH/data/$name" "$BK_PORT" "$run"
      pid=${PIDS[$name]}
      wait_ready "$BK_PORT" "$pid"
      log " $name: ${BIG_MIB} MiB push and pull"
      wait_quiet "$name" "$run" backend_push
      c0=$(proc_cpu_s "$pid") s0=$(service_cpu_s "$name")
      push "$t" "$SCRATCH/layouts/big" "$BK_PORT" "bench/backend-r$run"
      c1=$(proc_cpu_s "$pid") s1=$(service_cpu_s "$name")
      read -r secs cpu < "$t"
      record backend_push_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
      record backend_push_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
      record backend_push_service_cpu_s "$name" "$run" "$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')"
      record backend_hwm_after_push_mib "$name" "$run" "$(awk -v k="$(proc_kib "$pid" VmHWM)" 'BEGIN { printf "%.1f", k / 1024 }')"
      wait_quiet "$name" "$run" backend_pull
      c0=$(proc_cpu_s "$pid") s0=$(service_cpu_s "$name")
      pull "$t" "$BK_PORT" "bench/backend-r$run" "$SCRATCH/pull/$name"
      c1=$(proc_cpu_s "$pid") s1=$(service_cpu_s "$name")
      read -r secs cpu < "$t"
      record backend_pull_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
      record backend_pull_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
      record backend_pull_service_cpu_s "$name" "$run" "$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')"
      [[ $name == dockyard_* ]] && backend_clean "$BK_PORT" "bench/backend-r$run"
      cp "$SCRATCH/data/$name/server.log" "$RESULTS/server-backend-$name-run$run.log" 2> /dev/null || true
      stop_server "$name"
    done
  done
  rm -rf "$SCRATCH/data"
}

# Writes the table of the backend metrics (a column per server, ratios to the Distributions) to backends.md and
# appends it to summary.md.
backend_summary() {
  local cols="${SERVERS[*]}" b
  for b in $BACKENDS; do cols+=" dockyard_$b"; done
  { echo; awk -v servers="$cols" -v only='^backend_' -f bench/lib/table.awk "$RAW"; } > "$RESULTS/backends.md"
  cat "$RESULTS/backends.md" >> "$RESULTS/summary.md"
  cat "$RESULTS/backends.md" >&2
}
