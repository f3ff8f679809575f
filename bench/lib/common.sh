#!/usr/bin/env bash
# Helpers shared by bench/run.sh and bench/scale.sh (sourced). The caller sets RESULTS and RAW (raw.tsv).

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
# record METRIC SERVER|SIZE RUN VALUE: one row of raw.tsv
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RAW"; log "  $1 $2 run$3 = $4"; }
# A sleep that forks nothing: a read with a timeout on a FIFO nobody writes to.
open_nap() { # FOLDER: call once before the first nap
  mkfifo "$1/.sleepfifo" 2> /dev/null || true
  exec 9<> "$1/.sleepfifo"
}
nap() { read -r -t "$1" -u 9 || true; }

# True when GET /v2/ on 127.0.0.1:$1 answers 200. Pure bash (/dev/tcp), so polling costs no fork.
probe() {
  local line
  { exec 3<> "/dev/tcp/127.0.0.1/$1"; } 2> /dev/null || return 1
  printf 'GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 2> /dev/null || { exec 3>&-; return 1; }
  read -r -t 5 line <&3 || line=
  exec 3>&-
  [[ $line == "HTTP/1."?" 200"* ]]
}

wait_ready() { # PORT PID
  local i
  for ((i = 0; i < 3000; i++)); do
    probe "$1" && return 0
    kill -0 "$2" 2> /dev/null || die "server on port $1 exited; see its server.log"
    nap 0.01
  done
  die "server on port $1 not ready after 30 s"
}

# Other work on the machine (builds, tests) skews every figure on 2 cores. Before each measured block, wait (bounded)
# until the host is mostly idle, and record how idle it was so a noisy figure can be recognised afterwards.
QUIET_IDLE=${QUIET_IDLE:-80}   # percent idle over one second counted as quiet
QUIET_MAX=${QUIET_MAX:-60}     # seconds to wait at most per block
QUIET_BUDGET=${QUIET_BUDGET:-420}  # seconds to wait at most over the whole run
QUIET_SPENT=0
host_idle_pct() {
  local a b
  read -r -a a < /proc/stat
  nap 1
  read -r -a b < /proc/stat
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
    split(a, x, " "); split(b, y, " "); t = 0
    for (i = 2; i <= 9; i++) t += y[i] - x[i]
    idle = (y[5] - x[5]) + (y[6] - x[6])
    printf "%d", (t > 0) ? 100 * idle / t : 100 }'
}
wait_quiet() { # SERVER RUN LABEL
  local idle start=$SECONDS
  while idle=$(host_idle_pct); ((idle < QUIET_IDLE && SECONDS - start < QUIET_MAX && QUIET_SPENT + SECONDS - start < QUIET_BUDGET)); do
    { echo "--- $(date -u +%T) $3 $1 run$2: host idle ${idle}% (< ${QUIET_IDLE}%), waiting"; ps -eo pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-160; } >> "$RESULTS/noise.log"
  done
  QUIET_SPENT=$((QUIET_SPENT + SECONDS - start))
  record "idle_pct_before_$3" "$1" "$2" "$idle"
}

proc_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }           # PID VmHWM|VmRSS
proc_cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }      # utime+stime, CLK_TCK=100
proc_reads() { awk '$1 == "syscr:" { print $2 }' "/proc/$1/io"; }              # read system calls so far
proc_minflt() { awk '{ print $10 }' "/proc/$1/stat"; }                          # minor page faults so far
cpu_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; } # CPU-s between two proc_cpu_s readings

# wrk_figures FILE: prints "req/s p99_ms non2xx" from wrk --latency output.
wrk_figures() {
  local rps p99 bad
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1")
  p99=$(awk '$1 == "99%" {
      v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1
      printf "%.2f", v * f }' "$1")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$1")
  echo "${rps:-0} ${p99:-NaN} ${bad:-0}"
}

# ---------------------------------------------------------------------------------------------------- build
DOCKYARD_BIN=""  # set by build_dockyard
DOCKYARD_PLAIN_BIN=$REPO/registry/Dockyard.Server/bin/Release/net10.0/dockyard
# Sets DOCKYARD_BIN: with BUILD=1 a plain Release build and a ReadyToRun publish into $SCRATCH/dockyard-r2r.
build_dockyard() {
  if ((BUILD)); then
    log "building Dockyard (plain Release build)"
    dotnet build registry/Dockyard.Server -c Release -nologo -v q > "$RESULTS/build.log" 2>&1 || die "dotnet build failed; see $RESULTS/build.log"
    log "publishing Dockyard ReadyToRun (linux-x64, framework-dependent)"
    rm -rf "$SCRATCH/dockyard-r2r"
    if dotnet publish registry/Dockyard.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      -o "$SCRATCH/dockyard-r2r" -nologo -v q > "$RESULTS/publish.log" 2>&1; then
      echo "readytorun" > "$RESULTS/dockyard-build.txt"
    else
      log "ReadyToRun publish failed (see publish.log); falling back to the plain build"
      echo "plain (ReadyToRun publish failed)" > "$RESULTS/dockyard-build.txt"
    fi
  fi
  if [[ -x $SCRATCH/dockyard-r2r/dockyard ]]; then
    DOCKYARD_BIN=$SCRATCH/dockyard-r2r/dockyard
    [[ -s $RESULTS/dockyard-build.txt ]] || echo "readytorun (reused from an earlier BUILD=1 run)" > "$RESULTS/dockyard-build.txt"
  else
    DOCKYARD_BIN=$DOCKYARD_PLAIN_BIN
    echo "plain" > "$RESULTS/dockyard-build.txt"
  fi
  [[ -x $DOCKYARD_BIN ]] || die "no Dockyard binary at $DOCKYARD_BIN"
  log "Dockyard binary: $DOCKYARD_BIN"
}


# An awk function for summaries of raw.tsv: med(list) is the median of the space-separated numbers in list.
# Use: awk -F'\t' "$AWK_MEDIAN"'<the summary program>' raw.tsv
# shellcheck disable=SC2034
AWK_MEDIAN='
function med(list,   a, k, i, j, t) {
  k = split(list, a, " ")
  for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}'
