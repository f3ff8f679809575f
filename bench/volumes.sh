#!/usr/bin/env bash
# Volumes (issue 17, docs/volumes.md): a VOLUME_MIB MiB volume (random bytes in 4 files) stored in one local
# `dockyard web` (standalone, blobs on disk + SQLite), each figure against plain tar and curl of the same data to the
# same registry, in the same run:
#   1. first snapshot: `launcher volume push REPO DIR` into a fresh repository
#      vs `tar -cf - DIR | tee >(sha256sum) | curl PATCH` (one streamed upload) + PUT ?digest=;
#   2. snapshot after changing 1 % of the bytes in CHANGES scattered places (dd conv=notrunc): seconds and bytes
#      uploaded (the launcher's own count) vs the same full tar upload again;
#   3. restore on a "fresh host": `launcher volume pull REPO EMPTYDIR` vs `curl GET blob | tar -x`.
# With ENCRYPT=1 each launcher figure is measured again on an encrypted volume (`--encryption-key jwe:PUB`,
# `--decryption-key PRIV`, an RSA-2048 pair made with openssl), against the same tar figures.
# RUNS runs of each (median reported), each run on its own repositories. Before each measured block the host is given a
# bounded wait to go quiet (lib/common.sh); the idle share is recorded so a noisy figure can be recognised.
#
# Environment knobs (defaults in brackets):
#   VOLUME_MIB [1024]   RUNS [3]   CHANGES [8]   PORT [5141]   ENCRYPT [1]
#   BUILD [0]   1 = build Dockyard and the launcher first; 0 = reuse the Release builds
#   SCRATCH [/tmp/dockyard-volume-bench]   QUIET_IDLE [80] QUIET_MAX [20] QUIET_BUDGET [300] (see lib/common.sh)
# Raw results go to bench/results/volumes-<UTC timestamp>/ (raw.tsv, summary.md, the server's log).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
QUIET_MAX=${QUIET_MAX:-20}
QUIET_BUDGET=${QUIET_BUDGET:-300}
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

VOLUME_MIB=${VOLUME_MIB:-1024}
RUNS=${RUNS:-3}
CHANGES=${CHANGES:-8}
PORT=${PORT:-5141}
BUILD=${BUILD:-0}
ENCRYPT=${ENCRYPT:-1}
SCRATCH=${SCRATCH:-/tmp/dockyard-volume-bench}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$REPO/bench/results/volumes-$STAMP}
LAUNCHER_DLL=$REPO/launcher/Dockyard.Launcher/bin/Release/net10.0/launcher.dll
BASE=http://127.0.0.1:$PORT

for tool in curl tar sha256sum dd; do
  command -v "$tool" > /dev/null || die "$tool not found"
done
mkdir -p "$RESULTS" "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
RAW=$RESULTS/raw.tsv
printf 'metric\tsetup\trun\tvalue\n' > "$RAW"
open_nap "$SCRATCH"
if ((BUILD)); then
  dotnet build launcher/Dockyard.Launcher -c Release -nologo -v q > "$RESULTS/launcher-build.log" 2>&1 || die "launcher build failed"
fi
build_dockyard
[[ -f $LAUNCHER_DLL ]] || die "no launcher at $LAUNCHER_DLL (BUILD=1)"

SERVER_PID=
cleanup() {
  [[ -z $SERVER_PID ]] || kill "$SERVER_PID" 2> /dev/null || true
  rm -rf "$SCRATCH/data" "$SCRATCH/volume" "$SCRATCH/restore" "$SCRATCH/registry" "$SCRATCH"/volume-key*.pem
}
trap cleanup EXIT

mkdir -p "$SCRATCH/registry"
printf 'runmode = prod\n[log]\nlevel = Warning\n[gc]\ninterval = 0\n[dockyard]\nstandalone = true\n' > "$SCRATCH/runtime.conf"
(cd "$SCRATCH/registry" && DOCKYARD_DOCKYARD__PATH="$SCRATCH/registry" exec "$DOCKYARD_BIN" web --config "$SCRATCH/runtime.conf" \
  --address 127.0.0.1 --port "$PORT") > "$RESULTS/server.log" 2>&1 &
