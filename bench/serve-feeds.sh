# Sourced by the daemon benchmarks: copies of ../shared/corpus/real served by a local nginx with
# ETag/Last-Modified, gzip and keep-alive on HOSTS loopback addresses (127.0.0.1 …), so there are far
# more hosts than transfer slots. Needs WORK (a scratch directory), PORT and HOSTS.
#   serve_feeds MAX      links MAX feed files and starts nginx (stopped by the caller's trap)
#   url I                the URL of feed I

serve_feeds() {
    local max=$1 corpus i h
    mkdir -p "$WORK/www" "$WORK/tmp"
    chmod 755 "$WORK"   # nginx workers run unprivileged
    mapfile -t corpus < <(find ../shared/corpus/real -type f | sort)
    for ((i = 0; i < max; i++)); do
        ln "${corpus[$((i % ${#corpus[@]}))]}" "$WORK/www/feed-$i.xml" 2>/dev/null \
            || cp "${corpus[$((i % ${#corpus[@]}))]}" "$WORK/www/feed-$i.xml"
    done
    {
        echo "daemon on; pid $WORK/nginx.pid; error_log $WORK/error.log; worker_processes 2;"
        echo "events { worker_connections 4096; }"
        echo "http {"
        echo "  access_log off; types { application/rss+xml xml; } default_type application/rss+xml;"
        echo "  gzip on; gzip_types application/rss+xml; gzip_min_length 256; etag on; keepalive_requests 10000;"
        echo "  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;"
        echo "  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;"
        echo "  server {"
        for ((h = 1; h <= HOSTS; h++)); do echo "    listen 127.0.0.$h:$PORT;"; done
        echo "    server_name _; root $WORK/www;"
        echo "  }"
        echo "}"
    } > "$WORK/nginx.conf"
    nginx -c "$WORK/nginx.conf"
}

url() { echo "http://127.0.0.$(($1 % HOSTS + 1)):$PORT/feed-$1.xml"; }
