# Sourced by bench/run.sh: the docker block. docker push and docker pull of the BIG_MIB image against every server,
# through a private docker engine (infra/scripts/docker-engine.sh: vfs storage, a unix socket only, no network of its
# own) whose state lives under $BENCH_DOCKER_STATE/docker [$SCRATCH/state/docker].
#
# The engine is started unless it already runs there, and then stopped at the end (with its images, unless
# KEEP_SCRATCH=1). Starting it beforehand (DOCKYARD_STATE=<that folder> infra/scripts/docker-engine.sh start) keeps its
# start and stop out of a measurement lock; run.sh leaves such an engine running and only removes its own images.
# dockerd trusts 127.0.0.0/8 as an insecure registry by default, so it pushes to and pulls from the servers over HTTP.
#
# Once per run the big OCI layout is loaded into the engine (skopeo copy oci:… docker-daemon:…) as $DOCKER_IMAGE. Then
# per repetition and server, in the repetition's order:
#   docker push 127.0.0.1:PORT/bench/docker-rRUN:latest   dockerd gzips the layer itself while it uploads it (Go's
#       compress/gzip on one core), then PUTs the config and the manifest; timed wall-clock;
#   docker rmi of every tag of the image, so that the image and its layer are deleted from the engine;
#   docker pull of the same reference: download, digest check, gunzip and unpack into the engine's vfs storage (the
#       same work for every server); a pull that reports "Already exists" is refused;
#   the pulled image is tagged $DOCKER_IMAGE again for the next server.
# Metrics: docker_push_MBps and docker_pull_MBps (layer bytes, uncompressed, as the other figures; random data, so the
# gzip stream is as large), docker_{push,pull}_s, docker_{push,pull}_server_cpu_s and docker_{push,pull}_dockerd_cpu_s
# (dockerd's utime+stime over the operation).

BENCH_DOCKER_STATE=${BENCH_DOCKER_STATE:-$SCRATCH/state}
DOCKER_SOCKET=$BENCH_DOCKER_STATE/docker/docker.sock
DOCKER_IMAGE=bench/docker-src:latest
# Debian's client speaks the API of Debian's dockerd (1.41); a newer client elsewhere on PATH must be told so.
DOCKER_CLI=(env DOCKER_API_VERSION=1.41 "$(if [[ -x /usr/bin/docker ]]; then echo /usr/bin/docker; else command -v docker || echo docker; fi)" -H "unix://$DOCKER_SOCKET")
DOCKER_STARTED=0
DOCKER_IMAGE_ID=""

docker_engine() { DOCKYARD_STATE=$BENCH_DOCKER_STATE "$REPO/infra/scripts/docker-engine.sh" "$1" >> "$RESULTS/docker.log" 2>&1; }
dockerd_cpu_s() { proc_cpu_s "$(cat "$BENCH_DOCKER_STATE/docker/dockerd.pid")"; }

