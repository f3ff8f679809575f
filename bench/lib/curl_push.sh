#!/usr/bin/env bash
# Pushes one blob with curl the way a lean client does: POST an upload, stream the file in one PATCH, PUT the digest.
#   curl_push.sh FILE DIGEST PORT REPO
# Prints the wall-clock seconds of the three requests. curl spends a fraction of a CPU-second per GiB, so on a small
# machine this shows the server's own push speed, which skopeo's ~2.7 CPU-s per GiB hides.
set -euo pipefail
file=$1 digest=$2 port=$3 repo=$4
base=http://127.0.0.1:$port
location() { # absolute or relative Location header -> absolute URL
  local value
  value=$(tr -d '\r' | awk -F': ' 'tolower($1) == "location" { print $2 }')
  [[ -n $value ]] || { echo "no Location header" >&2; exit 1; }
  [[ $value == http* ]] && echo "$value" || echo "$base$value"
}
t0=$EPOCHREALTIME
upload=$(curl -sf -D - -o /dev/null -X POST "$base/v2/$repo/blobs/uploads/" | location)
upload=$(curl -sf -D - -o /dev/null -X PATCH -H 'Content-Type: application/octet-stream' -T "$file" "$upload" | location)
[[ $upload == *\?* ]] && sep='&' || sep='?'
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$upload${sep}digest=$digest")
t1=$EPOCHREALTIME
[[ $code == 201 ]] || { echo "PUT answered $code" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
