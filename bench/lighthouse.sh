#!/usr/bin/env bash
# Audits the demo site with Lighthouse 12 (mobile settings) in Debian's
# Chromium and prints the four category scores of each page.
#
# usage: bench/lighthouse.sh [BASE_URL]   (default: starts a demo on :8099)
set -euo pipefail
cd "$(dirname "$0")"
[ -d lighthouse/node_modules/lighthouse ] || (cd lighthouse && npm ci --no-audit --no-fund --loglevel=error)
base=${1:-}
if [ -z "$base" ]; then
	if curl -fs http://127.0.0.1:8099/healthz >/dev/null 2>&1; then
		echo "port 8099 is taken by another server; stop it first" >&2
		exit 1
	fi
	tmp=$(mktemp -d)
	go build -C .. -o "$tmp/dateline" ./cmd/dateline
	(cd "$tmp" && exec ./dateline serve --demo --addr 127.0.0.1:8099 >/dev/null 2>&1) &
	server=$!
	trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
	base=http://127.0.0.1:8099
	for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.5; done
fi
story=$(curl -fs "$base/world" | grep -o 'href="/world/[^"]*"' | head -1 | cut -d'"' -f2)
arabic=$(curl -fs "$base/world" | grep -o '<h3 lang="ar" dir="rtl"><a href="[^"]*"' | head -1 | sed 's/.*href="//; s/"$//')
mkdir -p out
for path in / /world "$story" "$arabic"; do
	name=$(echo "$path" | tr -c 'a-z0-9\n' '_' | cut -c1-40)
	CHROME_PATH=/usr/bin/chromium lighthouse/node_modules/.bin/lighthouse "$base$path" --quiet \
		--chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
		--only-categories=performance,accessibility,best-practices,seo \
		--output=json --output-path="out/lh$name.json" >/dev/null 2>&1 || { echo "lighthouse failed on $path"; continue; }
	node -e '
const r = require(process.argv[1]);
const c = r.categories;
const s = (k) => Math.round(c[k].score * 100);
console.log(`${process.argv[2].padEnd(40)} performance ${s("performance")}  accessibility ${s("accessibility")}  best-practices ${s("best-practices")}  seo ${s("seo")}`);
for (const [k, cat] of Object.entries(c)) for (const ref of cat.auditRefs) {
  const a = r.audits[ref.id];
  if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`    ${k}: ${a.id} ${a.score}`);
}' "$PWD/out/lh$name.json" "$path"
done
