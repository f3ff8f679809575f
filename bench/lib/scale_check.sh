#!/usr/bin/env bash
# Checks the scale generator's fast path against the stores: fills one folder through the stores and Core's
# ManifestService (as pushes would), one with the direct SQLite/file writer, and diffs them row by row (times
# masked) and file by file (path, mode, size, content), then reads the direct one back through the stores.
#
#   bench/lib/scale_check.sh [N=1000] [GENERATOR=bench/Dockyard.Bench.Scale/bin/Release/net10.0/dockyard-scale]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
GEN=${2:-bench/Dockyard.Bench.Scale/bin/Release/net10.0/dockyard-scale}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$GEN" generate "$WORK/stores" "$N" --stores
"$GEN" generate "$WORK/direct" "$N"

# Every table's rows in primary-key order, with ISO times masked (they are "now" in each run).
dump() {
  sqlite3 "$1/metadata.db" '.dump' | grep '^INSERT' \
    | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+\+00:00/TIME/g' | sort
}
# Published blobs; the stores' uploads/ folder must be left empty as well.
tree() { (cd "$1" && find blobs uploads -printf '%p %y %m %s\n' | sort && find blobs -type f -print0 | sort -z | xargs -0 -r cat | sha256sum); }

diff <(dump "$WORK/stores") <(dump "$WORK/direct") > "$WORK/rows.diff" || { head -20 "$WORK/rows.diff"; echo "rows differ" >&2; exit 1; }
diff <(tree "$WORK/stores") <(tree "$WORK/direct") > "$WORK/files.diff" || { head -20 "$WORK/files.diff"; echo "files differ" >&2; exit 1; }
echo "rows: $(dump "$WORK/direct" | wc -l) identical; files: $(find "$WORK/direct/blobs" -type f | wc -l) identical"
"$GEN" check "$WORK/direct" "$N"
