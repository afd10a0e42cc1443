#!/usr/bin/env bash
# Where the cold cycle's CPU goes (issue 28): one release `feedwatch once`, default settings, over N
# feeds (default 1,000 copies of ../shared/corpus/real on 200 loopback hosts, nginx with gzip, as
# bench/scale.sh serves them), sampled by perf with DWARF call graphs. Each sample counts for the stage
# whose code is nearest the leaf of its stack (bench/profile_stages.py), so the runtime work a stage
# causes (retain/release, allocation) counts for it. Then a second cold run under strace counts the
# fsyncs, and the floors beside the stages are measured on the same documents:
#   parse      xmllint --noout over the same N files in one process (libxml2's own speed)
#   decompress gzip -d of the same N files, gzipped as nginx sends them
#   classify   the items at 150,000 items/s (the issue's target for the classify CLI)
#   fetch      curl --parallel fetching the same N URLs with compression, to /dev/null
#   bench/profile.sh [N]      needs root for apt-get (nginx, linux-perf, strace) and for perf
#   UNCHANGED=1 bench/profile.sh 10000   then the same for an unchanged cycle (every feed answers 304),
#                             with the fsyncs of that cycle
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
PORT=18093
HOSTS=200
FREQ=1999
WORK=$(mktemp -d /tmp/feedwatch-profile.XXXXXX)
trap '[ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT
for pkg in nginx linux-perf strace libxml2-utils curl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
done
# shellcheck source=bench/serve-feeds.sh
. bench/serve-feeds.sh
serve_feeds "$N"
if [ -n "${FEEDWATCH_BIN:-}" ]; then BIN=$FEEDWATCH_BIN; else
    BIN=$(scripts/release-build.sh --quiet)  # the binary deploy/install.sh installs
fi
config() {
    mkdir -p "$1"
    {
        echo "state_dir: $1/state"; echo "spool_dir: $1/spool"; echo "log_file: $1/alerts.log"
        echo "fetch:"; echo "  allow_private_networks: true"; echo "feeds:"
        for ((i = 0; i < N; i++)); do echo "  - url: $(url "$i")"; done
    } > "$1/feedwatch.yaml"
}

config "$WORK/a"
start=$(date +%s.%N)
perf record -q -F "$FREQ" --call-graph dwarf,32768 -o "$WORK/perf.data" -- "$BIN" once --config "$WORK/a/feedwatch.yaml" >"$WORK/once.out" 2>/dev/null || true
wall=$(echo "$(date +%s.%N) - $start" | bc)
items=$(grep -o '[0-9]* new' "$WORK/once.out" | awk '{s += $1} END {print s}')
echo "feedwatch once, cold, $N feeds on $HOSTS hosts: $(printf '%.2f' "$wall") s wall under perf, $items items, $(find "$WORK/a/spool/new" -type f | wc -l) alert files"
echo
perf script -i "$WORK/perf.data" -F tid,ip,sym,dso 2>/dev/null | python3 bench/profile_stages.py "$FREQ"

config "$WORK/b"
strace -f -c -e trace=fsync,fdatasync -o "$WORK/strace.txt" "$BIN" once --config "$WORK/b/feedwatch.yaml" >/dev/null 2>&1 || true
echo
echo "fsyncs in a cold cycle: $(awk '/fsync|fdatasync/ {s += $4} END {print s + 0}' "$WORK/strace.txt")"

echo
echo "floors on the same $N documents:"
cpu() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.2f", $1 + $2}'; }
echo "  parse (xmllint --noout, one process):   $(cpu xmllint --noout --nonet "$WORK"/www/feed-*.xml) s CPU"
mkdir -p "$WORK/gz"
for f in "$WORK"/www/feed-*.xml; do gzip -6 -c "$f" > "$WORK/gz/$(basename "$f").gz"; done
echo "  decompress (gzip -d):                   $(cpu sh -c "cat $WORK/gz/*.gz | gzip -dc") s CPU"
echo "  classify ($items items at 150,000/s):   $(echo "scale=2; $items / 150000" | bc) s CPU"
for ((i = 0; i < N; i++)); do echo "url = \"$(url "$i")\""; echo "output = /dev/null"; done > "$WORK/curl.cfg"
echo "  fetch (curl --parallel, compressed):    $(cpu curl -s --parallel --parallel-max 16 --compressed -K "$WORK/curl.cfg") s CPU"

# The unchanged cycle: the cold state of run "b", polled again (every feed answers 304).
if [ "${UNCHANGED:-0}" = 1 ]; then
    start=$(date +%s.%N)
    perf record -q -F "$FREQ" --call-graph dwarf,32768 -o "$WORK/perf-304.data" -- "$BIN" once --config "$WORK/b/feedwatch.yaml" >/dev/null 2>&1 || true
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    echo
    echo "feedwatch once, unchanged, $N feeds: $(printf '%.2f' "$wall") s wall under perf"
    echo
    perf script -i "$WORK/perf-304.data" -F tid,ip,sym,dso 2>/dev/null | python3 bench/profile_stages.py "$FREQ"
    strace -f -c -e trace=fsync,fdatasync -o "$WORK/strace-304.txt" "$BIN" once --config "$WORK/b/feedwatch.yaml" >/dev/null 2>&1 || true
    echo
    echo "fsyncs in an unchanged cycle: $(awk '/fsync|fdatasync/ {s += $4} END {print s + 0}' "$WORK/strace-304.txt")"
fi
