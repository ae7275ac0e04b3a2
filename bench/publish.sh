#!/usr/bin/env bash
# bench/publish.sh: publish-to-visible on one instance. Starts Dateline
# on a demo store (or DB=path of a filled one), then bench/publish
# publishes N stories from a second process and times until the story
# page, the section's RSS feed and the news sitemap show each.
#   bench/publish.sh            # N=20 on the demo
#   DB=/tmp/d.db N=50 bench/publish.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/dateline-publish.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
(cd "$ROOT" && go build -o "$WORK/dateline" ./cmd/dateline && go build -o "$WORK/publish" ./bench/publish)
DB=${DB:-$WORK/d.db}
MEDIA=${MEDIA:-$(dirname "$DB")/media}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$WORK/dateline" serve --demo --db "$DB" --media-dir "$MEDIA" --addr "127.0.0.1:$PORT" >/dev/null 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.1; done
"$WORK/publish" -base "http://127.0.0.1:$PORT" -db "$DB" -n "${N:-20}"
