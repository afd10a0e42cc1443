#!/usr/bin/env bash
# The reader page's screenshots in docs/images (README, docs/reader.md): a spool made by `feedwatch once`
# from the demo feeds of Tests/Fixtures/reader (Arabic and English market and AI headlines, one story
# reported twice), served by `feedwatch run`, photographed by headless Chromium in Arabic and English.
# Needs what `scripts/deps.sh --browser` installs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FEEDWATCH_BIN:-.build/debug/feedwatch}
[ -x "$BIN" ] || swift build --product feedwatch
PORT=${PORT:-18192}
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fixtures=$PWD/Tests/Fixtures/reader
cat > "$work/feedwatch.yaml" <<YAML
state_dir: $work/state
spool_dir: $work/spool
log_file: $work/alerts.log
http:
  listen: "127.0.0.1:$PORT"
alerts:
  max_age: 0
feeds:
  - {url: "file:$fixtures/demo-ar.xml", name: "اقتصاد اليوم"}
  - {url: "file:$fixtures/demo-en.xml", name: Markets Wire}
  - {url: "file:$fixtures/demo-en2.xml", name: Business Daily}
YAML
"$BIN" once --config "$work/feedwatch.yaml" >/dev/null 2>&1
"$BIN" run --config "$work/feedwatch.yaml" 2>"$work/run.log" &
pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
alert=$(grep -l 'أوبن إيه آي' "$work"/spool/new/*.json | head -1 | xargs basename | cut -d. -f2)
mkdir -p docs/images
HOME=$work /usr/bin/python3 "$fixtures/screenshots.py" "http://127.0.0.1:$PORT" docs/images "$alert"
ls -l docs/images/reader-*.png
