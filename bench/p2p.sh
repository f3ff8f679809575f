#!/usr/bin/env bash
# P2P distribution (issue 16, docs/p2p.md): N hosts pull the same image at once through their `launcher agent`s.
#
#   bench/p2p.sh                      N_LIST="2 4 8 16" LAYER_MIB=512 (two layers: 1 GiB) RATE=200mbit
#
# Network: one namespace per host plus one for the registry, each joined by a veth pair to a bridge in a namespace of
# its own (shared/notes/services.md), every link shaped with tc tbf to RATE in both directions (the host's side shapes
# what it sends, the bridge's side what it receives), the registry's link too. Addresses are 10.77.0.0/24: traffic
# stays between these namespaces; nothing is ever sent to them from the root namespace. The registry is `dockyard
# web` with token auth (P2P needs the token key) in its namespace; each host runs `launcher agent --advertise
# 10.77.0.X:5051` and curls both layers through it (in parallel, as an engine would), all hosts started together.
#
# Measured per N: each host's pull time (p50/p99/max) against one host alone over the same link (N=1, the first
# run), the fraction of the link's speed that is (image size / time / RATE), and the registry's egress (tx bytes of
# its veth) / image size, against N without P2P. Then the same with 25 % of the agents (at least one) killed (by
# PID) at half the lone host's time: the survivors' times, and the egress. Every loop is bounded in count and time.
# tc makes the links, not the CPU, the bottleneck, so the figures mostly hold on a machine loaded by other work;
# hashing (the registry once per blob, each agent every piece it stores or serves) is what still costs CPU.
#
# Knobs: N_LIST ["2 4 8 16"]  LAYER_MIB [512]  RATE [200mbit]  KILL [1] (0: no killed-agent runs)
#   PEER_WAIT [15] the agents' --peer-wait (seconds the swarm may gain no piece before an agent takes others' share)
#   UPLOAD_SLOTS [4] the agents' --upload-slots (pieces each sends to peers at once)
#   DOCKER_N [0] also time `docker pull` through the agents by a dockerd per host: alone, then DOCKER_N at once
#   SCRATCH [/tmp/dockyard-p2p-bench-$$]  PULL_TIMEOUT [600] seconds a host's pull may take
#   LAUNCHER [this tree's Release launcher.dll] the agents' build (e.g. main's, for a before/after in one sitting)
#   WARM_MIB [64] before each timed pull, every agent of the run pulls (all at once) another image of 2 layers of WARM_MIB
#     MiB (blobs of its own), then the run waits until the agents are idle (together under WARM_IDLE [5] % of one core
#     for a second; at most WARM_SETTLE [30] s; the runtime recompiles hot methods in the background after the pull):
#     agents are long-running daemons, so the timed pull measures warm processes, not N processes JIT-compiling the
#     same code at once. 64 MiB layers are 32 pieces per agent (past the runtime's 30 calls before a method is
#     recompiled optimised). WARM_MIB=0: cold agents (runs before 2026-12-07 13:00 UTC). Not timed, not in the egress
#     (it is read before the timed pull starts).
#   AGENT_ARGS [] more flags for every agent (e.g. "--memory-cache 0"), split at spaces
#   AGENT_ENV [] VAR=value pairs for the agents' runtime only (e.g. "DOTNET_TieredPGO=0"), split at spaces
#   TRACE [1] a per-second timeline of each run in trace-<run>.tsv (bench/lib/p2p_trace.py: the machine's CPU as user,
#     system and softirq, the agents' and registry's CPU seconds, each host's received MiB), its digest in the log
#   DOCKYARD [this tree's Release dockyard] the registry's build
# Needs root, iproute2, curl, python3, and the Release builds of registry/Dockyard.Server and launcher/Dockyard.Launcher.
# Every namespace, process and scratch file it made is removed at exit, also on failure (trap).
# Results: bench/results/p2p-<UTC timestamp>/ (summary.md, raw.tsv, logs).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
N_LIST=${N_LIST:-"2 4 8 16"}
LAYER_MIB=${LAYER_MIB:-512}
RATE=${RATE:-200mbit}
KILL=${KILL:-1}
PULL_TIMEOUT=${PULL_TIMEOUT:-600}
PEER_WAIT=${PEER_WAIT:-15}
UPLOAD_SLOTS=${UPLOAD_SLOTS:-4}
DOCKER_N=${DOCKER_N:-0}
WARM_MIB=${WARM_MIB:-64}
WARM_SETTLE=${WARM_SETTLE:-30}
WARM_IDLE=${WARM_IDLE:-5}
read -ra AGENT_ARGS <<< "${AGENT_ARGS:-}"
read -ra AGENT_ENV <<< "${AGENT_ENV:-}"
TRACE=${TRACE:-1}
SCRATCH=${SCRATCH:-/tmp/dockyard-p2p-bench-$$}
RESULTS=$REPO/bench/results/p2p-$(date -u +%Y%m%dT%H%M%SZ)
DOCKYARD=${DOCKYARD:-$REPO/registry/Dockyard.Server/bin/Release/net10.0/dockyard}
LAUNCHER=${LAUNCHER:-$REPO/launcher/Dockyard.Launcher/bin/Release/net10.0/launcher.dll}   # another build's, to compare two in one sitting
TAG=dyp$$                      # namespace names unique per run: two runs never meet
NET=10.77.0
REG_IP=$NET.1
USER_NAME=bench PASSWORD=bench-password-$$
REPO_NAME=bench/img
WARM_REPO=bench/warm

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root (network namespaces)"
[[ -x $DOCKYARD && -f $LAUNCHER ]] || die "build first: dotnet build registry/Dockyard.Server -c Release; dotnet build launcher/Dockyard.Launcher -c Release"
mkdir -p "$SCRATCH" "$RESULTS"

