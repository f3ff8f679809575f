#!/usr/bin/env bash
# A push followed by pulls of the same 1 GiB blob, per server, by turns: what the first pull after a push costs, and
# what a pull of a blob that is no longer in the page cache (the production case: pushed long ago) costs.
#   push_pull.sh OUTDIR LAYOUT NAME=BIN...       NAME=dist3 runs $DIST3_BIN; any other NAME runs BIN as Dockyard
# Environment: ROUNDS [3], PORT0 [5600] (server i listens on PORT0+i), DIST3_BIN (as run.sh), SKOPEO_PULLS [1].
#
# Per round (the servers' order rotates per round), per server, on a fresh server and empty store:
#   warm-up      a 16 MiB blob pushed with curl and read back (a .NET server's first requests run unoptimised code)
#   push         the layout's first layer pushed as a new blob with bench/lib/curl_push.sh (POST, one PATCH, PUT),
#                then its config and manifest; push_s, push_server_cpu_s and push_server_sys_s (the server's CPU)
#   after_push   the server's CPU from the push's last answer until it has been idle for half a second (at most 15 s):
#                work left for after the push, such as reading the blob back into the page cache (after_push_cpu_s)
#   cached_pct   how much of the blob file is in the page cache then (fincore)
#   pull_after_push  skopeo pull of the image right after the push (what run.sh measures): pull_after_push_s, _server_cpu_s,
#                _skopeo_cpu_s
#   pull_cold    the blob's pages dropped (posix_fadvise DONTNEED on that file alone, `dd iflag=nocache count=0`, so
#                nobody else's page cache is touched), then the same skopeo pull
#   pull_hot     the same pull again, the blob now in the page cache for every server (the cold pull read it in)
#   get_cold     the pages dropped again, then `curl -o /dev/null` of the blob: get_cold_MBps, _server_cpu_s
#   get_warm     the same GET again, from the page cache
# The host's idle % over one second is recorded before each (idle_before_*). raw.tsv: metric, server, round, value.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

OUT=$1 LAYOUT=$2
shift 2
ROUNDS=${ROUNDS:-3}
PORT0=${PORT0:-5600}
DIST3_BIN=${DIST3_BIN:-$REPO/../shared/peers/distribution-v3.0.0}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT RAW=$OUT/raw.tsv
printf 'metric\tserver\tround\tvalue\n' > "$RAW"
open_nap "$OUT"

NAMES=() BINS=()
for spec in "$@"; do
  NAMES+=("${spec%%=*}") BINS+=("${spec#*=}")
