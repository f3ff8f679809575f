#!/usr/bin/env bash
# Installs the Debian packages the tests need (skopeo, a docker engine, a static busybox, jq, OpenLDAP, openssl, gpg, Ceph, Redis, MariaDB, nginx, ss, chromium for the web UI's browser tests) when missing.
# Idempotent: when everything is present it only checks and exits. Recommended packages are installed too (docker.io
# recommends apparmor, which the engine uses when the kernel has it).
set -euo pipefail

# package:file that proves it is installed
wanted=(
  "skopeo:/usr/bin/skopeo"
  "docker.io:/usr/sbin/dockerd"
  "busybox-static:/bin/busybox"
  "jq:/usr/bin/jq"
  "ca-certificates:/etc/ssl/certs/ca-certificates.crt"
  "slapd:/usr/sbin/slapd"
  "ldap-utils:/usr/bin/ldapadd"
  "openssl:/usr/bin/openssl"
  "gnupg:/usr/bin/gpg"
  "ceph-mon:/usr/bin/ceph-mon"
  "ceph-osd:/usr/bin/ceph-osd"
  "ceph-common:/usr/bin/ceph"
  "librados2:/usr/lib/x86_64-linux-gnu/librados.so.2"
  "redis-server:/usr/bin/redis-server"
  "nginx:/usr/sbin/nginx"
  "iproute2:/bin/ss"
  "mariadb-server:/usr/sbin/mariadbd"
  "chromium:/usr/bin/chromium"
)

missing=()
for entry in "${wanted[@]}"; do
  package="${entry%%:*}"
  file="${entry#*:}"
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || [ ! -e "$file" ]; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "test dependencies present"
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}"
