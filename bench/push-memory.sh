#!/usr/bin/env bash
# One 1 GiB (BIG_MIB) curl push into a fresh `dockyard web` on a remote backend, and what the process held: a quicker
# probe than bench/run.sh's backend block for before/after comparisons of memory settings (issue 14).
#
#   bench/push-memory.sh LABEL DOCKYARD_DIR azure|rados|filesystem [VAR=VALUE ...]
#
# DOCKYARD_DIR holds the `dockyard` executable (a build output or a publish); VAR=VALUE pairs go into the server's
# environment only (DOTNET_GCgen0size=0x400000, MALLOC_ARENA_MAX=1, ...). The push is one POST, one PATCH with the whole
# blob (Content-Length, as skopeo sends a layer) and the PUT; the blob is deleted through the registry afterwards.
# Appends one tab-separated line to $OUT (default /tmp/push-memory.tsv): label, backend, MB/s, server CPU-s during the
# push, RSS at start, peak RSS (VmHWM) after the push, anonymous and file-backed RSS after it (MiB), extra variables.
# Needs BENCH_AZURE_CONNECTION (or DOCKYARD_TEST_AZURE_CONNECTION) for azure, BENCH_CEPH_CONF (or DOCKYARD_TEST_CEPH_CONF)
# for rados. SMAPS=DIR saves /proc/PID/smaps at start and after the push there. The blob file ($BLOB, default /tmp/push-memory.bin) is made once from /dev/urandom.
set -euo pipefail

label=$1 dir=$2 backend=$3
shift 3
OUT=${OUT:-/tmp/push-memory.tsv}
BIG_MIB=${BIG_MIB:-1024}
BLOB=${BLOB:-/tmp/push-memory.bin}
PORT=${PORT:-5191}
azure=${BENCH_AZURE_CONNECTION:-${DOCKYARD_TEST_AZURE_CONNECTION:-}}
ceph=${BENCH_CEPH_CONF:-${DOCKYARD_TEST_CEPH_CONF:-}}

if [[ ! -f $BLOB || $(stat -c %s "$BLOB") -ne $((BIG_MIB << 20)) ]]; then
  head -c $((BIG_MIB << 20)) /dev/urandom > "$BLOB"
  sha256sum "$BLOB" | cut -d' ' -f1 > "$BLOB.sha256"
fi
digest="sha256:$(cat "$BLOB.sha256")"

data=$(mktemp -d /tmp/push-memory-data.XXXXXX)
stamp=$(date +%s%N | cut -c8-16)
keys=()
case $backend in
  azure)
    [[ -n $azure ]] || { echo "azure needs BENCH_AZURE_CONNECTION" >&2; exit 2; }
    keys=(DOCKYARD_DOCKYARD__BACKEND=azure DOCKYARD_DB__DRIVER=azuretables "DOCKYARD_AZURE__CONNECTIONSTRING=$azure"
      "DOCKYARD_AZURE__CONTAINER=pushmem-$stamp" "DOCKYARD_AZURE__TABLEPREFIX=pushmem$stamp" DOCKYARD_AZURE__SASREDIRECT=false) ;;
  rados)
    [[ -n $ceph ]] || { echo "rados needs BENCH_CEPH_CONF" >&2; exit 2; }
    keys=(DOCKYARD_DOCKYARD__BACKEND=rados "DOCKYARD_RADOS__CONFFILE=$ceph" "DOCKYARD_RADOS__POOLNAME=${BENCH_CEPH_POOL:-${DOCKYARD_TEST_CEPH_POOL:-dockyard}}") ;;
  filesystem) ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac

(cd "$data" && exec env -u DOCKYARD_CONFIG "DOCKYARD_DOCKYARD__PATH=$data/store" "${keys[@]}" "$@" \
  "$dir/dockyard" web --address 127.0.0.1 --port "$PORT") > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2> /dev/null || true; wait $pid 2> /dev/null || true; rm -rf "$data"' EXIT
base="http://127.0.0.1:$PORT"
for ((i = 0; i < 600; i++)); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/v2/" || true) == 200 ]] && break
  kill -0 $pid 2> /dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.1
done
sleep 2
kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
rollup() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/smaps_rollup"; }
start_rss=$(kib $pid VmRSS)
# What the process maps, mapping by mapping, at start and after the push, when SMAPS names a folder.
[[ -n ${SMAPS:-} ]] && mkdir -p "$SMAPS" && cp "/proc/$pid/smaps" "$SMAPS/$label-start.smaps"

c0=$(cpu $pid) t0=$(date +%s.%N)
location=$(curl -sf -D - -o /dev/null -X POST "$base/v2/bench/pushmem/blobs/uploads/" | awk 'tolower($1) == "location:" { print $2 }' | tr -d '\r')
location=$(curl -sf -D - -o /dev/null -X PATCH -H 'Content-Type: application/octet-stream' -T "$BLOB" "$location" \
  | awk 'tolower($1) == "location:" { print $2 }' | tr -d '\r')
sep='?'; [[ $location == *\?* ]] && sep='&'
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$location${sep}digest=$digest")
t1=$(date +%s.%N) c1=$(cpu $pid)
[[ $code == 201 ]] || { echo "PUT answered $code" >&2; tail -20 "$data/server.log" >&2; exit 1; }

hwm=$(kib $pid VmHWM) anon=$(rollup $pid Anonymous) rss=$(kib $pid VmRSS)
[[ -n ${SMAPS:-} ]] && cp "/proc/$pid/smaps" "$SMAPS/$label-end.smaps"
curl -s -o /dev/null -X DELETE "$base/v2/bench/pushmem/blobs/$digest" || true
printf '%s\t%s\t%.1f\t%.2f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\n' "$label" "$backend" \
  "$(awk -v a="$t0" -v b="$t1" -v n=$((BIG_MIB << 20)) 'BEGIN { print n / 1e6 / (b - a) }')" \
  "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')" \
  "$(awk -v k="$start_rss" 'BEGIN { print k / 1024 }')" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" \
  "$(awk -v k="$anon" 'BEGIN { print k / 1024 }')" "$(awk -v a="$anon" -v r="$rss" 'BEGIN { print (r - a) / 1024 }')" \
  "$*" | tee -a "$OUT"
