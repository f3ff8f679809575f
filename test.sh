#!/usr/bin/env bash
# Runs every Dockyard test on a fresh Debian machine with the .NET SDK: installs what is missing, starts the
# services the tests need on 127.0.0.1 (state under .state/), runs the whole solution's tests, stops the services.
set -euo pipefail
cd "$(dirname "$0")"
export DOCKYARD_STATE="${DOCKYARD_STATE:-$PWD/.state}"
mkdir -p "$DOCKYARD_STATE"

infra/scripts/install-test-deps.sh

cleanup() { infra/scripts/docker-engine.sh stop || true; }
trap cleanup EXIT
infra/scripts/docker-engine.sh start
export DOCKYARD_TEST_DOCKER_HOST="unix://$DOCKYARD_STATE/docker/docker.sock"

dotnet test Dockyard.Functions.sln -c Release "$@"
