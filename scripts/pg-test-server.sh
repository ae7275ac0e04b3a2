#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests, from Debian's `postgresql` package.
#
#   scripts/pg-test-server.sh start   installs the package if missing, starts a
#                                     server on a private data directory and
#                                     port, prints its URL on stdout
#   scripts/pg-test-server.sh stop    stops it and removes its directory
#   scripts/pg-test-server.sh pause   stops it and keeps its data, to see
#                                     how Dateline takes a lost database
#   scripts/pg-test-server.sh resume  starts the paused server again
#
# The server listens on 127.0.0.1 only, runs as the `postgres` user when we
# are root (initdb refuses root), and has fsync off: its data is worthless
# once the tests end. The state file remembers the data directory, so a
# second start or a start after a crash first clears what the last one left
# (a stale postmaster.pid, a server still holding the port).
set -euo pipefail

port="${DATELINE_PG_TEST_PORT:-55432}"
state="${TMPDIR:-/tmp}/dateline-pg-test-${port}.state"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# as_pg runs a command as the server's owner.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$d" ]; then
		echo "== installing postgresql from Debian's packages" >&2
		as_root apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends postgresql >/dev/null
		d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	fi
	echo "$d"
}

stop() {
	[ -f "$state" ] || return 0
	local dir bin
	dir=$(cat "$state")
	bin=$(bindir)
	if [ -n "$dir" ] && [ -d "$dir/data" ]; then
		as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	case "$dir" in /*dateline-pg.*) rm -rf -- "$dir" ;; esac
	rm -f -- "$state"
}

# run starts the server on the data directory in $2.
run() {
	as_pg "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 start \
		-o "-p $port -k $2 -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
}

pause() {
	[ -f "$state" ] || { echo "pg-test-server: no server on port $port" >&2; exit 1; }
	as_pg "$(bindir)/pg_ctl" -D "$(cat "$state")/data" -m fast -w stop >/dev/null
}

resume() {
	[ -f "$state" ] || { echo "pg-test-server: no server on port $port" >&2; exit 1; }
	run "$(bindir)" "$(cat "$state")"
}

start() {
	local bin dir
	bin=$(bindir)
	stop # whatever an earlier run or a crash left behind
	if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
		echo "pg-test-server: port $port is taken by another server; set DATELINE_PG_TEST_PORT" >&2
		exit 1
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/dateline-pg.XXXXXX")
	echo "$dir" >"$state"
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
	run "$bin" "$dir"
	"$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE ROLE dateline LOGIN CREATEDB PASSWORD 'dateline'" \
		-c "GRANT pg_signal_backend TO dateline" \
		-c "CREATE DATABASE dateline OWNER dateline" >/dev/null
	echo "postgres://dateline:dateline@127.0.0.1:${port}/dateline?sslmode=disable"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
pause) pause ;;
resume) resume ;;
*)
	echo "usage: $0 start|stop|pause|resume" >&2
	exit 2
	;;
esac
