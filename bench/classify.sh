#!/usr/bin/env bash
# Classification throughput on one core (release build): the labeled dev headlines repeated to
# 200,000 items (title + summary each), classified against the built-in topics.
#   bench/classify.sh [FILE.jsonl] [--items N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product feedwatch-bench >/dev/null
exec taskset -c 0 .build/release/feedwatch-bench classify "${@:-../shared/eval/headlines-dev.jsonl}"
