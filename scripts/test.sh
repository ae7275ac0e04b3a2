#!/usr/bin/env bash
# Runs every Dateline test on a fresh Debian machine with Go: installs what
# the tests need (Chromium from Debian's packages, the browser test's npm
# packages), then runs the checks, the unit and integration tests with the
# race detector, and the browser tests.
#
# Locally, DATELINE_SKIP_BROWSER=1 skips the slow browser tests. In CI
# (CI=true) nothing is ever skipped: a missing tool fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${CI:-}" = "true" ]; then unset DATELINE_SKIP_BROWSER; fi

if [ "${DATELINE_SKIP_BROWSER:-}" != "1" ]; then
	missing=()
	command -v chromium >/dev/null 2>&1 || missing+=(chromium)
	command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
	fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "== installing ${missing[*]} from Debian's packages"
		as_root apt-get update -qq
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
	if [ ! -d e2e/node_modules/axe-core ] || [ ! -d e2e/node_modules/playwright-core ]; then
		echo "== installing the browser test's npm packages"
		(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
	fi
fi

# The sitemap tests validate with xmllint (Debian's libxml2-utils), with or
# without the browser tests.
if ! command -v xmllint >/dev/null 2>&1; then
	echo "== installing libxml2-utils from Debian's packages"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends libxml2-utils >/dev/null
fi

# The store tests run on PostgreSQL too. Without a server given in
# DATELINE_TEST_DATABASE_URL, a throw-away one is started from Debian's
# postgresql package on a private port and data directory, and removed on
# exit.
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c"; done' EXIT
if [ -z "${DATELINE_TEST_DATABASE_URL:-}" ]; then
	echo "== starting a throw-away PostgreSQL"
	DATELINE_TEST_DATABASE_URL=$(scripts/pg-test-server.sh start)
	export DATELINE_TEST_DATABASE_URL
	cleanup+=('scripts/pg-test-server.sh stop')
fi

# The first test binary that needs the demo newsroom fills it and leaves a
# copy here; the others copy it instead of drawing it again (see
# internal/testutil/democache.go). A fresh directory per run.
DATELINE_TEST_DEMO_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/dateline-demo.XXXXXX")
export DATELINE_TEST_DEMO_CACHE
cleanup+=('rm -rf "$DATELINE_TEST_DEMO_CACHE"')

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './e2e/node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== go test (race detector; the browser and PostgreSQL end-to-end tests without it)"
# -race turns on checkptr, which makes the pure-Go SQLite (translated C,
# all unsafe pointers) many times slower; the race detector itself stays.
# The injection corpora (thousands of sequential requests, no concurrency
# to watch) run without it, below.
corpus='TestAPIInjection|TestWireFieldsXSS'
race=(go test -race -gcflags=all=-d=checkptr=0 -count=1 -timeout 25m)
"${race[@]}" -skip "$corpus" $(go list ./... | grep -v -e /e2e -e '/internal/app$')
"${race[@]}" -skip "Postgres|TestCrashSafety|$corpus" ./internal/app
# Without -race: the end-to-end tests of `serve` on PostgreSQL (one and
# two instances, the database lost while running), the crash test, which
# kills a server process 50 times, and the injection corpora.
echo "== go test: PostgreSQL end to end, crash safety, injection corpora"
go test -count=1 -timeout 25m -run "Postgres|TestCrashSafety|$corpus" ./internal/app ./internal/api
# The packages whose tests run on the shared fixtures (internal/testutil)
# run again with every fixture on PostgreSQL, each in a schema of its own
# on the throw-away server: the site, newsroom, API, cache and wire tests
# hold on both stores.
echo "== go test on PostgreSQL"
DATELINE_TEST_STORE=postgres go test -count=1 -timeout 25m ./internal/site ./internal/newsroom ./internal/api \
	./internal/httpcache ./internal/metrics ./internal/search ./internal/wire/... ./internal/webhook ./internal/workflow
echo "== browser tests"
go test -count=1 -timeout 25m ./e2e/...
