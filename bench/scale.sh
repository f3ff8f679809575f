#!/usr/bin/env bash
# How Dockyard's cost grows with the registry's size, on the embedded default (SQLite metadata + blobs on disk).
#
#   bench/scale.sh     build, then for each size: generate, serve, measure, collect garbage (1M: about 20 min on 2 cores)
#
# For each size N in SIZES (manifests; repositories = N/10; 0 = the empty registry, the baseline), on a fresh folder:
#   1. dockyard-scale (bench/Dockyard.Bench.Scale) writes the registry of N manifests straight into the stores'
#      files (see its ScalePlan: ~1.13 N blobs, 2 % untagged manifests, stale links and orphan blobs as garbage);
#   2. the metadata file is read once (a registry that has run a while has it in the page cache; this measures that
#      steady state, not the first minutes after a cold boot), dockyard web starts on it; warm-up (not recorded):
#      bench/tiny pushed with tags v0..v8, then wrk for WARMUP_SECONDS on manifests and 5 s on tag lists (the JIT's
#      tiered compilation takes about 10 s to settle: shorter warm-ups measured the compiler, not the registry);
#   3. push_ms: bench/lib/image_push.py pushes PUSHES small images (4 KiB layer, config, manifest), median;
#   4. wrk -t2 -c64 with bench/lib/scale_wrk.lua, spread over all repositories and tags v0..v8: manifest GET and
#      tag list, req/s and p99 (WRK_RUNS repetitions of WRK_SECONDS each; the median is reported);
#   5. catalog_first_ms / catalog_mid_ms: GET /v2/_catalog?n=100 from the start and from the middle (median of 5);
#   6. side by side with the reference (bench/lib/scale_pair.sh): an empty registry served by the same build from the
#      start on REF_PORT (bench/tiny pushed, warmed up like the others) and this size's server, loaded AT THE SAME
#      TIME by one wrk each (-t1 -c64), PAIR_ROUNDS rounds of PAIR_SECONDS at saturation and at PAIR_RATE req/s each:
#      pair_rps_ratio, pair_p99_ratio, pair_cpu_ratio, pair_rate_p99_ratio... one value per round (this size ÷ the
#      empty reference). At size 0 this is the method's A/A (empty ÷ another empty). Runs taking turns (step 4 and
#      its "/ size 0" rows) move ±20 % on this machine; the pairs see one machine state per round (docs/benchmarks.md);
#   7. with RESTART_ROUNDS > 0 (sizes above 0), bench/lib/scale_rounds.sh: the same side-by-side comparison at PAIR_RATE,
#      but three NEW processes every round (an empty one, one on this size's data, and another of either kind by turns
#      for the round's A/A), so the drift between two processes of one build enters the figure: the pair_rate_* rows
#      of SIZE-new (sized ÷ empty), SIZE-new-aa-e and SIZE-new-aa-m (the A/As), rounds_* (memory); also read calls and
#      page faults per GET; summary in rounds-SIZE-new/summary.txt;
#   8. the server stops; after 2 s, `dockyard gc --json` with [gc] delay = 1 s and untagged = true, under
#      /usr/bin/time -v: gc_s (wall), gc_cpu_s, gc_rss_mib (peak), and what it deleted (checked against the plan).
#
# Environment knobs (defaults in brackets):
#   SIZES ["0 1000 10000 100000 1000000"]   WRK_SECONDS [10]   WRK_RUNS [5]   WARMUP_SECONDS [20]   PUSHES [5]   PORT [5121]
#   PAIR_ROUNDS [8] (0 = no side-by-side block, no reference server)   PAIR_SECONDS [10]   PAIR_RATE [4000]   REF_PORT [PORT+1]
#   RESTART_ROUNDS [0]   rounds of restarted processes per size (>= 10 to decide a 20 % bound; about 28 s each), on
#                        ports RESTART_PORT [PORT+2] .. +2, warm-up RESTART_WARMUP [15] s, each pair RESTART_SECONDS [5] s
#   GENERATED [unset]   a folder of data sets made beforehand (GENERATED/N by `dockyard-scale generate GENERATED/N N`,
#                       its /usr/bin/time -f 'time %e %M' output in GENERATED/N.time): copied (blob files hard-linked,
#                       never written in place; metadata files copied) instead of generated inside the measured window
#   BUILD [1]      0 = reuse $SCRATCH/dockyard-r2r (or the plain build) and the generator's build
#   SCRATCH [/tmp/dockyard-scale]   working folder (the data folder is deleted after each size; KEEP_DATA=1 keeps the last)
#   QUIET_IDLE [80] QUIET_MAX [20] QUIET_BUDGET [300]   wait for an idle host before each measured block (see run.sh)
#
# Raw results go to bench/results/scale-<UTC timestamp>/ (raw.tsv, summary.md, gc-<size>.json, wrk and server logs).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

