#!/usr/bin/env bash
# Builds an OCI image layout of random data without any container tooling.
#   mklayout.sh OUTDIR TAG NLAYERS LAYER_BYTES
# Each layer is an *uncompressed* tar (media type application/vnd.oci.image.layer.v1.tar) holding one file of
# LAYER_BYTES random bytes, so building and pushing never spends time in gzip. The config's diff_ids are therefore
# the layer digests themselves.
set -euo pipefail
out=$1 tag=$2 n=$3 bytes=$4
mkdir -p "$out/blobs/sha256"
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root"
: > "$work/layers.txt"
for ((i = 0; i < n; i++)); do
  head -c "$bytes" /dev/urandom > "$work/root/data-$i.bin"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$work/root" -cf "$work/layer.tar" "data-$i.bin"
  rm -f "$work/root/data-$i.bin"
  hex=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  size=$(stat -c %s "$work/layer.tar")
  mv "$work/layer.tar" "$out/blobs/sha256/$hex"
  printf 'sha256:%s %s\n' "$hex" "$size" >> "$work/layers.txt"
done

put_blob() { # FILE -> echoes "digest size", moves the file into blobs/
  local hex size
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$out/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

jq -Rn -c '[inputs | split(" ") | .[0]] | {architecture: "amd64", os: "linux", rootfs: {type: "layers", diff_ids: .}}' \
  < "$work/layers.txt" > "$work/config.json"
read -r cdigest csize < <(put_blob "$work/config.json")
jq -Rn -c --arg cd "$cdigest" --argjson cs "$csize" '
  {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
   config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
   layers: [inputs | split(" ") | {mediaType: "application/vnd.oci.image.layer.v1.tar", digest: .[0], size: (.[1] | tonumber)}]}' \
  < "$work/layers.txt" > "$work/manifest.json"
read -r mdigest msize < <(put_blob "$work/manifest.json")
printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
jq -n -c --arg md "$mdigest" --argjson ms "$msize" --arg tag "$tag" '
  {schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $md, size: $ms,
   annotations: {"org.opencontainers.image.ref.name": $tag}}]}' > "$out/index.json"
# For the caller: the first layer's digest and the manifest digest.
head -1 "$work/layers.txt" | cut -d' ' -f1 > "$out/first-layer.digest"
echo "$mdigest" > "$out/manifest.digest"