SERVER_PID=$!
wait_ready "$PORT" "$SERVER_PID"

launcher() { DOCKYARD_REGISTRY=$BASE DOCKER_CONFIG=$SCRATCH/docker-config dotnet "$LAUNCHER_DLL" "$@"; }
seconds() { local t0=$EPOCHREALTIME; "$@" > "$SCRATCH/last.out"; awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }
location() {
  local value
  value=$(tr -d '\r' | awk -F': ' 'tolower($1) == "location" { print $2 }')
  [[ $value == http* ]] && echo "$value" || echo "$BASE$value"
}
tar_push() { # REPO: the volume folder as one tar blob, streamed once through sha256sum and curl
  local upload sep digest
  upload=$(curl -sf -D - -o /dev/null -X POST "$BASE/v2/$1/blobs/uploads/" | location)
  upload=$(tar -C "$SCRATCH/volume" -cf - . | tee >(sha256sum | cut -d' ' -f1 > "$SCRATCH/tar.sha") |
    curl -sf -D - -o /dev/null -X PATCH -H 'Content-Type: application/octet-stream' -T - "$upload" | location)
  digest="sha256:$(cat "$SCRATCH/tar.sha")"
  [[ $upload == *\?* ]] && sep='&' || sep='?'
  [[ $(curl -s -o /dev/null -w '%{http_code}' -X PUT "$upload${sep}digest=$digest") == 201 ]] || die "tar PUT failed"
  echo "$digest" > "$SCRATCH/tar.digest"
}
tar_pull() { # REPO
  rm -rf "$SCRATCH/restore" && mkdir -p "$SCRATCH/restore"
  curl -sf "$BASE/v2/$1/blobs/$(cat "$SCRATCH/tar.digest")" | tar -C "$SCRATCH/restore" -xf -
}
change_one_percent() { # RUN: CHANGES places, VOLUME_MIB/100 MiB in all, spread over the files
  local each=$((VOLUME_MIB * 1024 * 1024 / 100 / CHANGES)) i file offset
  for ((i = 0; i < CHANGES; i++)); do
    file=$SCRATCH/volume/part$((i % 4))
    offset=$(((i * 7919 + $1 * 104729) % (VOLUME_MIB / 4 - 1) * 1024 * 1024))
    head -c "$each" /dev/urandom | dd of="$file" bs=1M seek="$offset" oflag=seek_bytes conv=notrunc status=none
  done
}

mkdir -p "$SCRATCH/docker-config"
if ((ENCRYPT)); then
  command -v openssl > /dev/null || die "openssl not found (ENCRYPT=0 to skip the encrypted figures)"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SCRATCH/volume-key.pem" 2> /dev/null
  openssl pkey -in "$SCRATCH/volume-key.pem" -pubout -out "$SCRATCH/volume-key.pub.pem"