SIZES=${SIZES:-0 1000 10000 100000 1000000}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_RUNS=${WRK_RUNS:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
PUSHES=${PUSHES:-5}
PORT=${PORT:-5121}
REF_PORT=${REF_PORT:-$((PORT + 1))}
export PAIR_ROUNDS=${PAIR_ROUNDS:-8} PAIR_SECONDS=${PAIR_SECONDS:-10} PAIR_RATE=${PAIR_RATE:-4000}
RESTART_ROUNDS=${RESTART_ROUNDS:-0}
GENERATED=${GENERATED:-}
BUILD=${BUILD:-1}
SCRATCH=${SCRATCH:-/tmp/dockyard-scale}
QUIET_MAX=${QUIET_MAX:-20}
QUIET_BUDGET=${QUIET_BUDGET:-300}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-$REPO/bench/results/scale-$STAMP}
GENERATOR=$REPO/bench/Dockyard.Bench.Scale/bin/Release/net10.0/dockyard-scale

for tool in wrk curl jq python3; do
  command -v "$tool" > /dev/null || die "$tool not found (apt-get install wrk curl jq python3)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (apt-get install time)"
mkdir -p "$RESULTS" "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
DATA=$SCRATCH/data
RAW=$RESULTS/raw.tsv
printf 'metric\tsize\trun\tvalue\n' > "$RAW"
open_nap "$SCRATCH"

