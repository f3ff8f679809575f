#!/usr/bin/env bash
# Runs every Dockyard test on a fresh Debian machine with the .NET SDK: installs what is missing, starts the
# services the tests need on 127.0.0.1 (state under .state/), runs the whole solution's tests, stops the services.
set -euo pipefail
cd "$(dirname "$0")"
export DOCKYARD_STATE="${DOCKYARD_STATE:-$PWD/.state}"
# As strict as CI unless a developer opts out: a test whose tool or service is missing fails instead of passing.
# DOCKYARD_TESTS_LENIENT=1 lets such a test return early with a "SKIPPED:" line on stderr instead.
if [ "${DOCKYARD_TESTS_LENIENT:-0}" != 1 ]; then
  export CI=true
fi
mkdir -p "$DOCKYARD_STATE"

infra/scripts/install-test-deps.sh

cleanup() {
  infra/scripts/docker-engine.sh stop || true
  infra/scripts/ldap-server.sh stop || true
  infra/scripts/azurite.sh stop || true
  infra/scripts/ceph-cluster.sh stop || true
  infra/scripts/redis.sh stop || true
  infra/scripts/mariadb.sh stop || true
}
trap cleanup EXIT
infra/scripts/docker-engine.sh start
export DOCKYARD_TEST_DOCKER_HOST="unix://$DOCKYARD_STATE/docker/docker.sock"
infra/scripts/ldap-server.sh start
DOCKYARD_TEST_LDAP_URL="$(cat "$DOCKYARD_STATE/ldap/url")"
DOCKYARD_TEST_LDAPS_URL="$(cat "$DOCKYARD_STATE/ldap/ldaps-url")"
export DOCKYARD_TEST_LDAP_URL DOCKYARD_TEST_LDAPS_URL DOCKYARD_TEST_LDAP_BASE="ou=people,dc=dockyard,dc=test"
infra/scripts/azurite.sh start
azure_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export DOCKYARD_TEST_AZURE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$azure_key;\
BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT:-10000}/devstoreaccount1;\
QueueEndpoint=http://127.0.0.1:${AZURITE_QUEUE_PORT:-10001}/devstoreaccount1;\
TableEndpoint=http://127.0.0.1:${AZURITE_TABLE_PORT:-10002}/devstoreaccount1;"

# The real Azure Functions host (Dockyard.FunctionsHost.Tests); a clone without ../shared/functions-host skips only those.
if [ -z "${DOCKYARD_TEST_FUNCTIONS_HOST:-}" ] && [ -d ../shared/functions-host ]; then
  DOCKYARD_TEST_FUNCTIONS_HOST="$(cd ../shared/functions-host && pwd)"
  export DOCKYARD_TEST_FUNCTIONS_HOST
fi

infra/scripts/ceph-cluster.sh start
export DOCKYARD_TEST_CEPH_CONF="$DOCKYARD_STATE/ceph/ceph.conf" DOCKYARD_TEST_CEPH_POOL=dockyard
infra/scripts/redis.sh start
DOCKYARD_TEST_REDIS="$(cat "$DOCKYARD_STATE/redis/address")"
export DOCKYARD_TEST_REDIS
infra/scripts/mariadb.sh start
DOCKYARD_TEST_MYSQL="$(cat "$DOCKYARD_STATE/mariadb/connection")"
export DOCKYARD_TEST_MYSQL

dotnet build Dockyard.Functions.sln -c Release
# One test project at a time: the Ceph fault test restarts the shared OSD and the Azurite fault test stops an
# emulator, which must not happen under another project's tests (the Redis outage test stops the shared redis-server likewise).
dotnet test Dockyard.Functions.sln -c Release --no-build -m:1 "$@"
