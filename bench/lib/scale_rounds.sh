#!/usr/bin/env bash
# A sized registry against an empty one, new processes every round: process-to-process drift inside the figure.
#
#   bench/lib/scale_rounds.sh RAW LABEL BIN DATA REPOSITORIES
#
# Why: side by side at a fixed rate (bench/lib/scale_pair.sh) two servers of one build agree within ±5 % over the rounds
# of one pair of processes, but two processes of the same build were once seen to differ by a steady 7-14 % (JIT
# tiering, thread pool and heap state): a few long-lived processes cannot decide a 20 % bound. Here every round starts
# three fresh processes of BIN: E1, an empty registry (a new folder, bench/tiny pushed with tags v0-v8), M1 on DATA, the
# sized registry, and a third for the round's A/A: another empty one (E2) in even rounds, another on DATA (M2, the same
# metadata file, only read by the GETs) in odd ones. It warms the three up together (ROUNDS_WARMUP seconds, one
# wrk -t1 -c64 each at once, not recorded: with less, the first pair measured after it cost up to 2x the CPU per GET of
# the next), then measures two pairs side by side at the fixed rate PAIR_RATE per server (scale_pair.sh with
# PAIR_SATURATED=0), the first of them alternating:
#   LABEL        M1 ÷ E1   the figure: the sized registry's cost against the empty one's
#   LABEL-aa-e   E2 ÷ E1   (even rounds) A/A of two empty processes: how far two processes of one build differ
#   LABEL-aa-m   M2 ÷ M1   (odd rounds) A/A of two sized processes
# Read the figure's median and spread over the rounds beside the A/As' (pair_rate_cpu_ratio: CPU per GET), and the counts
# that do not drift: pair_rate_reads / _faults, read calls and minor page faults per GET (instructions per GET would be
# another, but this VM exposes no PMU to perf: `perf stat -e instructions` answers "not supported").
# Then the three stop; per round it records M1's memory (rounds_rss_mib, rounds_anon_mib, rounds_file_mib: VmRSS,
# RssAnon, RssFile; rounds_pss_mib from smaps_rollup, mapped file pages divided among their mappers; rounds_pte_mib,
# the page tables: what mapping a file costs beyond the page cache it reads anyway).
#
# Environment: ROUNDS [10] ROUNDS_FIRST [1] (to interleave variants, one call per variant and round)
# ROUNDS_WARMUP [15] ROUNDS_PORT [5751: E1, M1 and the third on ROUNDS_PORT..+2] PAIR_SECONDS [5] PAIR_RATE [4000]
# ROUNDS_ENV [unset]: NAME=VALUE ... given to the three servers (a configuration variant). RESULTS keeps the logs.
# Takes about 28 s per round; read the metadata file once before (cat), as bench/scale.sh does.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