SERVER_PID="" REF_PID=""
cleanup() {
  local rc=$? pid
  for pid in $SERVER_PID $REF_PID; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  [[ ${KEEP_DATA:-0} == 1 ]] || rm -rf "$DATA"
  rm -rf "$SCRATCH/reference"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

build() {
  build_dockyard
  if ((BUILD)); then
    log "building the generator"
    dotnet build bench/Dockyard.Bench.Scale -c Release -nologo -v q > "$RESULTS/build-generator.log" 2>&1 || die "generator build failed; see $RESULTS/build-generator.log"
  fi
  [[ -x $GENERATOR ]] || die "no generator at $GENERATOR (BUILD=1 builds it)"
}

describe_machine() {
  {
    echo "date_utc: $(date -u +%FT%TZ)"
    echo "git: $(git rev-parse --short HEAD 2> /dev/null || echo '?')"
    echo "nproc: $(nproc)"
    echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "ram: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "kernel: $(uname -r)"
    echo "disk (scratch): $(df -hT "$SCRATCH" | awk 'NR == 2 { print $1, $2, $3 " total,", $5 " free" }')"
    echo "dotnet: $(dotnet --version)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "dockyard build: $(cat "$RESULTS/dockyard-build.txt" 2> /dev/null)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "settings: SIZES=\"$SIZES\" WRK_SECONDS=$WRK_SECONDS WRK_RUNS=$WRK_RUNS WARMUP_SECONDS=$WARMUP_SECONDS PUSHES=$PUSHES PAIR_ROUNDS=$PAIR_ROUNDS PAIR_SECONDS=$PAIR_SECONDS PAIR_RATE=$PAIR_RATE RESTART_ROUNDS=$RESTART_ROUNDS GENERATED=${GENERATED:-}"
  } > "$RESULTS/machine.txt"
  cat "$RESULTS/machine.txt" >&2
}

generate() { # SIZE
  local size=$1 out=$RESULTS/generate-$1.txt
  rm -rf "$DATA"
  mkdir -p "$DATA"
  if [[ -n $GENERATED && -d $GENERATED/$size ]]; then
    cp -al "$GENERATED/$size/." "$DATA/"
    rm -f "$DATA"/metadata.db*
    cp "$GENERATED/$size"/metadata.db* "$DATA/"
    cp "$GENERATED/$size.time" "$out" 2> /dev/null || echo "time NaN NaN" > "$out"
  else
    /usr/bin/time -f 'time %e %M' "$GENERATOR" generate "$DATA" "$size" > "$out" 2>&1 || die "generator failed; see $out"
  fi
  record generate_s "$size" 1 "$(awk '/^time/ { print $2 }' "$out")"
  record generate_rss_mib "$size" 1 "$(mib "$(awk '/^time/ { print $3 }' "$out")")"
  record metadata_db_mib "$size" 1 "$(mib $(($(stat -c %s "$DATA/metadata.db") / 1024)))"
}

serve() { # FOLDER PORT LOG: starts dockyard web, its pid in SERVED_PID
  (cd "$1" && DOCKYARD_DOCKYARD__PATH="$1" DOCKYARD_GC__INTERVAL=0 exec env -u DOCKYARD_CONFIG "$DOCKYARD_BIN" web --address 127.0.0.1 --port "$2") \
    > "$3" 2>&1 &
  SERVED_PID=$!
  wait_ready "$2" "$SERVED_PID"
}

start_dockyard() { # SIZE
  local t0=$EPOCHREALTIME
  serve "$DATA" "$PORT" "$RESULTS/server-$1.log"
  SERVER_PID=$SERVED_PID
  record start_ms "$1" 1 "$(ms_since "$t0")"
}

# The empty registry every size is compared with side by side: the same build, bench/tiny pushed, warmed up as the others.
start_reference() {
  ((PAIR_ROUNDS > 0)) || return 0
  log "reference: an empty registry on port $REF_PORT, warm-up"
  rm -rf "$SCRATCH/reference"
  mkdir -p "$SCRATCH/reference"
  serve "$SCRATCH/reference" "$REF_PORT" "$RESULTS/server-reference.log"
  REF_PID=$SERVED_PID
  python3 bench/lib/image_push.py "$REF_PORT" bench/tiny 1 v0,v1,v2,v3,v4,v5,v6,v7,v8 > /dev/null
  wrk -t2 -c64 -d"${WARMUP_SECONDS}s" -s bench/lib/scale_wrk.lua "http://127.0.0.1:$REF_PORT" -- manifest 0 > "$RESULTS/wrk-warmup-reference.txt" 2>&1 || die "wrk failed on the reference"
}

side_by_side() { # SIZE
  ((PAIR_ROUNDS > 0)) || return 0
  log "size $1: side by side with the empty reference ($PAIR_ROUNDS rounds)"
  wait_quiet "$1" 1 pair
  RESULTS=$RESULTS PAIR_WARMUP=5 bench/lib/scale_pair.sh "$RAW" "$1" "$REF_PORT" "$REF_PID" 0 "$PORT" "$SERVER_PID" "$(($1 / 10))"
}

# New processes every round against empty ones (bench/lib/scale_rounds.sh), the sized server stopped first.
restarted_rounds() { # SIZE
  ((RESTART_ROUNDS > 0 && $1 > 0)) || return 0
  log "size $1: $RESTART_ROUNDS rounds of new processes against empty ones"
  wait_quiet "$1" 1 rounds
  RESULTS=$RESULTS ROUNDS=$RESTART_ROUNDS ROUNDS_PORT=${RESTART_PORT:-$((PORT + 2))} ROUNDS_WARMUP=${RESTART_WARMUP:-15} \
    PAIR_SECONDS=${RESTART_SECONDS:-5} bench/lib/scale_rounds.sh "$RAW" "$1-new" "$DOCKYARD_BIN" "$DATA" "$(($1 / 10))"
}

stop_dockyard() {
  kill "$SERVER_PID" 2> /dev/null || true
  wait "$SERVER_PID" 2> /dev/null || true
  SERVER_PID=""
}

wrk_scale() { # SIZE RUN KIND REPOSITORIES SECONDS [LABEL]: with a label, records <label>_rps, _p99_ms, _errors
  local out=$RESULTS/wrk-${6:-warmup}-$1-run$2.txt rps p99 bad
  [[ -z ${6:-} ]] || wait_quiet "$1" "$2" "$6"
  wrk -t2 -c64 -d"$5s" --latency -s bench/lib/scale_wrk.lua "http://127.0.0.1:$PORT" -- "$3" "$4" > "$out" 2>&1 || die "wrk failed; see $out"
  [[ -n ${6:-} ]] || return 0
  read -r rps p99 bad < <(wrk_figures "$out")
  ((bad == 0)) || log "  WARNING: $6 at size $1: $bad non-2xx responses"
  record "$6_rps" "$1" "$2" "$rps"
  record "$6_p99_ms" "$1" "$2" "$p99"
  record "$6_errors" "$1" "$2" "$bad"
}

catalog_ms() { # SIZE LAST: median of 5 GETs of one catalog page of 100
  local i
  for ((i = 0; i < 5; i++)); do
    curl -sf -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/v2/_catalog?n=100${2:+&last=$2}" || die "catalog GET failed"
  done | awk '{ print $1 * 1000 }' | median
}

collect_garbage() { # SIZE
  local size=$1 out=$RESULTS/gc-$1.json time=$RESULTS/gc-$1.time
  nap 2
  wait_quiet "$size" 1 gc
  (cd "$DATA" && DOCKYARD_DOCKYARD__PATH="$DATA" DOCKYARD_GC__DELAY=1 DOCKYARD_GC__UNTAGGED=true \
    exec env -u DOCKYARD_CONFIG /usr/bin/time -v "$DOCKYARD_BIN" gc --json) > "$out" 2> "$time" || die "dockyard gc failed; see $time"
  record gc_s "$size" 1 "$(jq '.seconds' "$out")"
  record gc_cpu_s "$size" 1 "$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$time")"
  record gc_rss_mib "$size" 1 "$(mib "$(awk -F': ' '/Maximum resident/ { print $2 }' "$time")")"
  local key
  for key in manifestsDeleted linksRemoved blobsDeleted blobsReprieved; do
    record "gc_$key" "$size" 1 "$(jq ".$key" "$out")"
  done
  # The plan's garbage: N/50 untagged manifests; their links and blobs, N/100 stale links and N/100 orphan blobs.
  local manifests=$((size / 50)) links=$((size / 50 + size / 100)) blobs=$((size / 50 + size / 100 + size / 100))
  [[ "$(jq -r '"\(.manifestsDeleted) \(.linksRemoved) \(.blobsDeleted)"' "$out")" == "$manifests $links $blobs" ]] \
    || log "  WARNING: gc at size $size deleted $(jq -c '[.manifestsDeleted, .linksRemoved, .blobsDeleted]' "$out"), planned [$manifests,$links,$blobs]"
}

