#!/usr/bin/env bash
# Starts or stops a private OpenLDAP server for the LDAP tests, on 127.0.0.1 only, state under $DOCKYARD_STATE/ldap
# (default ./.state/ldap). It serves dc=dockyard,dc=test with ou=people and two users:
#   uid=alice (password alice-secret, mail alice@dockyard.test), uid=bob (password bob-secret, mail bob@dockyard.test)
# Plain LDAP on the first free port from 3890, LDAPS (self-signed certificate) on the next free one.
# Writes the URLs to $state/url and $state/ldaps-url. Usage: ldap-server.sh start|stop
set -euo pipefail

state="${DOCKYARD_STATE:-$PWD/.state}/ldap"
pidfile="$state/slapd.pid"
log="$state/slapd.log"
suffix="dc=dockyard,dc=test"
rootdn="cn=admin,$suffix"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

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

write_config() {
  local rootpw="$1"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
    -keyout "$state/tls.key" -out "$state/tls.crt" >/dev/null 2>&1
  cat >"$state/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $pidfile
argsfile $state/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCertificateFile $state/tls.crt
TLSCertificateKeyFile $state/tls.key
database mdb
maxsize 104857600
suffix "$suffix"
rootdn "$rootdn"
rootpw $rootpw
directory $state/data
access to attrs=userPassword by self read by anonymous auth by * none
access to * by self read by users read by * none
EOF
}

seed() {
  local url="$1" rootpw_plain="$2"
  ldapadd -x -H "$url" -D "$rootdn" -w "$rootpw_plain" >/dev/null <<EOF
dn: $suffix
objectClass: dcObject
objectClass: organization
o: Dockyard test
dc: dockyard

dn: ou=people,$suffix
objectClass: organizationalUnit
ou: people

dn: uid=alice,ou=people,$suffix
objectClass: inetOrgPerson
uid: alice
cn: Alice
sn: Alice
mail: alice@dockyard.test
userPassword: $(slappasswd -s alice-secret)

dn: uid=bob,ou=people,$suffix
objectClass: inetOrgPerson
uid: bob
cn: Bob
sn: Bob
mail: bob@dockyard.test
userPassword: $(slappasswd -s bob-secret)
EOF
}

start() {
  if running && [ -f "$state/url" ] && ldapsearch -x -H "$(cat "$state/url")" -s base -b "" >/dev/null 2>&1; then
    echo "slapd already running on $(cat "$state/url")"
    return 0
  fi
  rm -rf "$state"
  mkdir -p "$state/data"
  local rootpw_plain port tls_port
  rootpw_plain="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  write_config "$(slappasswd -s "$rootpw_plain")"
  port="$(free_port_from 3890)"
  tls_port="$(free_port_from $((port + 1)))"
  # slapd forks into the background once it listens; it logs to syslog, so start-up errors are captured here.
  if ! slapd -f "$state/slapd.conf" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tls_port/" >"$log" 2>&1; then
    echo "slapd failed to start; its output:" >&2
    cat "$log" >&2
    return 1
  fi
  local deadline=$((SECONDS + 30))
  until ldapsearch -x -H "ldap://127.0.0.1:$port" -s base -b "" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "slapd did not start within 30 s; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.2
  done
  seed "ldap://127.0.0.1:$port" "$rootpw_plain"
  echo "ldap://127.0.0.1:$port" >"$state/url"
  echo "ldaps://127.0.0.1:$tls_port" >"$state/ldaps-url"
  echo "slapd running on ldap://127.0.0.1:$port and ldaps://127.0.0.1:$tls_port (base ou=people,$suffix)"
}

stop() {
  if ! running; then
    echo "slapd not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "slapd (pid $pid) did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  echo "slapd stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
