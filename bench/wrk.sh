#!/usr/bin/env bash
# bench/wrk.sh: a story page from Dateline's page cache against nginx
# serving a saved copy of the same bytes as a static file, then the
# cached story while a crawler walks uncached stories beside it, then the
# same story with the page cache off, the same over 1,000 stories, then
# Dateline's resident memory.
#
#   bench/wrk.sh                      # fills a 100,000-story archive first (minutes)
#   STORIES=10000 bench/wrk.sh        # a smaller archive
#   DB=/path/d.db MEDIA=/path/media bench/wrk.sh   # an archive filled before
#                                                  # with `dateline bench-data`
#
# Both servers get the same requests, one after the other in the same run:
# wrk -c64 -t2 -d20s with "Accept-Encoding: gzip", so both send the same
# gzip bytes (nginx through gzip_static, from the file Dateline sent).
# Each measured run follows an uncounted warm-up of the same load
# (WARM=3s; WARM=0 for none). nginx and the cached page take turns for
# ROUNDS rounds (3), and the uncached page runs ROUNDS times; the targets
# are checked on the medians, every round is printed.
# Installs Debian's wrk and nginx when missing (needs root).
set -euo pipefail

CONN=${CONN:-64}
THREADS=${THREADS:-2}
DUR=${DUR:-20s}
WARM=${WARM:-3s} # 0: no warm-up run
ROUNDS=${ROUNDS:-3}
STORIES=${STORIES:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/dateline-wrk.XXXXXX)
chmod 755 "$WORK" # nginx's workers run as nobody
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
	echo "installing ${need[*]} from Debian's packages" >&2
	apt-get update -qq
	# Install only: Debian's nginx package would start a server on port 80.
	DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx; fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building Dateline" >&2
(cd "$ROOT" && go build -o "$WORK/dateline" ./cmd/dateline)

if [ -z "${DB:-}" ]; then
	DB=$WORK/d.db MEDIA=$WORK/media
	echo "filling $STORIES stories (dateline bench-data)" >&2
	"$WORK/dateline" bench-data --stories "$STORIES" --db "$DB" --media-dir "$MEDIA" >&2
fi
MEDIA=${MEDIA:-$(dirname "$DB")/media}
ARCHIVE=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM stories").fetchone()[0])' "$DB" 2>/dev/null || echo "?")

start_dateline() { # $1: page cache MiB
	DPORT=$(free_port)
	"$WORK/dateline" serve --db "$DB" --media-dir "$MEDIA" --addr "127.0.0.1:$DPORT" \
		--page-cache-mb "$1" >/dev/null 2>"$WORK/dateline-$1.log" &
	DPID=$!
	PIDS+=("$DPID")
	for _ in $(seq 300); do
		curl -fsS -o /dev/null "http://127.0.0.1:$DPORT/healthz" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "Dateline did not start; see $WORK/dateline-$1.log" >&2
	exit 1
}
stop_dateline() { kill "$DPID"; wait "$DPID" 2>/dev/null || true; }

