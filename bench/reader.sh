#!/usr/bin/env bash
# The reader page (issue 26) over a large spool: ALERTS alert files (default 100,000; real English and
# Arabic headlines, bench/reader_spool.py) under a release `feedwatch run` with its listener on
# loopback. Prints the time of the first `GET /` right after start (it waits for the warm-up that
# reads every file), then, median and worst of ROUNDS: the list, a filtered list, an Arabic word
# search, a deep page, the JSON list, an alert page, the list right after each new alert file; then
# `feedwatch alerts list` over the same spool, and the daemon's peak RSS. The issue's target: the list
# answers in under 200 ms with 100,000 alerts.
#   bench/reader.sh                          ALERTS=100000 ROUNDS=20
#   FEEDWATCH_BIN=/path/feedwatch bench/reader.sh   measures that binary instead of the release build
set -euo pipefail
cd "$(dirname "$0")/.."
ALERTS=${ALERTS:-100000}
ROUNDS=${ROUNDS:-20}
NEWS=${NEWS:-../shared/eval/news-dev.jsonl}
PORT=${PORT:-18190}

if [ -z "${FEEDWATCH_BIN:-}" ]; then
    swift build -c release --product feedwatch >&2
    FEEDWATCH_BIN=.build/release/feedwatch
fi
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "writing $ALERTS alert files…" >&2
python3 bench/reader_spool.py "$work/spool" "$ALERTS" "$NEWS"
cat > "$work/feedwatch.yaml" <<YAML
state_dir: $work/state
spool_dir: $work/spool
log_file: $work/alerts.log
http:
  listen: "127.0.0.1:$PORT"
feeds:
  - url: file:$PWD/Tests/Fixtures/reader/english.xml
YAML
"$FEEDWATCH_BIN" run --config "$work/feedwatch.yaml" 2>"$work/run.log" &
pid=$!
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done
base="http://127.0.0.1:$PORT"
# Milliseconds of one GET.
ms() { curl -s -o /dev/null -w '%{time_total}\n' "$1" | awk '{printf "%.1f\n", $1 * 1000}'; }
# Median and worst of ROUNDS GETs.
rounds() {
    for _ in $(seq "$ROUNDS"); do ms "$1"; done | sort -n | awk '{a[NR]=$1} END {printf "median %6.1f ms  worst %6.1f ms\n", a[int((NR+1)/2)], a[NR]}'
}
printf "%-44s %s ms\n" "GET / first, right after start" "$(ms "$base/")"
printf '%-44s %s\n' "GET / warm" "$(rounds "$base/")"
printf '%-44s %s\n' "GET /?topic=gold-prices&state=all" "$(rounds "$base/?topic=gold-prices&state=all")"
printf '%-44s %s\n' "GET /?q=الذهب (search)" "$(rounds "$base/?q=%D8%A7%D9%84%D8%B0%D9%87%D8%A8")"
printf '%-44s %s\n' "GET /?page=1000" "$(rounds "$base/?page=1000")"
printf '%-44s %s\n' "GET /api/alerts?per_page=100" "$(rounds "$base/api/alerts?per_page=100")"
one=$(ls "$work/spool/new" | tail -1 | cut -d. -f2)
printf '%-44s %s\n' "GET /alerts/<id>" "$(rounds "$base/alerts/$one")"
# A new alert file: the next list reads the directories again (and only the new file).
changed=$(for _ in $(seq "$ROUNDS"); do
    f=$(ls "$work/spool/new" | head -1)
    cp "$work/spool/new/$f" "$work/spool/new/$(date +%s).$(openssl rand -hex 16).json"
    ms "$base/"
done | sort -n | awk '{a[NR]=$1} END {printf "median %6.1f ms  worst %6.1f ms\n", a[int((NR+1)/2)], a[NR]}')
printf '%-44s %s\n' "GET / after each new alert file" "$changed"
# The command beside it: `feedwatch alerts list` reads every file on each run.
start=$(date +%s%N)
"$FEEDWATCH_BIN" alerts list --config "$work/feedwatch.yaml" >/dev/null
printf '%-44s %s ms\n' "feedwatch alerts list (same spool, for scale)" "$(( ($(date +%s%N) - start) / 1000000 ))"
printf "%-44s %s MB, now %s MB\n" "daemon peak RSS" "$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)" "$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status)"
