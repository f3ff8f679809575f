#!/usr/bin/env bash
# Starts or stops a private single-node Ceph cluster for the RADOS tests, on 127.0.0.1 only, all state under
# $DOCKYARD_STATE/ceph (default ./.state/ceph): ceph.conf, keyrings, monitor and OSD data, logs, pid files.
# One monitor (no mgr), one OSD, cephx, replication size 1, the v1 messenger on a free port from 6789, and the pool
# `dockyard`. Clients use $state/ceph.conf (it names the client.admin keyring). Prints a line; exports nothing.
# The OSD is BlueStore on a sparse 8 GiB file rather than memstore: memstore loses its placement groups when the OSD
# restarts (the pool then hangs forever), and the transient-fault tests restart it.
# Usage: ceph-cluster.sh start|stop|stop-osd|start-osd
#   stop-osd / start-osd stop (SIGTERM, then SIGKILL after 30 s) and restart only the OSD, for those tests.
set -euo pipefail

state="${DOCKYARD_STATE:-$PWD/.state}/ceph"
conf="$state/ceph.conf"
pool="dockyard"

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port_from() {
  local port="$1"
  while ! port_free "$port"; do
    port=$((port + 1))
  done
  echo "$port"
}

running() {
  [ -f "$state/$1.pid" ] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null
}

fail() {
  echo "ceph: $1; logs in $state/log" >&2
  tail -n 20 "$state"/log/*.log >&2 2>/dev/null || true
  stop >/dev/null 2>&1 || true
  exit 1
}

# Runs "$@" until it succeeds or $1 seconds pass.
wait_for() {
  local seconds="$1"
  shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

write_config() {
  local port="$1" fsid="$2"
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$port
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon allow pool delete = true
osd crush chooseleaf type = 0
ms bind msgr2 = false
run dir = $state/run
admin socket = $state/run/\$name.asok
log file = $state/log/\$name.log
pid file = $state/\$name.pid
mon cluster log file = $state/log/cluster.log

[mon.a]
mon data = $state/mon
mon addr = v1:127.0.0.1:$port

[osd.0]
osd data = $state/osd
keyring = $state/osd/keyring
osd objectstore = bluestore
bluestore block path = $state/osd-block
bluestore block create = true
bluestore block size = 8589934592
bluestore cache size = 268435456
osd memory target = 939524096
osd max object size = 134217728

[client]
keyring = $state/client.admin.keyring
EOF
}

start_osd() {
  running osd || ceph-osd -c "$conf" -i 0 >>"$state/log/osd-stdout.log" 2>&1 || fail "ceph-osd failed to start"
  wait_for 60 sh -c "ceph -c '$conf' osd stat | grep -q '1 up'" || fail "the OSD did not come up within 60 s"
  # "up" is not "serving": the pool's placement groups peer after that (seconds on a loaded host). Wait until a read
  # of the pool answers, as start does, so a client's first operation after start-osd does not time out.
  wait_for 60 sh -c "timeout 10 rados -c '$conf' -p '$pool' stat nothing 2>&1 | grep -q 'No such file'" \
    || fail "the pool did not answer within 60 s of the OSD coming up"
}

start() {
  if running mon && running osd && [ -f "$conf" ] && timeout 10 rados -c "$conf" -p "$pool" stat nothing 2>&1 | grep -q "No such file"; then
    echo "ceph already running ($conf)"
    return 0
  fi
  stop >/dev/null
  rm -rf "$state"
  mkdir -p "$state/mon" "$state/osd" "$state/log" "$state/run"
  local port fsid osd_uuid
  port="$(free_port_from 6789)"
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  write_config "$port" "$fsid"

  ceph-authtool --create-keyring "$state/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$state/client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$state/mon.keyring" --import-keyring "$state/client.admin.keyring" >/dev/null
  monmaptool --create --addv a "v1:127.0.0.1:$port" --fsid "$fsid" "$state/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$state/monmap" --keyring "$state/mon.keyring" >>"$state/log/setup.log" 2>&1 \
    || fail "ceph-mon --mkfs failed"
  ceph-mon -c "$conf" -i a >>"$state/log/mon-stdout.log" 2>&1 || fail "ceph-mon failed to start"
  wait_for 30 timeout 10 ceph -c "$conf" mon stat || fail "the monitor did not answer within 30 s"

  local id
  id="$(timeout 30 ceph -c "$conf" osd new "$osd_uuid")" || fail "ceph osd new failed"
  [ "$id" = "0" ] || fail "expected osd id 0, got '$id'"
  ceph-osd -c "$conf" -i 0 --mkfs --mkkey --osd-uuid "$osd_uuid" --no-mon-config >>"$state/log/setup.log" 2>&1 \
    || fail "ceph-osd --mkfs failed"
  timeout 30 ceph -c "$conf" auth add osd.0 osd 'allow *' mon 'allow profile osd' -i "$state/osd/keyring" >/dev/null 2>&1 \
    || fail "ceph auth add osd.0 failed"
  start_osd

  timeout 60 ceph -c "$conf" osd pool create "$pool" 8 8 >/dev/null 2>&1 || fail "ceph osd pool create $pool failed"
  timeout 30 ceph -c "$conf" osd pool application enable "$pool" rados >/dev/null 2>&1 || true
  echo ready >"$state/probe"
  wait_for 60 timeout 10 rados -c "$conf" -p "$pool" put dockyard-probe "$state/probe" || fail "the pool $pool did not accept writes within 60 s"
  rados -c "$conf" -p "$pool" rm dockyard-probe >/dev/null 2>&1 || true
  echo "ceph running: mon v1:127.0.0.1:$port, pool $pool, conf $conf"
}

stop_daemon() {
  local name="$1"
  if ! running "$name"; then
    rm -f "$state/$name.pid"
    return 0
  fi
  local pid
  pid="$(cat "$state/$name.pid")"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "ceph-$name (pid $pid) did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$state/$name.pid"
}

stop() {
  stop_daemon osd.0
  stop_daemon mon.a
  echo "ceph stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  stop-osd) stop_daemon osd.0 ;;
  start-osd) start_osd ;;
  *) echo "usage: $0 start|stop|stop-osd|start-osd" >&2; exit 2 ;;
esac