# cpu_ticks PID...: the user and system CPU ticks the processes (and an
# nginx master's workers) have used so far.
cpu_ticks() {
	local t=0 p
	for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
		[ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
	done
	echo "$t"
}

# run_wrk NAME PIDS URL [wrk args]: prints "NAME req/s p50 p99 non-2xx
# cpu" (latencies in ms; cpu: the server's CPU time per request in
# microseconds, a figure the machine's other load moves less than req/s).
# Each server first gets the same load for $WARM, not counted: a process
# just started spends its first second of load faulting in the memory its
# heap grows into (on these virtual machines about 19,000 page faults and
# half the throughput; bench/RESULTS.md, "Tenth session"), which a server
# that has been up has paid long before a story breaks.
run_wrk() {
	local name=$1 pids=$2 url=$3 out c0 c1
	shift 3
	if [ "$WARM" != 0 ]; then
		wrk -c"$CONN" -t"$THREADS" -d"$WARM" -H 'Accept-Encoding: gzip' "$@" "$url" >/dev/null
	fi
	c0=$(cpu_ticks $pids)
	out=$(wrk -c"$CONN" -t"$THREADS" -d"$DUR" --latency -H 'Accept-Encoding: gzip' "$@" "$url")
	c1=$(cpu_ticks $pids)
	echo "$out" >"$WORK/wrk-$name.txt"
	echo "$out" | awk -v name="$name" -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
		/requests in/ { n = $1 }
		/Non-2xx or 3xx/ { bad = $NF }
		END { printf "%s %.0f %.2f %.2f %s %.0f\n", name, rps, p50, p99, (bad == "" ? 0 : bad), (n > 0 ? ticks * 1e6 / hz / n : 0) }'
}

# story_paths head|tail: the story URLs (paths) of the first or the last
# story sitemap of the running Dateline at $BASE.
story_paths() {
	local smap
	smap=$(curl -fsS "$BASE/sitemap.xml" | grep -o '<loc>[^<]*sitemap-stories[^<]*</loc>' | "$1" -1 | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||')
	curl -fsS "$BASE$smap" | grep -o '<loc>[^<]*</loc>' | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||'
}

# walk_script PATHS LUA: writes LUA, a wrk script asking for the paths
# listed in the file PATHS in turn, with gzip.
walk_script() {
	cat >"$2" <<LUA
local paths, i = {}, 0
for line in io.lines("$1") do paths[#paths + 1] = line end
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
	i = i % #paths + 1
	return wrk.format("GET", paths[i])
end
LUA
}

start_dateline 64
BASE=http://127.0.0.1:$DPORT
# The newest story in the news sitemap: the page a breaking story gets.
STORY=$(curl -fsS "$BASE/sitemap-news.xml" | grep -o '<loc>[^<]*</loc>' | head -1 | sed -e 's/<[^>]*>//g' -e 's|^https\?://[^/]*||')
[ -n "$STORY" ] || { echo "no story in the news sitemap" >&2; exit 1; }
mkdir -p "$WORK/www"
curl -fsS -H 'Accept-Encoding: gzip' "$BASE$STORY" -o "$WORK/www/story.html.gz"
curl -fsS "$BASE$STORY" -o "$WORK/www/story.html"
chmod -R a+rX "$WORK/www"

NPORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $WORK/nginx/body;
	proxy_temp_path $WORK/nginx/proxy;
	fastcgi_temp_path $WORK/nginx/fastcgi;
	uwsgi_temp_path $WORK/nginx/uwsgi;
	scgi_temp_path $WORK/nginx/scgi;
	server {
		listen 127.0.0.1:$NPORT;
		root $WORK/www;
		gzip_static on;
		location = /story { default_type "text/html; charset=utf-8"; try_files /story.html =404; }
	}
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NPID=$!
PIDS+=("$NPID")
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$NPORT/story" 2>/dev/null && break; sleep 0.1; done
if ! cmp -s <(curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$NPORT/story") "$WORK/www/story.html.gz"; then
	echo "nginx does not send the saved gzip bytes" >&2
	exit 1
fi

echo "archive: $ARCHIVE stories; story $STORY: $(stat -c %s "$WORK/www/story.html") bytes, $(stat -c %s "$WORK/www/story.html.gz") gzipped" >&2
echo "wrk -c$CONN -t$THREADS -d$DUR --latency -H 'Accept-Encoding: gzip', one server at a time" >&2
RESULTS=()
# median N...: the middle value (the mean of the two middle ones).
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' "$BASE$STORY" # cached before the run
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
RATIOS=() P99S=()
for r in $(seq "$ROUNDS"); do
	n=$(run_wrk "nginx-$r" "$NPID" "http://127.0.0.1:$NPORT/story")
	d=$(run_wrk "dateline-cached-$r" "$DPID" "$BASE$STORY")
	RESULTS+=("$n" "$d")
	set -- $n
	NGINX_RPS=$2
	set -- $d
	RATIOS+=("$(awk -v d="$2" -v n="$NGINX_RPS" 'BEGIN { printf "%.0f", 100 * d / n }')")
	P99S+=("$4")
done
RSS_CACHED=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$DPID/status")
HWM_CACHED=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$DPID/status")

# Readers of the cached story (half the connections) while a crawler
# (the other half) walks the archive from the first story sitemap, each
# page a cache miss: do the hits queue behind the renders?
story_paths head >"$WORK/crawl.txt"
walk_script "$WORK/crawl.txt" "$WORK/crawl.lua"
HALF=$((CONN / 2))
wrk -c"$HALF" -t1 -d"$DUR" --latency -s "$WORK/crawl.lua" "$BASE" >"$WORK/wrk-crawl.txt" &
CRAWLER=$!
wrk -c"$HALF" -t1 -d"$DUR" --latency -H 'Accept-Encoding: gzip' "$BASE$STORY" >"$WORK/wrk-hits-during-crawl.txt"
wait "$CRAWLER"
summary() { # FILE: requests/s, p50 and p99 in ms
	awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
		END { printf "%.0f/s, p50 %.2f ms, p99 %.2f ms", rps, p50, p99 }' "$1"
}
MIXED="hits $(summary "$WORK/wrk-hits-during-crawl.txt") ($HALF connections); crawl $(summary "$WORK/wrk-crawl.txt") ($HALF connections, $(wc -l <"$WORK/crawl.txt") stories)"
stop_dateline

start_dateline 0
BASE=http://127.0.0.1:$DPORT
UNCACHED=()
for r in $(seq "$ROUNDS"); do
	u=$(run_wrk "dateline-uncached-$r" "$DPID" "$BASE$STORY")
	RESULTS+=("$u")
	set -- $u
	UNCACHED+=("$2")
done
# The same with every request for another story (1,000 of them, from the
# article sitemaps): nothing of one page helps the next, not even the
# database's page cache.
story_paths tail | awk 'NR <= 1000' >"$WORK/paths.txt"
walk_script "$WORK/paths.txt" "$WORK/many.lua"
m=$(run_wrk dateline-uncached-1000-stories "$DPID" "$BASE" -s "$WORK/many.lua")
RESULTS+=("$m")
set -- $m
DM=$2
RSS_UNCACHED=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$DPID/status")
stop_dateline

printf '\n| server | requests/s | p50 ms | p99 ms | non-2xx | server CPU µs/request |\n| --- | --- | --- | --- | --- | --- |\n'
for r in "${RESULTS[@]}"; do
	set -- $r
	printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6"
done
echo
echo "cached/nginx by round: ${RATIOS[*]/%/%}; median $(median "${RATIOS[@]}")% (target >= 60%)"
echo "cached p99 by round: ${P99S[*]} ms; median $(median "${P99S[@]}") ms (target <= 10)"
echo "uncached, one story, by round: ${UNCACHED[*]} pages/s; median $(median "${UNCACHED[@]}") (target >= 3000); 1,000 stories in turn: $DM"
echo "cached story during a crawl of uncached stories: $MIXED"
echo "load average before the runs: $LOAD0; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "resident memory after the cached run: ${RSS_CACHED} MiB (peak ${HWM_CACHED} MiB), after the uncached run: ${RSS_UNCACHED} MiB; archive $ARCHIVE stories (target <= 150 MiB)"
