#!/usr/bin/env bash
# Fetch-cycle benchmark (issue 3): N feeds (copies of ../shared/corpus/real) served by a local nginx
# with ETag/Last-Modified and gzip, spread over 100 host names that all resolve to 127.0.0.1 (so the
# per-host cap behaves as with real sites). Times a cold cycle (fetch + parse everything) and a
# conditional cycle (all 304), reports peak RSS, then runs newsboat over the same URLs for reference.
#   bench/fetch.sh [N]          default N=1000; needs root for apt-get (nginx, newsboat) on first run
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
PORT=18080
WORK=$(mktemp -d /tmp/feedwatch-bench.XXXXXX)
chmod 755 "$WORK"   # nginx workers run unprivileged
trap '[ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

for pkg in nginx newsboat; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done

mkdir -p "$WORK/www"
mapfile -t corpus < <(find ../shared/corpus/real -type f | sort)
: > "$WORK/urls"
: > "$WORK/resolve"
for ((i = 0; i < N; i++)); do
    src=${corpus[$((i % ${#corpus[@]}))]}
    cp "$src" "$WORK/www/feed-$i.xml"
    host="feeds-$((i % 100)).bench.test"
    echo "http://$host:$PORT/feed-$i.xml" >> "$WORK/urls"
done
for ((h = 0; h < 100; h++)); do echo "--resolve feeds-$h.bench.test:$PORT:127.0.0.1" >> "$WORK/resolve"; done
bytes=$(du -sb "$WORK/www" | cut -f1)

cat > "$WORK/nginx.conf" <<CONF
daemon on; pid $WORK/nginx.pid; error_log $WORK/error.log; worker_processes 2;
events { worker_connections 1024; }
http {
  access_log off; types { application/rss+xml xml; } default_type application/rss+xml;
  gzip on; gzip_types application/rss+xml; gzip_min_length 256; etag on; keepalive_requests 10000;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  server { listen 127.0.0.1:$PORT; server_name _; root $WORK/www; }
}
CONF
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf"

swift build -c release --product feedwatch-bench >/dev/null
echo "feedwatch: $N feeds, $((bytes / 1048576)) MiB of XML, 100 hosts, concurrency 16, 2 per host"
# shellcheck disable=SC2046
.build/release/feedwatch-bench fetch "$WORK/urls" --concurrency 16 --per-host 2 $(cat "$WORK/resolve")

# newsboat over the same feeds (by IP: newsboat has no per-request resolve), 8 reload threads.
sed "s#http://feeds-[0-9]*.bench.test:#http://127.0.0.1:#" "$WORK/urls" > "$WORK/newsboat-urls"
printf 'reload-threads 8\nshow-read-feeds yes\n' > "$WORK/newsboat-config"
for run in 1 2; do
    start=$(date +%s.%N)
    newsboat -x reload -u "$WORK/newsboat-urls" -c "$WORK/newsboat-cache.db" -C "$WORK/newsboat-config" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "newsboat $(newsboat -v 2>/dev/null | head -1 | awk '{print $2}') reload $run: $(echo "$end - $start" | bc) s"
done
