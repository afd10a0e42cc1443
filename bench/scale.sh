#!/usr/bin/env bash
# The daemon's data path at scale (issue "The data path at scale"), on the path users run: the release
# `feedwatch once` with default settings (concurrency 16, 2 per host), over N feeds (copies of
# ../shared/corpus/real) served by a local nginx with ETag/Last-Modified, gzip and keep-alive, on 200
# loopback addresses (127.0.0.1 … 127.0.0.200), so there are far more hosts than transfer slots.
# For each N: a cold cycle (fresh state: fetch, parse, classify, commit, deliver) and an unchanged cycle
# (every feed answers 304), wall time and peak RSS. Then newsboat over the same 1,000 URLs for reference,
# and a `feedwatch run` soak: 1,000 feeds every 30 s (adaptive: false) for SOAK seconds (default 240), resident memory
# after the first cycle and at the end.
#   bench/scale.sh [N...]          default: 1000 10000; needs root for apt-get (nginx, newsboat, time)
#   SOAK=0 bench/scale.sh 1000     skips the soak
#   FEEDWATCH_BIN=/path/feedwatch bench/scale.sh 1000   measures that binary instead
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-1000 10000}")
read -r -a SIZES <<< "${SIZES[*]}"
PORT=18090
HOSTS=200
WORK=$(mktemp -d /tmp/feedwatch-scale.XXXXXX)
trap '[ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

for pkg in nginx newsboat time; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done

MAX=0
for n in "${SIZES[@]}"; do [ "$n" -gt "$MAX" ] && MAX=$n; done
# shellcheck source=bench/serve-feeds.sh
. bench/serve-feeds.sh
serve_feeds "$MAX"

# FEEDWATCH_BIN: another build to measure (an older one, side by side); else the release build that
# deploy/install.sh installs (scripts/release-build.sh).
if [ -n "${FEEDWATCH_BIN:-}" ]; then
    BIN=$FEEDWATCH_BIN
else
    BIN=$(scripts/release-build.sh --quiet)  # the binary deploy/install.sh installs
fi

# Prints "<seconds> s, <peak RSS> MB, exit <code>" for one `feedwatch once`.
once() {
    local cfg=$1 out
    out=$( { /usr/bin/time -f '%e %M' "$BIN" once --config "$cfg" >/dev/null 2>"$WORK/once.err"; echo "exit $?"; } 2>&1 )
    local code times
    code=$(echo "$out" | grep -o 'exit [0-9]*' | tail -1)
    times=$(tail -1 "$WORK/once.err")
    echo "$(echo "$times" | awk '{printf "%.2f s, %d MB", $1, $2 / 1024}'), $code"
}

# A configuration in DIR for the first N feeds, default settings plus any extra top-level YAML lines.
write_config() {
    local dir=$1 n=$2
    shift 2
    mkdir -p "$dir"
    {
        echo "state_dir: $dir/state"
        echo "spool_dir: $dir/spool"
        echo "log_file: $dir/alerts.log"
        echo "fetch:"
        echo "  allow_private_networks: true"
        for line in "$@"; do echo "$line"; done
        echo "feeds:"
        for ((i = 0; i < n; i++)); do echo "  - url: $(url "$i")"; done
    } > "$dir/feedwatch.yaml"
}

for n in "${SIZES[@]}"; do
    dir="$WORK/run-$n"
    write_config "$dir" "$n"
    echo "feedwatch once, $n feeds on $HOSTS hosts, default settings:"
    echo "  cold:      $(once "$dir/feedwatch.yaml")   ($(find "$dir/spool/new" -type f | wc -l) alert files)"
    echo "  unchanged: $(once "$dir/feedwatch.yaml")"
    echo "  unchanged: $(once "$dir/feedwatch.yaml")"
done

# newsboat over the same first 1,000 URLs, with its default reload threads and then 16.
for ((i = 0; i < 1000 && i < MAX; i++)); do url "$i"; done > "$WORK/newsboat-urls"
for threads in 1 16; do
    printf 'reload-threads %s\nshow-read-feeds yes\n' "$threads" > "$WORK/newsboat-config"
    rm -f "$WORK/newsboat-cache.db"
    for run in cold again; do
        start=$(date +%s.%N)
        newsboat -x reload -u "$WORK/newsboat-urls" -c "$WORK/newsboat-cache.db" -C "$WORK/newsboat-config" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        echo "newsboat $(newsboat -v 2>/dev/null | head -1 | awk '{print $2}'), 1000 feeds, reload-threads $threads, $run: $(echo "$end - $start" | bc) s"
    done
done

# The soak: `run` over the first 1,000 feeds, interval 30 s, fresh state.
SOAK=${SOAK:-240}
if [ "$SOAK" -gt 0 ]; then
    dir="$WORK/soak"
    write_config "$dir" "$((MAX < 1000 ? MAX : 1000))" "schedule:" "  interval: 30s" "  min_interval: 30s" "  adaptive: false"
    "$BIN" run --config "$dir/feedwatch.yaml" 2>"$dir/run.err" &
    pid=$!
    rss() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$pid/status"; }
    # First polls are spread at 16 a second (about 63 s for 1,000), then one interval.
    sleep 95
    first=$(rss)
    sleep $((SOAK > 95 ? SOAK - 95 : 0))
    last=$(rss)
    polls=$(sqlite3 "$dir/state/state.sqlite" "SELECT sum(polls) FROM feed" 2>/dev/null || echo "?")
    kill -TERM "$pid"; wait "$pid" || true
    growth=$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }')
    echo "feedwatch run, 1000 feeds every 30 s for ${SOAK} s ($polls polls): RSS ${first} MB after the first cycle," \
         "${last} MB at the end ($growth)"
fi
