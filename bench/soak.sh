#!/usr/bin/env bash
# Soak benchmark: builds dateline, starts it with the demo newsroom on a
# fresh store in a temporary directory, and holds a mixed load on it on
# loopback (readers on pages, search and feeds; an editor publishing every
# few seconds; now and then a reader's feedback; an agency pushing wire
# copy through POST /api/v1/wire/{source}, published at once) for a while.
# It prints
# errors (target: none), latency percentiles per kind of request and the
# server's resident memory at start and end (target: flat). Not part of
# the test command.
#
#   bench/soak.sh                       10 minutes at 100 reader requests/s,
#                                       a story every 5 s, a wire item every 2 s
#   SOAK_DURATION=2m SOAK_RATE=200 SOAK_WIRE_EVERY=500ms bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${SOAK_DURATION:-10m}
rate=${SOAK_RATE:-100}
workers=${SOAK_WORKERS:-32}
publish_every=${SOAK_PUBLISH_EVERY:-5s}
wire_every=${SOAK_WIRE_EVERY:-2s}
port=${SOAK_PORT:-18080}

work=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "== building"
go build -o "$work/dateline" ./cmd/dateline
go build -o "$work/soak" ./bench/soak

export DATELINE_DB="$work/dateline.db" DATELINE_MEDIA_DIR="$work/media"
password="soak-editor-password-$$"
printf '%s\n' "$password" | "$work/dateline" user add --email soak@dateline.test --name "Soak Editor" \
	--role editor --password-stdin >/dev/null
# The agency's push token: its items are published at once.
push=$("$work/dateline" ingest --push-token --source "Soak Wire" --publish)
wire_token=$(printf '%s\n' "$push" | sed -n 's/^token: //p')
wire_source=$(printf '%s\n' "$push" | grep -o '/api/v1/wire/[a-z0-9-]*' | head -1 | sed 's|.*/||')
if [ -z "$wire_token" ] || [ -z "$wire_source" ]; then echo "no push token in: $push"; exit 1; fi

echo "== starting the server with the demo newsroom"
# Readers come from many addresses through X-Forwarded-For, believed from
# loopback: the per-address limits of search and forms stay on, as in
# production, and no one reader meets them.
"$work/dateline" serve --demo --addr "127.0.0.1:$port" --trusted-proxies 127.0.0.1/32 \
	>"$work/stdout.log" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 600); do
	if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$server" 2>/dev/null; then echo "the server stopped:"; tail -5 "$work/server.log"; exit 1; fi
	sleep 0.2
done

echo "== load for $duration"
status=0
"$work/soak" -base "http://127.0.0.1:$port" -duration "$duration" -rate "$rate" -workers "$workers" \
	-publish-every "$publish_every" -email soak@dateline.test -password "$password" -pid "$server" \
	-wire-every "$wire_every" -wire-source "$wire_source" -wire-token "$wire_token" || status=$?
echo "server log: $(grep -c 'level=ERROR' "$work/server.log" || true) error lines, $(wc -l <"$work/server.log") lines"
grep 'level=ERROR' "$work/server.log" | head -5 || true
exit $status
