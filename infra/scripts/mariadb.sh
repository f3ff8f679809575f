#!/usr/bin/env bash
# Starts or stops a private MariaDB for the MySQL metadata tests ([db] driver = mysql), bound to 127.0.0.1 on port
# $MARIADB_PORT (default 13306, away from a system server's 3306), state under $DOCKYARD_STATE/mariadb (default
# ./.state/mariadb): the datadir in data/, the socket, the pid, the error log. Start creates the database
# $MARIADB_DATABASE (default dockyard) and the user $MARIADB_USER / $MARIADB_PASSWORD (default dockyard / dockyard)
# with every privilege and the grant option, since the tests create databases and accounts of their own; it writes
# the facts to port, user, password, database and connection (a MySqlConnector connection string) in the state folder.
# MARIADB_THREAD_HANDLING (default pool-of-threads) and MARIADB_THREAD_POOL_SIZE (default: the number of cores) set
# how the server runs statements: a few threads taking the statements of every connection in turn, instead of one
# thread per connection (one-thread-per-connection) competing for the cores with the registry nodes.
# Idempotent: a running server is reused. Usage: mariadb.sh start|stop
set -euo pipefail

state="${DOCKYARD_STATE:-$PWD/.state}/mariadb"
port="${MARIADB_PORT:-13306}"
database="${MARIADB_DATABASE:-dockyard}"
user="${MARIADB_USER:-dockyard}"
password="${MARIADB_PASSWORD:-dockyard}"
thread_handling="${MARIADB_THREAD_HANDLING:-pool-of-threads}"
thread_pool_size="${MARIADB_THREAD_POOL_SIZE:-$(nproc)}"
pidfile="$state/mysqld.pid"
socket="$state/mysqld.sock"

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

ready() {
  mariadb-admin --no-defaults --socket="$socket" -uroot ping >/dev/null 2>&1
}

start() {
  if running && ready; then
    echo "mariadb already running (pid $(cat "$pidfile")) on 127.0.0.1:$(cat "$state/port" 2>/dev/null || echo "$port")"
    return 0
  fi
  mkdir -p "$state"
  if [ ! -d "$state/data/mysql" ]; then
    # --no-defaults first: it keeps /etc/mysql/*.cnf (a system server's settings) out of the private instance.
    mariadb-install-db --no-defaults --user=root --datadir="$state/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$state/install.log" 2>&1 || {
      echo "mariadb-install-db failed; its output:" >&2
      cat "$state/install.log" >&2
      return 1
    }
  fi
  # Test data is disposable: not flushing the redo log at every commit keeps the per-class schemas quick to create.
  setsid mariadbd --no-defaults --user=root --datadir="$state/data" --socket="$socket" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$pidfile" --log-error="$state/error.log" --skip-name-resolve \
    --innodb-flush-log-at-trx-commit=2 --max-connections=500 --thread-handling="$thread_handling" \
    --thread-pool-size="$thread_pool_size" </dev/null >/dev/null 2>&1 &
  local pid=$!
  local deadline=$((SECONDS + 60))
  until ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "mariadbd exited during start-up; its log:" >&2
      cat "$state/error.log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "mariadbd did not answer within 60 s; its log:" >&2
      cat "$state/error.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "$pid" >"$pidfile"
  # With --skip-name-resolve a user @'localhost' matches socket logins only; TCP clients need @'%'.
  mariadb --no-defaults --socket="$socket" -uroot -e "
    CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
    GRANT ALL ON *.* TO '$user'@'%' WITH GRANT OPTION;"
  echo "$port" >"$state/port"
  echo "$user" >"$state/user"
  echo "$password" >"$state/password"
  echo "$database" >"$state/database"
  echo "Server=127.0.0.1;Port=$port;User ID=$user;Password=$password;Database=$database" >"$state/connection"
  echo "mariadb running (pid $pid) on 127.0.0.1:$port, database $database, user $user"
}

stop() {
  if ! running; then
    echo "mariadb not running"
    rm -f "$pidfile"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  # The server's own shutdown flushes InnoDB and returns once mariadbd has exited; a signal is the fallback.
  if ! timeout 60 mariadb-admin --no-defaults --socket="$socket" -uroot shutdown 2>/dev/null; then
    echo "mariadb-admin shutdown failed; sending SIGKILL to $pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
  done
  rm -f "$pidfile"
  echo "mariadb stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
