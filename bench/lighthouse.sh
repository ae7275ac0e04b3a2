#!/usr/bin/env bash
# Audits the demo site with Lighthouse 12 (mobile settings) in Debian's
# Chromium and prints the four category scores of each page.
#
# usage: bench/lighthouse.sh [BASE_URL]   (default: starts a demo on :8099)
#        ROUNDS=3 bench/lighthouse.sh BASE_URL_A BASE_URL_B ...
#
# With more than one base URL (builds to compare, each already serving the
# demo) only performance is audited, the builds taking turns page by page
# for ROUNDS rounds, so that the machine's load falls on all of them alike.
# Each run prints Total Blocking Time, Lighthouse's main-thread breakdown
# (simulated, 4x CPU slowdown) and, from the trace, the main thread's own
# CPU time (which other work on the machine inflates far less than the
# wall-clock figures) and its large layouts, marked ! when one ran before
# site.css had arrived. NICE=-10 (as root) runs Lighthouse and its
# Chromium ahead of other work on a shared machine; renice the servers too.
set -euo pipefail
cd "$(dirname "$0")"
[ -d lighthouse/node_modules/lighthouse ] || (cd lighthouse && npm ci --no-audit --no-fund --loglevel=error)
bases=("$@")
if [ ${#bases[@]} -eq 0 ]; then
	if curl -fs http://127.0.0.1:8099/healthz >/dev/null 2>&1; then
		echo "port 8099 is taken by another server; stop it first" >&2
		exit 1
	fi
	tmp=$(mktemp -d)
	go build -C .. -o "$tmp/dateline" ./cmd/dateline
	(cd "$tmp" && exec ./dateline serve --demo --addr 127.0.0.1:8099 >/dev/null 2>&1) &
	server=$!
	trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
	bases=(http://127.0.0.1:8099)
	for _ in $(seq 1 120); do curl -fs "${bases[0]}/healthz" >/dev/null && break; sleep 0.5; done
fi
world=$(curl -fs --compressed "${bases[0]}/world")
story=$(echo "$world" | grep -o 'href="/world/[^"]*"' | sed -n 1p | cut -d'"' -f2)
arabic=$(echo "$world" | grep -o '<h3 lang="ar" dir="rtl"><a href="[^"]*"' | sed -n 1p | sed 's/.*href="//; s/"$//')
categories=performance,accessibility,best-practices,seo
rounds=1
if [ ${#bases[@]} -gt 1 ]; then
	categories=performance
	rounds=${ROUNDS:-3}
fi
mkdir -p out
for round in $(seq 1 "$rounds"); do
	for path in / /world "$story" "$arabic"; do
		for i in "${!bases[@]}"; do
			base=${bases[$i]}
			name=$(echo "$path" | tr -c 'a-z0-9\n' '_' | cut -c1-40)
			json="out/lh$name.json"
			label=$path
			if [ ${#bases[@]} -gt 1 ]; then
				json="out/lh$name-$i-$round.json"
				label="$(echo "$base" | sed 's|^https\?://||') ${path:0:30}"
			fi
			CHROME_PATH=/usr/bin/chromium nice -n "${NICE:-0}" lighthouse/node_modules/.bin/lighthouse "$base$path" --quiet \
				--chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
				--only-categories=$categories --save-assets \
				--output=json --output-path="$json" >/dev/null 2>&1 || { echo "lighthouse failed on $base$path"; continue; }
			rm -f "${json%.json}-0.devtoolslog.json"
			node -e '
const [json, label] = process.argv.slice(1);
const r = require(json);
const c = r.categories, a = r.audits;
const s = (k) => Math.round(c[k].score * 100);
console.log(label.padEnd(40) + " " + Object.keys(c).map((k) => `${k} ${s(k)}`).join("  "));
const g = {};
for (const i of a["mainthread-work-breakdown"].details.items) g[i.group] = Math.round(i.duration);
// The trace: the renderer main thread is the one that parsed and laid out the page.
const ev = require(json.replace(/\.json$/, "-0.trace.json")).traceEvents;
const work = {};
for (const e of ev) if (e.ph === "X" && (e.name === "ParseHTML" || e.name === "Layout")) work[e.pid + ":" + e.tid] = (work[e.pid + ":" + e.tid] || 0) + e.dur;
const main = Object.keys(work).sort((x, y) => work[y] - work[x])[0];
const mine = ev.filter((e) => e.ph === "X" && e.pid + ":" + e.tid === main).sort((x, y) => x.ts - y.ts);
let end = 0, cpu = 0;
for (const e of mine) if (e.name === "RunTask" && e.ts >= end) { end = e.ts + e.dur; cpu += e.tdur || 0; }
const css = mine.find((e) => e.name === "ParseAuthorStyleSheet" && /\/site\./.test(e.args.data?.styleSheetUrl || ""));
const layouts = mine.filter((e) => e.name === "Layout" && e.dur > 5000 && (e.args.beginData?.totalObjects || 0) > 100)
  .map((e) => Math.round(e.dur / 1000) + (css && e.ts < css.ts ? "!" : ""));
console.log(`    TBT ${Math.round(a["total-blocking-time"].numericValue)} ms; main thread (simulated) other ${g.other}, style+layout ${g.styleLayout}, paint ${g.paintCompositeRender}, parse ${g.parseHTML}, script ${g.scriptEvaluation}; own CPU ${Math.round(cpu / 1000)} ms; layouts ${layouts.join("+") || "-"} ms`);
for (const [k, cat] of Object.entries(c)) for (const ref of cat.auditRefs) {
  const x = a[ref.id];
  if (ref.weight > 0 && x.score !== null && x.score < 1) console.log(`    ${k}: ${x.id} ${x.score}`);
}' "$PWD/$json" "$label"
		done
	done
done
