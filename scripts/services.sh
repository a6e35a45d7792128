#!/usr/bin/env bash
# Start the database servers the integration tests use, if they are installed and down.
# In CI (SKYDD_REQUIRE_SERVICES=1) a missing server is installed from Debian's packages.
set -u
require="${SKYDD_REQUIRE_SERVICES:-0}"
root=0; [ "$(id -u)" = 0 ] && root=1

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # port seconds
  for _ in $(seq 1 "$2"); do up "$1" && return 0; sleep 1; done
  return 1
}

install_pkgs() {
  [ "$root" = 1 ] && command -v apt-get >/dev/null || return 1
  echo "services: installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! up 5432; then
  if ! ls /etc/postgresql >/dev/null 2>&1 && [ "$require" = 1 ]; then install_pkgs postgresql; fi
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_for 5432 30 || echo "services: PostgreSQL did not come up"
  fi
fi
if up 5432 && command -v psql >/dev/null; then
  # Tests connect as postgres over TCP without a password (trust), as on our machines.
  psql -h 127.0.0.1 -U postgres -tAc "select 1" >/dev/null 2>&1 ||
    echo "services: PostgreSQL refuses postgres@127.0.0.1 without a password; see docs/development.md"
fi

if ! up 3306; then
  if ! [ -x /usr/sbin/mariadbd ] && [ "$require" = 1 ]; then install_pkgs mariadb-server; fi
  if [ -x /usr/sbin/mariadbd ]; then
    echo "services: starting MariaDB"
    mkdir -p /run/mysqld && { chown mysql:mysql /run/mysqld 2>/dev/null || true; }
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for 3306 30 || echo "services: MariaDB did not come up"
  fi
fi
if up 3306 && command -v mariadb >/dev/null && [ "$root" = 1 ]; then
  # A fresh Debian MariaDB lets root in only through the socket; the tests use TCP.
  mariadb -h 127.0.0.1 -u root -e "select 1" >/dev/null 2>&1 ||
    mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;" 2>/dev/null || true
fi
exit 0