PIDS=()
NAMESPACES=()
cleanup() {
  local pid ns
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT INT TERM

# --- network ---------------------------------------------------------------------------------------------------
BR=${TAG}br
ip netns add "$BR"; NAMESPACES+=("$BR")
ip -n "$BR" link add br0 type bridge
ip -n "$BR" link set br0 up
# join NS HOSTBYTE: a namespace on the bridge at $NET.HOSTBYTE, its link shaped to RATE both ways.
join() {
  local ns=$1 byte=$2
  ip netns add "$ns"; NAMESPACES+=("$ns")
  ip link add "v$ns" type veth peer name "b$ns"
  ip link set "v$ns" netns "$ns"; ip link set "b$ns" netns "$BR"
  ip -n "$BR" link set "b$ns" master br0; ip -n "$BR" link set "b$ns" up
  ip -n "$ns" link set lo up; ip -n "$ns" link set "v$ns" up
  ip -n "$ns" addr add "$NET.$byte/24" dev "v$ns"
  ip netns exec "$ns" tc qdisc add dev "v$ns" root tbf rate "$RATE" burst 256kb latency 50ms
  ip netns exec "$BR" tc qdisc add dev "b$ns" root tbf rate "$RATE" burst 256kb latency 50ms
}
REG=${TAG}r
join "$REG" 1
MAX_N=1
for n in $N_LIST $DOCKER_N; do ((n > MAX_N)) && MAX_N=$n; done
for ((i = 1; i <= MAX_N; i++)); do join "${TAG}h$i" $((10 + i)); done
log "namespaces up: registry $REG_IP, $MAX_N hosts, links $RATE"

# --- registry --------------------------------------------------------------------------------------------------
mkdir -p "$SCRATCH/registry/keys"
cat > "$SCRATCH/runtime.conf" <<EOF
[log]
level = Warning
[dockyard]
path = $SCRATCH/registry/data
standalone = false
[auth_server]
privateKey = $SCRATCH/registry/keys/token.key
[token]
rootcertbundle = $SCRATCH/registry/keys/token.crt
EOF
echo "$PASSWORD" | "$DOCKYARD" user add "$USER_NAME" --config "$SCRATCH/runtime.conf" --password-stdin > "$RESULTS/user.log" 2>&1
(cd "$SCRATCH/registry" && exec ip netns exec "$REG" "$DOCKYARD" web --config "$SCRATCH/runtime.conf" --address "$REG_IP" --port 5000) \
  > "$RESULTS/registry.log" 2>&1 &
REGISTRY_PID=$!
PIDS+=($!)
in_reg() { ip netns exec "$REG" "$@"; }
for ((t = 0; t < 300; t++)); do in_reg curl -s -o /dev/null "http://$REG_IP:5000/v2/" && break; sleep 0.2; done
in_reg curl -s -o /dev/null "http://$REG_IP:5000/v2/" || die "the registry did not start (see $RESULTS/registry.log)"

# Two layers, each a tar of one random file (so a Docker engine can unpack them too, see DOCKER_N), a config and a
# Docker schema 2 manifest (tag 1), pushed with Basic credentials from inside the registry's namespace (over its own
# address: lo). The layers are uncompressed tars labelled gzip: engines sniff the compression, and random bytes would
# not compress anyway.
base=http://$REG_IP:5000
push_blob() { # FILE REPO: pushes it, prints its digest
  local file=$1 repo=$2 digest location sep code
  digest=sha256:$(sha256sum "$file" | cut -d' ' -f1)
  location=$(in_reg curl -sf -u "$USER_NAME:$PASSWORD" -D - -o /dev/null -X POST "$base/v2/$repo/blobs/uploads/" | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
  [[ $location == http* ]] || location=$base$location
  [[ $location == *\?* ]] && sep='&' || sep='?'
  code=$(in_reg curl -s -u "$USER_NAME:$PASSWORD" -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' \
    -T "$file" "$location${sep}digest=$digest")
  [[ $code == 201 ]] || die "push of $file answered $code"
  echo "$digest"
}
# push_image REPO MIB: two layers of MIB MiB each (fresh random bytes: blobs of their own), config and manifest (tag 1);
# the layers' digests in DIGESTS, their sizes in SIZES.
push_image() {
  local repo=$1 mib=$2 layer file digest config code
  DIGESTS=() SIZES=()
  for layer in 1 2; do
    file=$SCRATCH/layer$layer
    mkdir -p "$SCRATCH/tree$layer"
    head -c $((mib << 20)) /dev/urandom > "$SCRATCH/tree$layer/data$layer.bin"
    tar --sort=name --mtime=@0 --owner=0 --group=0 -C "$SCRATCH/tree$layer" -cf "$file" .
    rm -rf "$SCRATCH/tree$layer"
    digest=$(push_blob "$file" "$repo"); [[ $digest == sha256:* ]] || die "push of layer $layer of $repo failed"
    # Hash the pieces now, so a run measures distribution, not the first hashing.
    in_reg curl -sf -u "$USER_NAME:$PASSWORD" -o /dev/null "$base/p2p/v1/$repo/blobs/$digest/pieces" || die "no piece hashes for $digest"
    DIGESTS+=("$digest"); SIZES+=("$(stat -c %s "$file")")
    rm -f "$file"
  done
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s","%s"]}}' "${DIGESTS[0]}" "${DIGESTS[1]}" > "$SCRATCH/config.json"
  config=$(push_blob "$SCRATCH/config.json" "$repo"); [[ $config == sha256:* ]] || die "push of the config of $repo failed"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":%s},{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":%s}]}' \
    "$config" "$(stat -c %s "$SCRATCH/config.json")" "${DIGESTS[0]}" "${SIZES[0]}" "${DIGESTS[1]}" "${SIZES[1]}" > "$SCRATCH/manifest.json"
  code=$(in_reg curl -s -u "$USER_NAME:$PASSWORD" -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
    --data-binary @"$SCRATCH/manifest.json" "$base/v2/$repo/manifests/1")
  [[ $code == 201 ]] || die "push of the manifest of $repo answered $code"
  log "pushed $repo:1: 2 x $mib MiB"
}
# The warm-up image first (its own random bytes: no blob or piece in common with the timed one).
WARM_DIGESTS=()
if ((WARM_MIB > 0)); then push_image "$WARM_REPO" "$WARM_MIB"; WARM_DIGESTS=("${DIGESTS[@]}"); fi
push_image "$REPO_NAME" "$LAYER_MIB"
IMAGE_BYTES=$((SIZES[0] + SIZES[1]))

