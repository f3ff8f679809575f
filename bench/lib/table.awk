# Summaries of raw.tsv rows (metric, server, run, value; a "metric" header line is skipped), for bench/run.sh,
# bench/lib/backends.sh and bench/lib/pool.sh:
#   awk -F'\t' -v servers="dockyard distribution3 distribution2" -f bench/lib/table.awk raw.tsv
# Variables:
#   servers  the columns, in order; the first is the subject of every ratio (its "<name>_plain" rows, e.g. the plain
#            build's cold start, get a row of their own). Columns without any value are left out.
#   only     a regular expression: only metrics matching it (default: all);  skip: leave out metrics matching it
#   tsv      1 = print "metric server median min max n" lines (sorted by metric, server) instead of the Markdown table
# The Markdown table has one cell per server, "median (min–max, n)", then for every Distribution column the ratio
# subject / Distribution of the medians, with the min–max of the per-run ratios (same run value on both sides) when
# there are two or more (none for the idle % and the error counts). Headline metrics come first, the rest in the order
# they first appear.
BEGIN {
  FS = "\t"
  nk = split("big_push_MBps raw_push_MBps docker_push_MBps big_pull_MBps docker_pull_MBps blob_get_MBps many_push_layers_per_s " \
    "parallel_push_layers_per_s layer_requests_ms " \
    "manifest_get_rps manifest_get_p99_ms manifest_head_rps manifest_head_p99_ms v2_get_rps v2_get_p99_ms tags_get_rps tags_get_p99_ms " \
    "hwm_after_big_push_mib cold_start_ms", keys, " ")
  for (i = 1; i <= nk; i++) listed[keys[i]] = 1
  label["dockyard"] = "Dockyard"; label["distribution3"] = "Distribution 3.0.0"; label["distribution2"] = "Distribution 2.8.2"
  label["dockyard_azure"] = "Dockyard Azure Blob + Tables"; label["dockyard_rados"] = "Dockyard RADOS + SQLite"
  short["distribution3"] = "3.0"; short["distribution2"] = "2.8.2"
}
$1 == "metric" || (only != "" && $1 !~ only) || (skip != "" && $1 ~ skip) { next }
{
  k = $1; s = $2
  vals[k, s] = vals[k, s] " " $4
  at[k, s, $3] = $4
  runs[k, s] = runs[k, s] " " $3
  present[s] = 1
  if (!(k in listed)) { listed[k] = 1; keys[++nk] = k }
  if (!(s in seen_server)) { seen_server[s] = 1; all_servers[++nserv] = s }
}
# stats(list): the median of the space-separated numbers; sets lo, hi and cnt.
function stats(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  lo = a[1]; hi = a[n]; cnt = n
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function cell(k, s,   m) {
  if (!((k, s) in vals)) return "–"
  m = stats(vals[k, s])
  return (cnt == 1) ? m : sprintf("%s (%s–%s, %d)", m, lo, hi, cnt)
}
function ratio(k, a, b,   r, n, i, list, rs) {
  if (k ~ /^idle_pct_before_|_errors$/) return ""
  if (!((k, a) in vals) || !((k, b) in vals) || stats(vals[k, b]) + 0 == 0) return "–"
  r = stats(vals[k, a]) / stats(vals[k, b])
  n = split(runs[k, a], rs, " ")
  list = ""
  for (i = 1; i <= n; i++) if ((k, b, rs[i]) in at && at[k, b, rs[i]] + 0 != 0) list = list " " at[k, a, rs[i]] / at[k, b, rs[i]]
  if (list != "") stats(list)
  return (list != "" && cnt > 1) ? sprintf("%.2f× (%.2f–%.2f)", r, lo, hi) : sprintf("%.2f×", r)
}
END {
  if (tsv) {
    for (i = 1; i <= nk; i++) for (j = 1; j <= nserv; j++)
      if ((keys[i], all_servers[j]) in vals) printf "%s\t%s\t%s\t%s\t%s\t%d\n", keys[i], all_servers[j], stats(vals[keys[i], all_servers[j]]), lo, hi, cnt | "sort -s -t'\t' -k1,1 -k2,2"
    exit
  }
  n = split(servers, col, " ")
  subject = col[1]
  line = "| figure | " ((subject in label) ? label[subject] : subject) " |"; rule = "| --- | ---: |"
  m = 0
  for (j = 2; j <= n; j++) if (col[j] in present) {
    peer[++m] = col[j]
    line = line " " ((col[j] in label) ? label[col[j]] : col[j]) " |"; rule = rule " ---: |"
  }
  np = m
  for (j = 1; j <= np; j++) if (peer[j] in short) { line = line " " label[subject] " / " short[peer[j]] " |"; rule = rule " ---: |" }
  print line; print rule
  for (i = 1; i <= nk; i++) {
    k = keys[i]
    for (v = 1; v <= 2; v++) {
      row = (v == 1) ? subject : subject "_plain"
      any = 0
      for (j = 1; j <= np; j++) if ((k, peer[j]) in vals) any = 1
      if (!((k, row) in vals) && (v == 2 || !any)) continue
      line = "| " k ((v == 2) ? " (plain build, no ReadyToRun)" : "") " | " cell(k, row) " |"
      for (j = 1; j <= np; j++) line = line " " ((v == 1) ? cell(k, peer[j]) : "") " |"
      for (j = 1; j <= np; j++) if (peer[j] in short) line = line " " ratio(k, row, peer[j]) " |"
      print line
    }
  }
}
