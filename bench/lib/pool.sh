#!/usr/bin/env bash
# Pools the figures of one or more bench/run.sh result folders and prints the Markdown table of bench/lib/table.awk.
#   pool.sh [-q MIN_IDLE] RESULT_DIR...
# With -q, a sample counts only when the host was at least MIN_IDLE % idle just before its block
# (the idle_pct_before_<block> record of the same server and repetition), so figures taken while other work
# ran on the machine are left out. Every result folder's repetitions are kept apart (folder + run), so per-run ratios
# pair only samples of one repetition. Folders from before Distribution 3.0 was measured call 2.8.2 "distribution".
set -euo pipefail
min_idle=-1
if [[ ${1:-} == -q ]]; then
  min_idle=$2
  shift 2
fi
(($# > 0)) || { echo "usage: $0 [-q MIN_IDLE] RESULT_DIR..." >&2; exit 2; }
for dir in "$@"; do
  awk -F'\t' -v d="$dir" 'NR > 1 { print $1 "\t" ($2 == "distribution" ? "distribution2" : $2) "\t" d ":" $3 "\t" $4 }' "$dir/raw.tsv"
done | awk -F'\t' -v min="$min_idle" '
  function block(m) {
    if (m ~ /^big_push/) return "big_push"
    if (m ~ /^big_pull/) return "big_pull"
    if (m ~ /^blob_get/) return "blob_get"
    if (m ~ /^raw_push/) return "raw_push"
    if (m ~ /^many_push/ || m ~ /^layer_/) return "many_push"
    if (m ~ /^parallel_push/) return "parallel_push"
    if (m ~ /^docker_push/) return "docker_push"
    if (m ~ /^docker_pull/) return "docker_pull"
    if (m ~ /^manifest_get/) return "manifest_get"
    if (m ~ /^manifest_head/) return "manifest_head"
    if (m ~ /^v2_get/) return "v2_get"
    if (m ~ /^tags_get/) return "tags_get"
    if (m ~ /^cold_start/) return "cold_start"
    return ""
  }
  $1 ~ /^idle_pct_before_/ { idle[substr($1, 17), $2, $3] = $4; next }
  { rows[++n] = $0; b[n] = block($1); key[n] = $2 SUBSEP $3 }
  END {
    for (i = 1; i <= n; i++)
      if (b[i] == "" || min < 0 || !((b[i], key[i]) in idle) || idle[b[i], key[i]] + 0 >= min) print rows[i]
  }' | awk -v servers="dockyard distribution3 distribution2" -f "$(dirname "$0")/table.awk"