done
LAYER=$(cat "$LAYOUT/first-layer.digest")
LAYER_FILE=$LAYOUT/blobs/sha256/${LAYER#sha256:}
LAYER_BYTES=$(stat -c %s "$LAYER_FILE")
MANIFEST_DIGEST=$(cat "$LAYOUT/manifest.digest")
MANIFEST_FILE=$LAYOUT/blobs/sha256/${MANIFEST_DIGEST#sha256:}
CONFIG_DIGEST=$(jq -r .config.digest "$MANIFEST_FILE")
WARM_FILE=$OUT/warm.bin
head -c $((16 << 20)) /dev/urandom > "$WARM_FILE"
WARM_DIGEST=sha256:$(sha256sum "$WARM_FILE" | cut -d' ' -f1)

PID=""
cleanup() { [[ -z $PID ]] || { kill "$PID" 2> /dev/null || true; wait "$PID" 2> /dev/null || true; }; rm -rf "$OUT/data" "$OUT/pull"; }
trap cleanup EXIT

start() { # NAME BIN PORT DATA: sets PID
  mkdir -p "$4"
  if [[ $1 == dist3 ]]; then
    printf '%s\n' 'version: 0.1' 'log:' '  level: warn' '  accesslog:' '    disabled: true' 'storage:' '  filesystem:' \
      "    rootdirectory: $4/store" '  delete:' '    enabled: true' '  cache:' '    blobdescriptor: inmemory' 'http:' \
      "  addr: 127.0.0.1:$3" > "$4/config.yml"
    (cd "$4" && OTEL_TRACES_EXPORTER=none exec "$DIST3_BIN" serve "$4/config.yml") > "$4/server.log" 2>&1 &
  else
    (cd "$4" && DOCKYARD_DOCKYARD__PATH="$4/store" DOCKYARD_LOG__LEVEL=Warning exec env -u DOCKYARD_CONFIG "$2" web --address 127.0.0.1 --port "$3") \
      > "$4/server.log" 2>&1 &
  fi
  PID=$!
  wait_ready "$3" "$PID"
}

blob_file() { # NAME DATA
  local hex=${LAYER#sha256:}
  if [[ $1 == dist3 ]]; then echo "$2/store/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"; else echo "$2/store/blobs/sha256/${hex:0:2}/$hex"; fi
}
cached_pct() { fincore -b -n -o RES,SIZE "$1" | awk '{ printf "%.0f", $2 ? 100 * $1 / $2 : 0 }'; }
evict() { # FILE: drops that file's clean pages, checks none is left
  dd if="$1" iflag=nocache count=0 status=none
  local left
  left=$(cached_pct "$1")
  ((left == 0)) || log "  WARNING: $left % of $1 still cached after the drop"
}
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$1/stat"; } # utime stime (CLK_TCK=100)

# timed LABEL NAME ROUND CMD...: runs CMD, records LABEL_s, LABEL_server_cpu_s (and user/sys) and the idle % before.
timed() {
  local label=$1 name=$2 round=$3 u0 s0 u1 s1 t0 t1
  shift 3
  record "idle_before_$label" "$name" "$round" "$(host_idle_pct)"
  read -r u0 s0 < <(cpu_ticks "$PID")
  t0=$EPOCHREALTIME
  "$@"
  t1=$EPOCHREALTIME
  read -r u1 s1 < <(cpu_ticks "$PID")
  PUSH_END_TICKS=$((u1 + s1))
  record "${label}_s" "$name" "$round" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
  record "${label}_MBps" "$name" "$round" "$(awk -v a="$t0" -v b="$t1" -v n="$LAYER_BYTES" 'BEGIN { printf "%.1f", n / 1e6 / (b - a) }')"
  record "${label}_server_cpu_s" "$name" "$round" "$(awk -v u="$((u1 - u0))" -v s="$((s1 - s0))" 'BEGIN { printf "%.2f", (u + s) / 100 }')"
  record "${label}_server_sys_s" "$name" "$round" "$(awk -v s="$((s1 - s0))" 'BEGIN { printf "%.2f", s / 100 }')"
}

push_image() { # PORT REPO: the layer, the config, the manifest
  bench/lib/curl_push.sh "$LAYER_FILE" "$LAYER" "$1" "$2" > /dev/null
  bench/lib/curl_push.sh "$LAYOUT/blobs/sha256/${CONFIG_DIGEST#sha256:}" "$CONFIG_DIGEST" "$1" "$2" > /dev/null
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$MANIFEST_FILE" "http://127.0.0.1:$1/v2/$2/manifests/latest")
  [[ $code == 201 ]] || die "manifest PUT answered $code"
}
# settle NAME ROUND: waits (at most 15 s) until the server has used no CPU for half a second, and records the CPU it
# used after the push's last answer (after_push_cpu_s: work a server leaves for after the push, such as warming).
settle() {
  local u0 s0 u1 s1 a b c d k
  read -r u0 s0 < <(cpu_ticks "$PID")
  a=$((u0 + s0))
  for ((k = 0; k < 30; k++)); do
    nap 0.5
    read -r c d < <(cpu_ticks "$PID")
    b=$((c + d))
    ((b - a > 1)) || break
    a=$b
  done
  read -r u1 s1 < <(cpu_ticks "$PID")
  record after_push_cpu_s "$1" "$2" "$(awk -v a="$((u0 + s0 - PUSH_END_TICKS))" -v b="$((u1 + s1 - u0 - s0))" 'BEGIN { printf "%.2f", (a + b) / 100 }')"
}
SKOPEO_CPU=0
skopeo_pull() { # PORT REPO
  rm -rf "$OUT/pull" /var/lib/containers/cache/blob-info-cache-v1.boltdb "${XDG_DATA_HOME:-$HOME/.local/share}/containers/cache/blob-info-cache-v1.boltdb"
  local c0 c1
  c0=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  skopeo --insecure-policy copy -q --retry-times 0 --preserve-digests --src-tls-verify=false --dest-oci-accept-uncompressed-layers \
    "docker://127.0.0.1:$1/$2:latest" "oci:$OUT/pull:latest" >> "$OUT/skopeo.log" 2>&1 || die "skopeo pull failed; see $OUT/skopeo.log"
  c1=$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)
  SKOPEO_CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", (b - a) / 100 }')
  rm -rf "$OUT/pull"
}
get() { # PORT REPO
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/$2/blobs/$LAYER")
  [[ $code == 200 ]] || die "blob GET answered $code"
}

for ((round = 1; round <= ROUNDS; round++)); do
  for ((k = 0; k < ${#NAMES[@]}; k++)); do
    i=$(((k + round - 1) % ${#NAMES[@]}))
    name=${NAMES[i]} port=$((PORT0 + i)) data=$OUT/data/$name repo=bench/pp-r$round
    log "round $round: $name"
    rm -rf "$data"
    start "$name" "${BINS[i]}" "$port" "$data"
    bench/lib/curl_push.sh "$WARM_FILE" "$WARM_DIGEST" "$port" bench/warm > /dev/null
    curl -s -o /dev/null "http://127.0.0.1:$port/v2/bench/warm/blobs/$WARM_DIGEST"
    sync
    timed push "$name" "$round" push_image "$port" "$repo"
    file=$(blob_file "$name" "$data")
    settle "$name" "$round"
    record cached_pct_after_push "$name" "$round" "$(cached_pct "$file")"
    for ((p = 1; p <= ${SKOPEO_PULLS:-1}; p++)); do
      timed pull_after_push "$name" "$round" skopeo_pull "$port" "$repo"
      record pull_after_push_skopeo_cpu_s "$name" "$round" "$SKOPEO_CPU"
    done
    evict "$file"
    timed pull_cold "$name" "$round" skopeo_pull "$port" "$repo"
    record pull_cold_skopeo_cpu_s "$name" "$round" "$SKOPEO_CPU"
    timed pull_hot "$name" "$round" skopeo_pull "$port" "$repo"
    record pull_hot_skopeo_cpu_s "$name" "$round" "$SKOPEO_CPU"
    evict "$file"
    timed get_cold "$name" "$round" get "$port" "$repo"
    timed get_warm "$name" "$round" get "$port" "$repo"
    kill "$PID"; wait "$PID" 2> /dev/null || true; PID=""
    rm -rf "$data"
  done
done

# summary.md: per metric, each server's median (min-max) over the rounds, in the order given.
awk -F'\t' -v names="${NAMES[*]}" '
  NR > 1 { v[$1, $2] = v[$1, $2] " " $4; if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
  function med(list,   a, n, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function lo(list,   a, n, i, x) { n = split(list, a, " "); x = a[1]; for (i = 2; i <= n; i++) if (a[i] < x) x = a[i]; return x }
  function hi(list,   a, n, i, x) { n = split(list, a, " "); x = a[1]; for (i = 2; i <= n; i++) if (a[i] > x) x = a[i]; return x }
  END {
    k = split(names, s, " ")
    printf "| metric |"; for (i = 1; i <= k; i++) printf " %s |", s[i]; printf "\n| --- |"; for (i = 1; i <= k; i++) printf " ---: |"; printf "\n"
    for (j = 1; j <= m; j++) { printf "| %s |", order[j]; for (i = 1; i <= k; i++) { l = v[order[j], s[i]]; printf " %s (%s–%s) |", med(l), lo(l), hi(l) } printf "\n" }
  }' "$RAW" > "$OUT/summary.md"
cat "$OUT/summary.md" >&2