fi
sealed() { launcher "$@" --encryption-key "jwe:$SCRATCH/volume-key.pub.pem" --decryption-key "$SCRATCH/volume-key.pem"; }
opened() { launcher "$@" --decryption-key "$SCRATCH/volume-key.pem"; }
uploaded() { awk '{ for (i = 1; i < NF; i++) if ($i == "uploaded") print $(i + 1) }' "$SCRATCH/last.out"; }
for ((run = 1; run <= RUNS; run++)); do
  rm -rf "$SCRATCH/volume" && mkdir -p "$SCRATCH/volume"
  for part in 0 1 2 3; do head -c $((VOLUME_MIB * 1024 * 1024 / 4)) /dev/urandom > "$SCRATCH/volume/part$part"; done
  sync
  wait_quiet "$BASE" "$run" first_snapshot
  record first_snapshot_s launcher "$run" "$(seconds launcher volume push "bench/vol$run" "$SCRATCH/volume")"
  record first_snapshot_s tar_curl "$run" "$(seconds tar_push "bench/tar$run")"
  if ((ENCRYPT)); then
    wait_quiet "$BASE" "$run" first_snapshot_encrypted
    record first_snapshot_s launcher_enc "$run" "$(seconds sealed volume push "bench/enc$run" "$SCRATCH/volume")"
  fi
  change_one_percent "$run"
  sync
  wait_quiet "$BASE" "$run" change_snapshot
  record change_snapshot_s launcher "$run" "$(seconds launcher volume push "bench/vol$run" "$SCRATCH/volume")"
  record change_uploaded_bytes launcher "$run" "$(uploaded)"
  record change_snapshot_s tar_curl "$run" "$(seconds tar_push "bench/tar$run")"
  if ((ENCRYPT)); then
    wait_quiet "$BASE" "$run" change_snapshot_encrypted
    record change_snapshot_s launcher_enc "$run" "$(seconds sealed volume push "bench/enc$run" "$SCRATCH/volume")"
    record change_uploaded_bytes launcher_enc "$run" "$(uploaded)"
  fi
  wait_quiet "$BASE" "$run" restore
  rm -rf "$SCRATCH/restore"
  record restore_s launcher "$run" "$(seconds launcher volume pull "bench/vol$run" "$SCRATCH/restore")"
  cmp -s "$SCRATCH/volume/part0" "$SCRATCH/restore/part0" || die "the restored part0 differs"
  record restore_s tar_curl "$run" "$(seconds tar_pull "bench/tar$run")"
  if ((ENCRYPT)); then
    wait_quiet "$BASE" "$run" restore_encrypted
    rm -rf "$SCRATCH/restore"
    record restore_s launcher_enc "$run" "$(seconds opened volume pull "bench/enc$run" "$SCRATCH/restore")"
    cmp -s "$SCRATCH/volume/part1" "$SCRATCH/restore/part1" || die "the restored encrypted part1 differs"
  fi
done

awk -F'\t' -v mib="$VOLUME_MIB" "$AWK_MEDIAN"'
NR > 1 { v[$1 "/" $2] = v[$1 "/" $2] " " $4 }
END {
  printf "| figure (median of runs, %d MiB volume) | launcher | tar + curl | launcher / tar speed |\n|---|---|---|---|\n", mib
  split("first_snapshot_s change_snapshot_s restore_s", m, " ")
  for (i = 1; i <= 3; i++) {
    l = med(v[m[i] "/launcher"]); t = med(v[m[i] "/tar_curl"])
    printf "| %s | %.2f s (%.0f MiB/s) | %.2f s (%.0f MiB/s) | %.0f %% |\n", m[i], l, mib / l, t, mib / t, 100 * t / l
    if (v[m[i] "/launcher_enc"] != "") {
      e = med(v[m[i] "/launcher_enc"])
      printf "| %s, encrypted | %.2f s (%.0f MiB/s) | %.2f s (%.0f MiB/s) | %.0f %% |\n", m[i], e, mib / e, t, mib / t, 100 * t / e
    }
  }
  b = med(v["change_uploaded_bytes/launcher"])
  printf "| bytes uploaded after a 1 %% change | %.1f MiB (%.2f %% of the volume) | %d MiB (the whole tar) | |\n", b / 1048576, 100 * b / (mib * 1048576), mib
  if (v["change_uploaded_bytes/launcher_enc"] != "") {
    b = med(v["change_uploaded_bytes/launcher_enc"])
    printf "| bytes uploaded after a 1 %% change, encrypted | %.1f MiB (%.2f %% of the volume) | %d MiB (the whole tar) | |\n", b / 1048576, 100 * b / (mib * 1048576), mib
  }
}' "$RAW" | tee "$RESULTS/summary.md"
