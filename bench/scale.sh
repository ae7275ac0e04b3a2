#!/usr/bin/env bash
# bench/scale.sh: page latency against archive size, with the page cache
# off (--page-cache-mb 0), so every request renders and queries, and the
# search rate limit off (wrk would get 429s).
#   bench/scale.sh /tmp/d10k/d.db /tmp/d100k/d.db [/tmp/d1m/d.db]
# Each store is one filled by `dateline bench-data --stories N --db FILE`
# (its media directory beside it). For each store and page: wrk -c1 -t1
# for DUR (5s), one request at a time, and its p50 and p99 latency.
# `dateline serve` applies pending migrations to each store it opens: give
# copies of stores that must not change (sqlite3 SRC ".backup DST").
# ONLY="tag author" measures only those pages (names as in PAGES below).
# BIN=path runs that dateline binary instead of building this tree (to
# measure an older build on the same copies).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUR=${DUR:-5s}
WORK=$(mktemp -d /tmp/dateline-scale.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
if [ -n "${BIN:-}" ]; then cp "$BIN" "$WORK/dateline"; else (cd "$ROOT" && go build -o "$WORK/dateline" ./cmd/dateline); fi

lat() { # URL: "p50 p99" in ms
	# A timeout well past any page's time: with wrk's 2 s, a page slower
	# than that had no latency at all (printed as 0). A page slower than
	# DUR completes no request: ERR too.
	wrk -c1 -t1 -d"$DUR" --timeout 60s --latency "$1" | awk '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/^ +50%/ { p50 = ms($2); seen = 1 } /^ +99%/ { p99 = ms($2) } /Non-2xx|timeout [1-9]|^ +0 requests in/ { bad = 1 }
		END { if (bad || !seen) printf "ERR ERR"; else printf "%.2f %.2f", p50, p99 }'
}

declare -A ROW
HEAD="| page |"
SEP="| --- |"
PAGES=(story section front tag tag-popular author sitemap-index sitemap-page news-sitemap search-common search-rare)
for DB in "$@"; do
	N=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM stories").fetchone()[0])' "$DB")
	# The tag with the most stories, read before serve opens the store.
	POPSLUG=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT t.slug FROM tags t JOIN (SELECT tag_id, count(*) AS n FROM story_tags GROUP BY tag_id ORDER BY n DESC LIMIT 1) p ON p.tag_id = t.id").fetchone()[0])' "$DB")
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$WORK/dateline" serve --db "$DB" --media-dir "$(dirname "$DB")/media" --addr "127.0.0.1:$PORT" \
		--page-cache-mb 0 --search-rate-limit 0 >/dev/null 2>"$WORK/serve.log" &
	PID=$!
	for _ in $(seq 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 0.1; done
	B=http://127.0.0.1:$PORT
	# A story from the middle of the archive, by way of its sitemaps.
	SMAPS=$(curl -fsS "$B/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||' | grep sitemap-stories || true)
	SMAP=$(echo "$SMAPS" | sed -n "$(( ($(echo "$SMAPS" | wc -l) + 1) / 2 ))p")
	STORY=$(curl -fsS "$B$SMAP" | grep -o '<loc>[^<]*</loc>' | sed -n 2p | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||')
	SECTION=/$(echo "$STORY" | cut -d/ -f2)
	# The first tag and author their sitemaps list: the tag with the lowest
	# id that has a story (one of the demo's; how popular bench-data made
	# it differs from store to store) and the first author by slug.
	first() { curl -fsS "$B$1" | grep -o '<loc>[^<]*</loc>' | sed -n 1p | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||'; }
	TAG=$(first /sitemap-tags-1.xml)
	AUTHOR=$(first /sitemap-authors.xml)
	POPULAR=/tag/$POPSLUG
	URLS=("$STORY" "$SECTION" / "$TAG" "$POPULAR" "$AUTHOR" /sitemap.xml "$SMAP" /sitemap-news.xml "/search?q=inflation" "/search?q=semiconductor+nairobi")
	HEAD+=" $N p50 | $N p99 |"
	SEP+=" --- | --- |"
	echo "$N stories: story $STORY, tag $TAG, popular tag $POPULAR, author $AUTHOR, sitemap page $SMAP" >&2
	for i in "${!PAGES[@]}"; do
		if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" ${PAGES[$i]} "* ]]; then
			ROW[${PAGES[$i]}]+=" - | - |"
			continue
		fi
		set -- $(lat "$B${URLS[$i]}")
		ROW[${PAGES[$i]}]+=" $1 | $2 |"
	done
	kill "$PID"
	wait "$PID" 2>/dev/null || true
	PID=
	set -- "${@:2}"
done
echo
echo "latency in ms, cache off, one request at a time (wrk -c1 -t1 -d$DUR)"
echo
echo "$HEAD"
echo "$SEP"
for p in "${PAGES[@]}"; do echo "| $p |${ROW[$p]}"; done
