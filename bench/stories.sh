#!/usr/bin/env bash
# The story stage (release build): every merge over the corpus items and the labeled headlines as if all
# arrived within one story window, then the stage's cost per item with 10,000 stories open.
#   bench/stories.sh            the merges (long: one block per merge), the counts, then the cost
#   bench/stories.sh --near     also every rejected candidate with half its title words shared, and why
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product feedwatch-bench >/dev/null
files=(../shared/eval/natural-dev.jsonl ../shared/eval/headlines-dev.jsonl)
.build/release/feedwatch-bench stories-eval "$@" "${files[@]}"
exec taskset -c 0 .build/release/feedwatch-bench stories-cost "${files[@]}"