(($# == 5)) || die "usage: bench/lib/scale_rounds.sh RAW LABEL BIN DATA REPOSITORIES"
RAW=$1 LABEL=$2 BIN=$3 DATA=$(cd "$4" && pwd) REPOS=$5
ROUNDS=${ROUNDS:-10} FIRST=${ROUNDS_FIRST:-1} WARMUP=${ROUNDS_WARMUP:-15} BASE_PORT=${ROUNDS_PORT:-5751}
RESULTS=${RESULTS:-$(mktemp -d)}
OUT=$RESULTS/rounds-$LABEL
mkdir -p "$OUT"
open_nap "$OUT"
export RESULTS PAIR_SATURATED=0 PAIR_ROUNDS=1 PAIR_SECONDS=${PAIR_SECONDS:-5} PAIR_RATE=${PAIR_RATE:-4000} PAIR_WARMUP=0 PAIR_IDLE=0
read -r -a VARIANT <<< "${ROUNDS_ENV:-}"

NAMES=() PIDS=() PORTS=() SIZED=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  PIDS=()
}
trap stop_all EXIT

start_all() { # ROUND: three new processes, E1 in a new empty folder, M1 on DATA, the third after the round's parity
  local i folder
  if (($1 % 2)); then NAMES=(E1 M1 M2) SIZED=(0 1 1); else NAMES=(E1 M1 E2) SIZED=(0 1 0); fi
  for i in 0 1 2; do
    PORTS[i]=$((BASE_PORT + i))
    folder=$DATA
    if ((!SIZED[i])); then
      folder=$OUT/empty-$i
      rm -rf "$folder"
      mkdir -p "$folder"
    fi
    (cd "$folder" && DOCKYARD_DOCKYARD__PATH="$folder" DOCKYARD_GC__INTERVAL=0 exec env -u DOCKYARD_CONFIG "${VARIANT[@]}" \
      "$BIN" web --address 127.0.0.1 --port "${PORTS[i]}") > "$OUT/server-r$1-${NAMES[i]}.log" 2>&1 &
    PIDS[i]=$!
  done
  for i in 0 1 2; do wait_ready "${PORTS[i]}" "${PIDS[i]}"; done
  for i in 0 1 2; do
    ((SIZED[i])) || python3 bench/lib/image_push.py "${PORTS[i]}" bench/tiny 1 v0,v1,v2,v3,v4,v5,v6,v7,v8 > /dev/null
  done
}

warm_up() { # ROUND
  local i repositories waits=()
  for i in 0 1 2; do
    repositories=$((SIZED[i] ? REPOS : 0))
    wrk -t1 -c64 -d"${WARMUP}s" -s bench/lib/scale_wrk.lua "http://127.0.0.1:${PORTS[i]}" -- manifest "$repositories" \
      > "$OUT/warmup-r$1-${NAMES[i]}.txt" 2>&1 &
    waits+=($!)
  done
  for i in "${waits[@]}"; do wait "$i" || die "warm-up wrk failed in round $1; see $OUT"; done
}

pair() { # ROUND SUFFIX REF MEASURED (indexes into NAMES)
  local ref=$3 measured=$4
  PAIR_FIRST_ROUND=$1 bench/lib/scale_pair.sh "$RAW" "$LABEL$2" "${PORTS[ref]}" "${PIDS[ref]}" $((SIZED[ref] ? REPOS : 0)) \
    "${PORTS[measured]}" "${PIDS[measured]}" $((SIZED[measured] ? REPOS : 0))
}

memory() { # ROUND: M1's resident memory, anonymous and mapped file pages apart
  local pid=${PIDS[1]}
  record rounds_rss_mib "$LABEL" "$1" "$(mib_of "$(proc_kib "$pid" VmRSS)")"
  record rounds_anon_mib "$LABEL" "$1" "$(mib_of "$(proc_kib "$pid" RssAnon)")"
  record rounds_file_mib "$LABEL" "$1" "$(mib_of "$(proc_kib "$pid" RssFile)")"
  record rounds_pss_mib "$LABEL" "$1" "$(mib_of "$(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup")")"
  record rounds_pte_mib "$LABEL" "$1" "$(mib_of "$(proc_kib "$pid" VmPTE)")"
}
mib_of() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

for ((round = FIRST; round < FIRST + ROUNDS; round++)); do
  log "rounds $LABEL: round $round, three new processes"
  record pair_idle_pct "$LABEL" "$round" "$(host_idle_pct)"
  start_all "$round"
  warm_up "$round"
  # The figure first in every other round, so neither pair is always the one measured right after the warm-up.
  for k in $((round / 2 % 2)) $((1 - round / 2 % 2)); do
    if ((k == 0)); then
      pair "$round" "" 0 1
    elif ((round % 2)); then
      pair "$round" -aa-m 1 2
    else
      pair "$round" -aa-e 0 2
    fi
  done
  memory "$round"
  stop_all
  log "rounds $LABEL: round $round took $SECONDS s since the start"
done

# The figures over every round recorded so far under LABEL: median (min–max, count) per pair.
awk -F'\t' -v label="$LABEL" "$AWK_MEDIAN"'
  function spread(list,   a, k, i, lo, hi) {
    k = split(list, a, " "); lo = hi = a[1]
    for (i = 2; i <= k; i++) { if (a[i] + 0 < lo + 0) lo = a[i]; if (a[i] + 0 > hi + 0) hi = a[i] }
    return sprintf("%s (%s–%s, %d)", med(list), lo, hi, k)
  }
  ($2 == label || index($2, label "-") == 1) && ($1 ~ /^pair_rate_(cpu_ratio|ref_cpu_us|cpu_us|reads|ref_reads|faults|ref_faults|rps_ratio|p99_ratio)$/ || $1 ~ /^rounds_/) {
    key = $2 "\t" $1; v[key] = v[key] " " $4; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
  }
  END { for (i = 1; i <= n; i++) { split(order[i], p, "\t"); printf "%-16s %-24s %s\n", p[1], p[2], spread(v[order[i]]) } }
' "$RAW" | tee "$OUT/summary.txt" >&2
