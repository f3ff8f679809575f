#!/usr/bin/env bash
# Pools the headline figures of one or more bench result folders and prints a Markdown table.
#   pool.sh [-q MIN_IDLE] RESULT_DIR...
# With -q, a sample counts only when the host was at least MIN_IDLE % idle just before its block
# (the idle_pct_before_<block> record of the same server and repetition), so figures taken while other work
# ran on the machine are left out. Every result folder's repetitions are kept apart (folder + run).
set -euo pipefail
min_idle=-1
if [[ ${1:-} == -q ]]; then
  min_idle=$2
  shift 2
fi
(($# > 0)) || { echo "usage: $0 [-q MIN_IDLE] RESULT_DIR..." >&2; exit 2; }
for dir in "$@"; do
  awk -F'\t' -v d="$dir" 'NR > 1 { print d "\t" $0 }' "$dir/raw.tsv"
done | awk -F'\t' -v min="$min_idle" '
  function block(m) {
    if (m ~ /^big_push/) return "big_push"
    if (m ~ /^big_pull/) return "big_pull"
    if (m ~ /^blob_get/) return "blob_get"
    if (m ~ /^many_push/) return "many_push"
    if (m ~ /^manifest_get/) return "manifest_get"
    if (m ~ /^v2_get/) return "v2_get"
    if (m ~ /^tags_get/) return "tags_get"
    if (m ~ /^cold_start/) return "cold_start"
    return ""
  }
  { dir = $1; metric = $2; server = $3; run = $4; value = $5
    if (metric ~ /^idle_pct_before_/) { idle[dir, substr(metric, 17), server, run] = value; next }
    rows[++n] = dir SUBSEP metric SUBSEP server SUBSEP run SUBSEP value }
  function median(list,   a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    lo = a[1]; hi = a[k]; cnt = k
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    for (i = 1; i <= n; i++) {
      split(rows[i], r, SUBSEP)
      b = block(r[2])
      if (b != "" && min >= 0 && ((r[1], b, r[3], r[4]) in idle) && idle[r[1], b, r[3], r[4]] + 0 < min) continue
      v[r[2], r[3]] = v[r[2], r[3]] " " r[5]
    }
    nk = split("big_push_MBps big_pull_MBps many_push_layers_per_s blob_get_MBps manifest_get_rps manifest_get_p99_ms v2_get_rps v2_get_p99_ms tags_get_rps tags_get_p99_ms hwm_after_mid_push_mib hwm_after_big_push_mib hwm_end_of_run_mib cold_start_ms big_push_server_cpu_s big_push_skopeo_cpu_s big_pull_server_cpu_s big_pull_skopeo_cpu_s blob_get_server_cpu_s many_push_server_cpu_s many_push_skopeo_cpu_s", keys, " ")
    print "| figure | Dockyard median (min–max, n) | Distribution median (min–max, n) | Dockyard / Distribution |"
    print "| --- | ---: | ---: | ---: |"
    for (i = 1; i <= nk; i++) {
      k = keys[i]
      for (s = 1; s <= 3; s++) {
        server = (s == 1) ? "dockyard" : (s == 2) ? "distribution" : "dockyard_plain"
        if ((k, server) in v) { m[server] = median(v[k, server]); c[server] = sprintf("%s (%s–%s, %d)", m[server], lo, hi, cnt) }
        else { m[server] = ""; c[server] = "–" }
      }
      ratio = (m["dockyard"] != "" && m["distribution"] + 0 != 0) ? sprintf("%.2f×", m["dockyard"] / m["distribution"]) : "–"
      print "| " k " | " c["dockyard"] " | " c["distribution"] " | " ratio " |"
      if (c["dockyard_plain"] != "–") print "| " k " (plain build, no ReadyToRun) | " c["dockyard_plain"] " | | |"
    }
  }'
