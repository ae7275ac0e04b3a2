#!/usr/bin/env bash
# bench/publish-two.sh: publish-to-visible on two instances sharing one
# PostgreSQL database and one media directory. Starts two `dateline
# serve` processes (the first fills the demo), then bench/publish
# publishes N stories from a third process and times until the story
# page, the section's RSS feed and the news sitemap show each, on both
# instances. Neither instance made the change: each learns of it by
# LISTEN/NOTIFY, as from another instance or `dateline ingest`.
#   bench/publish-two.sh                      # N=20, a throw-away server
#   DATABASE_URL=postgres://… N=50 bench/publish-two.sh
# Without DATABASE_URL a throw-away PostgreSQL is started with
# scripts/pg-test-server.sh on DATELINE_PG_TEST_PORT (default 55439)
# and stopped at the end.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/dateline-publish-two.XXXXXX)
PIDS=()
OWN_PG=
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "$OWN_PG" ] && "$ROOT/scripts/pg-test-server.sh" stop
	rm -rf "$WORK"
}
trap cleanup EXIT
(cd "$ROOT" && go build -o "$WORK/dateline" ./cmd/dateline && go build -o "$WORK/publish" ./bench/publish)
if [ -z "${DATABASE_URL:-}" ]; then
	export DATELINE_PG_TEST_PORT=${DATELINE_PG_TEST_PORT:-55439}
	OWN_PG=1
	DATABASE_URL=$("$ROOT/scripts/pg-test-server.sh" start)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ready() { for _ in $(seq 1200); do curl -fsS -o /dev/null "http://127.0.0.1:$1/healthz" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
A=$(free_port)
"$WORK/dateline" serve --demo --database-url "$DATABASE_URL" --media-dir "$WORK/media" --addr "127.0.0.1:$A" >/dev/null 2>"$WORK/a.log" &
PIDS+=($!)
ready "$A" || { echo "instance A did not start" >&2; tail "$WORK/a.log" >&2; exit 1; }
B=$(free_port)
"$WORK/dateline" serve --database-url "$DATABASE_URL" --media-dir "$WORK/media" --addr "127.0.0.1:$B" >/dev/null 2>"$WORK/b.log" &
PIDS+=($!)
ready "$B" || { echo "instance B did not start" >&2; tail "$WORK/b.log" >&2; exit 1; }
"$WORK/publish" -base "http://127.0.0.1:$A,http://127.0.0.1:$B" -database-url "$DATABASE_URL" -n "${N:-20}"
