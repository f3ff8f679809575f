#!/usr/bin/env bash
# Two running registries measured side by side: the one way found to compare them under the same machine state.
#
#   bench/lib/scale_pair.sh RAW LABEL REF_PORT REF_PID REF_REPOSITORIES PORT PID REPOSITORIES
#
# Why: on this shared 2-core VM the same server's req/s moves by ±20 % from one quiet 10-20 s run to the next, so
# runs taking turns cannot decide "within 20 % of the empty registry". Here both servers (REF, the empty registry,
# and the one measured) are loaded AT THE SAME TIME by one wrk each (-t1, equal connections, same duration, started
# together, the first started alternating per round), unpinned: the scheduler shares the two cores between the two
# server+wrk pairs, so whatever slows the machine during a round slows both, and each round gives one ratio.
# A round is one run at saturation (req/s and p99, as the issue asks, at PAIR_CONNECTIONS per server) and, when
# PAIR_RATE > 0, one run at a fixed rate of PAIR_RATE req/s per server (p99 compared at equal load, not as queueing).
# CPU per GET comes from each server's /proc/PID/stat (utime + stime) and each wrk's /usr/bin/time, so a ratio
# can be checked against the CPU each pair got (pair_cpu_share: a share far from 1 would mean an unfair split).
#
# Appends raw.tsv rows (metric, LABEL, round, value) to RAW, ratios always measured ÷ reference:
#   pair_rps_ratio, pair_p99_ratio                 at saturation (and pair_ref_rps / pair_rps, _p99_ms each)
#   pair_cpu_ratio                                 server CPU per GET (pair_ref_cpu_us / pair_cpu_us)
#   pair_total_cpu_ratio                           server + its wrk CPU per GET: the saturated req/s ratio's inverse
#                                                  on a machine of fixed speed, independent of how the cores were split
#   pair_cpu_share                                 server + wrk CPU-s, measured ÷ reference
#   pair_rate_p99_ratio, pair_rate_cpu_ratio       at PAIR_RATE (and pair_rate_rps_ratio, pair_rate_ref_ / pair_rate_
#                                                  p99_ms, cpu_us, rps)
#   pair_[rate_][ref_]reads, _faults               per GET, counts that do not drift with the process or the machine:
#                                                  read system calls (/proc/PID/io syscr: SQLite's preads; sockets are
#                                                  received with recv, not counted) and minor page faults (/proc/PID/stat)
#   pair_idle_pct                                  the host's idle % in the second before the round
#
# Environment: PAIR_ROUNDS [8] PAIR_SECONDS [10] PAIR_RATE [4000] PAIR_CONNECTIONS [64] PAIR_WARMUP [0] PAIR_SATURATED [1]
# (0: the fixed-rate run only) PAIR_IDLE [1] (0: the caller samples the host's idle % itself)
# (PAIR_WARMUP seconds of side-by-side load first, not recorded) PAIR_FIRST_ROUND [1] (to interleave several pairs
# round by round, one call per pair and round). RESULTS [a temporary folder] keeps wrk's output.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
# shellcheck source=bench/lib/common.sh
source "$REPO/bench/lib/common.sh"