reg_tx() { ip -n "$REG" -s -j link show dev "v$REG" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["bytes"])'; }

# start_agents N LABEL: fresh agents (empty caches) on hosts 1..N, their PIDs in AGENTS, ready when this returns.
start_agents() {
  local n=$1 label=$2 i ns
  AGENTS=()
  rm -rf "$SCRATCH"/cache*
  for ((i = 1; i <= n; i++)); do
    ns=${TAG}h$i
    # ip netns exec, env and the dotnet host all exec: $! is the agent itself, so killing it kills the agent.
    ip netns exec "$ns" env "${AGENT_ENV[@]}" dotnet "$LAUNCHER" agent --registry "http://$REG_IP:5000" --username "$USER_NAME" --password-stdin \
      --listen 127.0.0.1:5050 --peer-listen "$NET.$((10 + i)):5051" --advertise "$NET.$((10 + i)):5051" \
      --cache "$SCRATCH/cache$i" --cache-size $((3 * LAYER_MIB + 2 * WARM_MIB)) --peer-wait "$PEER_WAIT" --upload-slots "$UPLOAD_SLOTS" "${AGENT_ARGS[@]}" <<< "$PASSWORD" > "$RESULTS/agent-$label-$i.log" 2>&1 &
    AGENTS+=($!); PIDS+=($!)
  done
  for ((i = 1; i <= n; i++)); do
    for ((t = 0; t < 300; t++)); do ip netns exec "${TAG}h$i" curl -s -o /dev/null http://127.0.0.1:5050/v2/ && break; sleep 0.2; done
  done
}