# Removes the images this block made (the source tag and every 127.0.0.1:PORT/bench/… tag).
docker_remove_images() {
  local refs
  mapfile -t refs < <("${DOCKER_CLI[@]}" images --format '{{.Repository}}:{{.Tag}}' | grep -E '^(bench/docker-src|127\.0\.0\.1:[0-9]+/bench/)' || true)
  ((${#refs[@]} == 0)) || "${DOCKER_CLI[@]}" rmi -f "${refs[@]}" >> "$RESULTS/docker.log" 2>&1 || true
}

# Starts the engine if needed and loads the big image into it.
docker_prepare() {
  if "${DOCKER_CLI[@]}" info > /dev/null 2>&1; then
    log "docker engine already running on $DOCKER_SOCKET: using it"
  else
    log "starting a private docker engine on $DOCKER_SOCKET"
    DOCKER_STARTED=1
    docker_engine start || die "the docker engine did not start; see $RESULTS/docker.log"
  fi
  echo "docker: $("${DOCKER_CLI[@]}" version --format 'client {{.Client.Version}}, engine {{.Server.Version}}, storage vfs')" >> "$RESULTS/machine.txt"
  docker_remove_images
  log "loading the ${BIG_MIB} MiB image into the docker engine"
  forget_blob_locations
  "${SKOPEO[@]}" --dest-daemon-host "unix://$DOCKER_SOCKET" "oci:$SCRATCH/layouts/big:latest" "docker-daemon:$DOCKER_IMAGE" \
    >> "$RESULTS/docker.log" 2>&1 || die "loading the image into the docker engine failed; see $RESULTS/docker.log"
  DOCKER_IMAGE_ID=$("${DOCKER_CLI[@]}" image inspect -f '{{.Id}}' "$DOCKER_IMAGE")
}

# docker_timed OUTFILE ARGS...: runs the docker client, its output appended to OUTFILE; prints the wall seconds.
docker_timed() {
  local out=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  "${DOCKER_CLI[@]}" "$@" >> "$out" 2>&1 || die "docker $* failed; see $out"
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

# docker_block RUN: push, delete, pull per server (order: one_run's).
docker_block() {
  local run=$1 name pid ref secs c0 c1 d0 d1 big_bytes out
  big_bytes=$(jq '.layers[0].size' "$SCRATCH/layouts/big/blobs/sha256/$(cut -d: -f2 < "$SCRATCH/layouts/big/manifest.digest")")
  for name in "${order[@]}"; do
    pid=${PIDS[$name]} ref=127.0.0.1:${PORT[$name]}/bench/docker-r$run:latest
    out=$RESULTS/docker-$name-run$run.txt
    log " $name: docker push and pull of the ${BIG_MIB} MiB image"
    "${DOCKER_CLI[@]}" tag "$DOCKER_IMAGE" "$ref"
    sync
    wait_quiet "$name" "$run" docker_push
    c0=$(proc_cpu_s "$pid") d0=$(dockerd_cpu_s)
    secs=$(docker_timed "$out" push "$ref")
    c1=$(proc_cpu_s "$pid") d1=$(dockerd_cpu_s)
    record docker_push_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    record docker_push_s "$name" "$run" "$secs"
    record docker_push_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    record docker_push_dockerd_cpu_s "$name" "$run" "$(cpu_between "$d0" "$d1")"

    # Every tag removed: the engine deletes the image and its layer, so the pull downloads and unpacks it again.
    "${DOCKER_CLI[@]}" rmi "$ref" "$DOCKER_IMAGE" >> "$out" 2>&1
    ! "${DOCKER_CLI[@]}" image inspect "$DOCKER_IMAGE_ID" > /dev/null 2>&1 || die "image $DOCKER_IMAGE_ID still in the engine; see $out"
    sync
    wait_quiet "$name" "$run" docker_pull
    c0=$(proc_cpu_s "$pid") d0=$(dockerd_cpu_s)
    secs=$(docker_timed "$out" pull "$ref")
    c1=$(proc_cpu_s "$pid") d1=$(dockerd_cpu_s)
    grep -q 'Pull complete' "$out" && ! grep -q 'Already exists' "$out" || die "the pull from $name did not fetch the layer; see $out"
    [[ $("${DOCKER_CLI[@]}" image inspect -f '{{.Id}}' "$ref") == "$DOCKER_IMAGE_ID" ]] || die "the pull from $name gave another image; see $out"
    record docker_pull_MBps "$name" "$run" "$(awk -v b="$big_bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    record docker_pull_s "$name" "$run" "$secs"
    record docker_pull_server_cpu_s "$name" "$run" "$(cpu_between "$c0" "$c1")"
    record docker_pull_dockerd_cpu_s "$name" "$run" "$(cpu_between "$d0" "$d1")"
    "${DOCKER_CLI[@]}" tag "$ref" "$DOCKER_IMAGE"
    "${DOCKER_CLI[@]}" rmi "$ref" >> "$out" 2>&1
  done
}

# Called by run.sh's cleanup: removes this block's images, stops the engine if this run started it.
docker_finish() {
  [[ -S $DOCKER_SOCKET ]] || return 0
  if ((DOCKER_STARTED)); then
    docker_engine stop || true
    [[ ${KEEP_SCRATCH:-0} == 1 ]] || rm -rf "$BENCH_DOCKER_STATE/docker"
  elif [[ -n $DOCKER_IMAGE_ID ]]; then
    docker_remove_images
  fi
}