measure() { # SIZE
  local size=$1 repositories=$(($1 / 10)) run
  log "size $size: generating"
  generate "$size"
  cat "$DATA"/metadata.db* > /dev/null
  start_dockyard "$size"
  log "size $size: warm-up, push, wrk, catalog"
  python3 bench/lib/image_push.py "$PORT" bench/tiny 1 v0,v1,v2,v3,v4,v5,v6,v7,v8 > /dev/null
  python3 bench/lib/image_push.py "$PORT" bench/warm "$PUSHES" > /dev/null
  wrk_scale "$size" 0 manifest "$repositories" "$WARMUP_SECONDS"
  wrk_scale "$size" 0 tags "$repositories" 5
  wait_quiet "$size" 1 push
  record push_ms "$size" 1 "$(python3 bench/lib/image_push.py "$PORT" bench/push "$PUSHES" | cut -d' ' -f1)"
  for ((run = 1; run <= WRK_RUNS; run++)); do
    wrk_scale "$size" "$run" manifest "$repositories" "$WRK_SECONDS" manifest_get
    wrk_scale "$size" "$run" tags "$repositories" "$WRK_SECONDS" tags_get
  done
  record catalog_first_ms "$size" 1 "$(catalog_ms "$size")"
  ((repositories == 0)) || record catalog_mid_ms "$size" 1 "$(catalog_ms "$size" "scale/r$(printf %07d $((repositories / 2)))")"
  side_by_side "$size"
  record server_hwm_mib "$size" 1 "$(mib "$(proc_kib "$SERVER_PID" VmHWM)")"
  stop_dockyard
  restarted_rounds "$size"
  log "size $size: garbage collection"
  collect_garbage "$size"
}

summarize() {
  # One column per size, the median over repetitions (min–max when they differ); manifest GET also as a ratio to the empty registry (size 0).
  awk -F'\t' -v sizes="$SIZES" '
    NR > 1 { v[$1, $2] = v[$1, $2] " " $4; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    function med(list,   a, k, i, j, t) {
      k = split(list, a, " ")
      for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      lo = a[1]; hi = a[k]
      return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    function shown(list,   m) { m = med(list); return (lo == hi) ? m : m " (" lo "–" hi ")" }
    END {
      m = split(sizes, s, " ")
      line = "| figure |"; rule = "| --- |"
      for (c = 1; c <= m; c++) { line = line " " s[c] " |"; rule = rule " ---: |" }
      print line; print rule
      for (i = 1; i <= n; i++) {
        k = order[i]; if (k ~ /^idle_pct/) continue
        line = "| " k " |"
        for (c = 1; c <= m; c++) line = line " " (((k, s[c]) in v) ? shown(v[k, s[c]]) : "–") " |"
        print line
        if ((k == "manifest_get_rps" || k == "manifest_get_p99_ms" || k == "tags_get_rps" || k == "tags_get_p99_ms") && ((k, "0") in v)) {
          line = "| " k " / size 0 |"
          for (c = 1; c <= m; c++) line = line " " (((k, s[c]) in v) ? sprintf("%.2f", med(v[k, s[c]]) / med(v[k, "0"])) : "–") " |"
          print line
        }
      }
    }' "$RAW" > "$RESULTS/summary.md"
  cat "$RESULTS/summary.md" >&2
}

main() {
  local start=$EPOCHREALTIME size
  build
  describe_machine
  start_reference
  for size in $SIZES; do
    measure "$size"
    summarize
  done
  log "done in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s; results in $RESULTS"
}

main "$@"