# cpu_ticks PID...: the processes' user + system CPU time together, in clock ticks (/proc/PID/stat).
cpu_ticks() { local pid sum=0; for pid in "$@"; do sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$sum"; }

# warm_agents N: hosts 1..N pull the warm-up image through their agents, all at once, then rest until the agents are
# idle (the runtime recompiles hot methods in the background), at most WARM_SETTLE seconds. A failed warm-up pull is
# logged, not fatal: it times nothing.
warm_agents() {
  local n=$1 i d t0=$EPOCHREALTIME
  ((WARM_MIB > 0)) || return 0
  local pulls=()
  for ((i = 1; i <= n; i++)); do
    for d in "${WARM_DIGESTS[@]}"; do
      ip netns exec "${TAG}h$i" curl -sf --max-time "$PULL_TIMEOUT" -o /dev/null "http://127.0.0.1:5050/v2/$WARM_REPO/blobs/$d" &
      pulls+=($!)
    done
  done
  local failed=0
  for i in "${pulls[@]}"; do wait "$i" || failed=$((failed + 1)); done
  local pulled=$EPOCHREALTIME hz idle_ticks before after settle start=$SECONDS
  hz=$(getconf CLK_TCK); idle_ticks=$((hz * WARM_IDLE / 100))
  before=$(cpu_ticks "${AGENTS[@]}")
  for ((settle = 0; settle < WARM_SETTLE; settle++)); do
    local t1; t1=$(cpu_ticks "${AGENTS[@]}"); sleep 1
    (($(cpu_ticks "${AGENTS[@]}") - t1 <= idle_ticks)) && break
  done
  after=$(cpu_ticks "${AGENTS[@]}")
  log "warm-up of $n agents: $(awk -v a="$t0" -v b="$pulled" 'BEGIN { printf "%.1f", b - a }') s, $failed of ${#pulls[@]} pulls failed; idle after $((SECONDS - start)) s more, the agents using $(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }') CPU-s meanwhile"
}

stop_agents() {
  local pid
  for pid in "${AGENTS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${AGENTS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# trace_start LABEL PID... (the agents', then the registry's) / trace_stop LABEL: bench/lib/p2p_trace.py over one run.
TRACER=
trace_start() {
  ((TRACE)) || return 0
  local label=$1; shift
  python3 bench/lib/p2p_trace.py sample "$RESULTS/trace-$label.tsv" "$BR" "$TAG" "$((PULL_TIMEOUT + 60))" "$SCRATCH/trace-stop" "$@" &
  TRACER=$!; PIDS+=($!)
}
trace_stop() {
  [[ -n $TRACER ]] || return 0
  touch "$SCRATCH/trace-stop"; wait "$TRACER" 2>/dev/null || true; rm -f "$SCRATCH/trace-stop"; TRACER=
  log "N=$2 killed=$3: $(python3 bench/lib/p2p_trace.py digest "$RESULTS/trace-$1.tsv" "$IMAGE_BYTES" "$RATE_BYTES")"
}

# --- one run: N agents, all pulling at once; KILLS of them killed at KILL_AT seconds ------------------------------
# Writes "<host> <seconds|killed|failed>" lines to $SCRATCH/times and the registry's egress bytes to $SCRATCH/egress
# (not echoed: a command substitution's subshell would keep the agents' PIDs from the exit trap).
run() {
  local n=$1 kills=$2 kill_at=$3 i pid
  local pulls=()
  rm -rf "$SCRATCH"/time*
  start_agents "$n" "n$n-k$kills"
  warm_agents "$n"
  local agents=("${AGENTS[@]}")
  trace_start "n$n-k$kills" "${agents[@]}" "$REGISTRY_PID"
  local before; before=$(reg_tx)
  for ((i = 1; i <= n; i++)); do
    (
      ns=${TAG}h$i
      t0=$EPOCHREALTIME
      ok=1
      for d in "${DIGESTS[@]}"; do
        ip netns exec "$ns" curl -sf --max-time "$PULL_TIMEOUT" -o /dev/null "http://127.0.0.1:5050/v2/$REPO_NAME/blobs/$d" &
      done
      for job in $(jobs -p); do wait "$job" || ok=0; done
      t1=$EPOCHREALTIME
      if ((ok)); then awk -v a="$t0" -v b="$t1" -v h="$i" 'BEGIN { printf "%d %.2f\n", h, b - a }'; else echo "$i failed"; fi > "$SCRATCH/time$i"
    ) &
    pulls+=($!)
  done
  if ((kills > 0)); then
    sleep "$kill_at"
    for ((i = n - kills + 1; i <= n; i++)); do kill -9 "${agents[i - 1]}" 2>/dev/null || true; echo "$i killed" > "$SCRATCH/killed$i"; done
  fi
  for pid in "${pulls[@]}"; do wait "$pid" || true; done
  local after; after=$(reg_tx)
  trace_stop "n$n-k$kills" "$n" "$kills"
  stop_agents
  : > "$SCRATCH/times"
  for ((i = 1; i <= n; i++)); do
    if [[ -f $SCRATCH/killed$i ]]; then echo "$i killed" >> "$SCRATCH/times"; else cat "$SCRATCH/time$i" >> "$SCRATCH/times"; fi
  done
  rm -f "$SCRATCH"/killed*
  echo $((after - before)) > "$SCRATCH/egress"
}

# p50 p99 max of the finished hosts' seconds (nearest rank), and how many finished.
stats() { awk '$2 ~ /^[0-9.]+$/ { print $2 }' "$SCRATCH/times" | sort -n |
  awk '{ v[NR] = $1 } END { if (!NR) { print "- - - 0"; exit } i = int(NR * 0.99 + 0.999); print v[int((NR + 1) / 2)], v[i], v[NR], NR }'; }

RATE_BYTES=$(python3 -c "import re,sys; m=re.match(r'([0-9.]+)([kmg]?)bit', '$RATE'.lower()); print(int(float(m[1]) * {'':1,'k':1e3,'m':1e6,'g':1e9}[m[2]] / 8))")
printf 'n\tkilled\tp50_s\tp99_s\tmax_s\tfinished\tfailed\tregistry_egress_bytes\n' > "$RESULTS/raw.tsv"
record() { # n killed (egress from $SCRATCH/egress)
  local s failed egress; s=$(stats); failed=$(grep -c ' failed' "$SCRATCH/times" || true); egress=$(cat "$SCRATCH/egress")
  read -r p50 p99 max finished <<< "$s"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$p50" "$p99" "$max" "$finished" "$failed" "$egress" >> "$RESULTS/raw.tsv"
  log "N=$1 killed=$2: p50 ${p50}s p99 ${p99}s max ${max}s, $finished finished, $failed failed, registry egress $((egress >> 20)) MiB, load average $(cut -d' ' -f1 /proc/loadavg)"
}

run 1 0 0; record 1 0
ALONE=$(awk '{ print $2 }' "$SCRATCH/times")
[[ $ALONE =~ ^[0-9.]+$ ]] || die "the lone host's pull failed (see $RESULTS/agent-n1-k0-1.log)"
KILL_AT=$(awk -v a="$ALONE" 'BEGIN { printf "%.1f", a / 2 }')
for n in $N_LIST; do
  run "$n" 0 0; record "$n" 0
  if ((KILL)); then
    kills=$(( n / 4 > 0 ? n / 4 : 1 ))
    run "$n" "$kills" "$KILL_AT"; record "$n" "$kills"
  fi
done

python3 - "$RESULTS/raw.tsv" "$IMAGE_BYTES" "$RATE_BYTES" "$ALONE" "$RATE" "$LAYER_MIB" > "$RESULTS/summary.md" <<'EOF'
import csv, sys
path, image, rate, alone, rate_text, layer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
print(f"Image: 2 layers x {layer} MiB; every link {rate_text}; one host alone: {alone:.1f} s ({image / alone / rate:.0%} of the link).\n")
print("| N | agents killed | p50 s | p99 s | p99 / alone | slowest host's speed / link | registry egress / image | without P2P |")
print("|---|---|---|---|---|---|---|---|")
for row in csv.DictReader(open(path), delimiter="\t"):
    n = int(row["n"])
    if n == 1:
        continue
    p99 = row["p99_s"]
    ratio = f"{float(p99) / alone:.2f}" if p99 != "-" else "-"
    speed = f"{image / float(row['max_s']) / rate:.0%}" if row["max_s"] != "-" else "-"
    print(f"| {n} | {row['killed']} | {row['p50_s']} | {p99} | {ratio} | {speed} | {int(row['registry_egress_bytes']) / image:.2f} | {n} |")
EOF
# --- the same image pulled by a real Docker engine per host through its agent (DOCKER_N > 0) ----------------------
# Each host runs its own dockerd (vfs, no bridge, state under the scratch folder) in its namespace, pulling
# 127.0.0.1:5050/bench/img:1 (loopback registries are insecure by default, so it pulls over plain HTTP). Fresh agents
# and engines for each run: one host alone, then DOCKER_N at once. Times include unpacking the layers.
docker_run() { # N: times to $SCRATCH/times, egress to $SCRATCH/egress
  local n=$1 i d pid
  local daemons=() pulls=()
  rm -rf "$SCRATCH"/time* "$SCRATCH"/docker*
  start_agents "$n" "docker$n"
  warm_agents "$n"
  for ((i = 1; i <= n; i++)); do
    d=$SCRATCH/docker$i; mkdir -p "$d"; echo '{}' > "$d/daemon.json"
    # nsenter --net, not ip netns exec: that one remounts /sys, and dockerd then finds no cgroups ("Devices cgroup isn't mounted").
    nsenter --net="/var/run/netns/${TAG}h$i" dockerd --config-file "$d/daemon.json" --storage-driver=vfs --iptables=false --ip6tables=false --bridge=none \
      --host="unix://$d/docker.sock" --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/dockerd.pid" > "$RESULTS/dockerd-n$n-$i.log" 2>&1 &
    daemons+=($!); PIDS+=($!)
  done
  for ((i = 1; i <= n; i++)); do
    d=$SCRATCH/docker$i
    for ((t = 0; t < 150; t++)); do docker -H "unix://$d/docker.sock" info > /dev/null 2>&1 && break; sleep 0.2; done
    # Its containerd too, by PID: a dockerd killed by the exit trap would leave it behind.
    for pid in $(pgrep -P "${daemons[i - 1]}" || true); do PIDS+=("$pid"); done
  done
  local before; before=$(reg_tx)
  for ((i = 1; i <= n; i++)); do
    (
      d=$SCRATCH/docker$i
      t0=$EPOCHREALTIME
      if timeout "$PULL_TIMEOUT" docker -H "unix://$d/docker.sock" pull -q "127.0.0.1:5050/$REPO_NAME:1" > /dev/null 2>> "$RESULTS/docker-pull-n$n-$i.log"; then
        awk -v a="$t0" -v b="$EPOCHREALTIME" -v h="$i" 'BEGIN { printf "%d %.2f\n", h, b - a }'
      else
        echo "$i failed"
      fi > "$SCRATCH/time$i"
    ) &
    pulls+=($!)
  done
  for pid in "${pulls[@]}"; do wait "$pid" || true; done
  local after; after=$(reg_tx)
  for pid in "${daemons[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do timeout 30 tail --pid="$pid" -f /dev/null || true; done
  stop_agents
  cat "$SCRATCH"/time* > "$SCRATCH/times"
  echo $((after - before)) > "$SCRATCH/egress"
}

if ((DOCKER_N > 0)); then
  command -v dockerd > /dev/null || die "DOCKER_N needs dockerd (Debian docker.io)"
  printf 'n\tp50_s\tp99_s\tmax_s\tfinished\tregistry_egress_bytes\n' > "$RESULTS/docker.tsv"
  for n in 1 "$DOCKER_N"; do
    docker_run "$n"
    read -r p50 p99 max finished <<< "$(stats)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$p50" "$p99" "$max" "$finished" "$(cat "$SCRATCH/egress")" >> "$RESULTS/docker.tsv"
    log "docker N=$n: p50 ${p50}s p99 ${p99}s, $finished finished, registry egress $(($(cat "$SCRATCH/egress") >> 20)) MiB"
  done
  python3 - "$RESULTS/docker.tsv" "$IMAGE_BYTES" >> "$RESULTS/summary.md" <<'EOF'
import csv, sys
rows, image = list(csv.DictReader(open(sys.argv[1]), delimiter="\t")), int(sys.argv[2])
alone = float(rows[0]["p99_s"]) if rows[0]["p99_s"] != "-" else None
print("\nThrough a Docker engine per host (`docker pull` from its agent, unpacking included):\n")
print("| N | finished | p50 s | p99 s | p99 / alone | registry egress / image |")
print("|---|---|---|---|---|---|")
for row in rows:
    ratio = f"{float(row['p99_s']) / alone:.2f}" if alone and row["p99_s"] != "-" else "-"
    print(f"| {row['n']} | {row['finished']} | {row['p50_s']} | {row['p99_s']} | {ratio} | {int(row['registry_egress_bytes']) / image:.2f} |")
EOF
fi

cat "$RESULTS/summary.md"
log "results in $RESULTS"