(($# == 8)) || die "usage: bench/lib/scale_pair.sh RAW LABEL REF_PORT REF_PID REF_REPOSITORIES PORT PID REPOSITORIES"
RAW=$1 LABEL=$2
PORTS=("$3" "$6") PIDS=("$4" "$7") REPOSITORIES=("$5" "$8") # index 0: the reference, 1: the measured server
ROUNDS=${PAIR_ROUNDS:-8} SECONDS_EACH=${PAIR_SECONDS:-10} RATE=${PAIR_RATE:-4000} CONNECTIONS=${PAIR_CONNECTIONS:-64}
RESULTS=${RESULTS:-$(mktemp -d)}
OUT=$RESULTS/pair-$LABEL
mkdir -p "$OUT"
open_nap "$OUT"
for tool in wrk /usr/bin/time; do command -v "$tool" > /dev/null || die "$tool not found (apt-get install wrk time)"; done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (a > 0) ? b / a : 0 }'; }
per_get() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.2f", (n > 0) ? c / n : 0 }'; }
us_per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", (n > 0) ? s * 1e6 / n : 0 }'; }

load() { # NAME PORT REPOSITORIES DURATION [RATE]: one wrk, its output in $OUT/NAME.txt, its CPU-s in NAME.cpu
  local extra=()
  [[ -z ${5:-} ]] || extra=("$5" "$CONNECTIONS")
  /usr/bin/time -f '%U %S' -o "$OUT/$1.cpu" wrk -t1 -c"$CONNECTIONS" -d"$4s" --latency -s bench/lib/scale_wrk.lua \
    "http://127.0.0.1:$2" -- manifest "$3" "${extra[@]}" > "$OUT/$1.txt" 2>&1
}

side_by_side() { # ROUND KIND DURATION [RATE]: both servers loaded together; sets the globals below per side (0 = ref)
  local round=$1 name=$2 pids=() i cpu0=() cpu1=() reads0=() faults0=()
  for i in 0 1; do
    cpu0[i]=$(proc_cpu_s "${PIDS[i]}") reads0[i]=$(proc_reads "${PIDS[i]}") faults0[i]=$(proc_minflt "${PIDS[i]}")
  done
  # Alternate which wrk starts first; both start within a millisecond and run for the same time.
  for i in $((round % 2)) $((1 - round % 2)); do
    load "$name-r$round-$i" "${PORTS[i]}" "${REPOSITORIES[i]}" "$3" "${4:-}" &
    pids[i]=$!
  done
  wait "${pids[0]}" || die "wrk on the reference failed; see $OUT/$name-r$round-0.txt"
  wait "${pids[1]}" || die "wrk on the measured server failed; see $OUT/$name-r$round-1.txt"
  for i in 0 1; do
    cpu1[i]=$(proc_cpu_s "${PIDS[i]}")
    READS[i]=$(($(proc_reads "${PIDS[i]}") - reads0[i])) FAULTS[i]=$(($(proc_minflt "${PIDS[i]}") - faults0[i]))
    local f=$OUT/$name-r$round-$i
    read -r RPS[i] P99[i] BAD[i] < <(wrk_figures "$f.txt")
    REQUESTS[i]=$(awk '/ requests in / { print $1 }' "$f.txt")
    SERVER_CPU[i]=$(cpu_between "${cpu0[i]}" "${cpu1[i]}")
    CLIENT_CPU[i]=$(awk '{ printf "%.2f", $1 + $2 }' "$f.cpu")
    ((BAD[i] == 0)) || log "  WARNING: $LABEL round $round $name side $i: ${BAD[i]} non-2xx responses"
  done
}

RPS=() P99=() BAD=() REQUESTS=() SERVER_CPU=() CLIENT_CPU=() READS=() FAULTS=()
if ((${PAIR_WARMUP:-0} > 0)); then
  side_by_side 0 warmup "$PAIR_WARMUP"
fi
# record_side_by_side PREFIX ROUND: req/s, p99 and server CPU per GET of both sides and their ratios
record_side_by_side() {
  local ref_us us
  record "$1ref_rps" "$LABEL" "$2" "${RPS[0]}"
  record "$1rps" "$LABEL" "$2" "${RPS[1]}"
  record "$1rps_ratio" "$LABEL" "$2" "$(ratio "${RPS[0]}" "${RPS[1]}")"
  record "$1ref_p99_ms" "$LABEL" "$2" "${P99[0]}"
  record "$1p99_ms" "$LABEL" "$2" "${P99[1]}"
  record "$1p99_ratio" "$LABEL" "$2" "$(ratio "${P99[0]}" "${P99[1]}")"
  ref_us=$(us_per "${SERVER_CPU[0]}" "${REQUESTS[0]}") us=$(us_per "${SERVER_CPU[1]}" "${REQUESTS[1]}")
  record "$1ref_cpu_us" "$LABEL" "$2" "$ref_us"
  record "$1cpu_us" "$LABEL" "$2" "$us"
  record "$1cpu_ratio" "$LABEL" "$2" "$(ratio "$ref_us" "$us")"
  record "$1ref_reads" "$LABEL" "$2" "$(per_get "${READS[0]}" "${REQUESTS[0]}")"
  record "$1reads" "$LABEL" "$2" "$(per_get "${READS[1]}" "${REQUESTS[1]}")"
  record "$1ref_faults" "$LABEL" "$2" "$(per_get "${FAULTS[0]}" "${REQUESTS[0]}")"
  record "$1faults" "$LABEL" "$2" "$(per_get "${FAULTS[1]}" "${REQUESTS[1]}")"
}

FIRST=${PAIR_FIRST_ROUND:-1}
for ((round = FIRST; round < FIRST + ROUNDS; round++)); do
  ((${PAIR_IDLE:-1} == 0)) || record pair_idle_pct "$LABEL" "$round" "$(host_idle_pct)"
  if ((${PAIR_SATURATED:-1})); then
    side_by_side "$round" load "$SECONDS_EACH"
    record_side_by_side pair_ "$round"
    ref_total=$(awk -v a="${SERVER_CPU[0]}" -v b="${CLIENT_CPU[0]}" 'BEGIN { print a + b }')
    total=$(awk -v a="${SERVER_CPU[1]}" -v b="${CLIENT_CPU[1]}" 'BEGIN { print a + b }')
    record pair_total_cpu_ratio "$LABEL" "$round" "$(ratio "$(us_per "$ref_total" "${REQUESTS[0]}")" "$(us_per "$total" "${REQUESTS[1]}")")"
    record pair_cpu_share "$LABEL" "$round" "$(ratio "$ref_total" "$total")"
  fi
  if ((RATE > 0)); then
    side_by_side "$round" rate "$SECONDS_EACH" "$RATE"
    record_side_by_side pair_rate_ "$round"
  fi
done
