#!/usr/bin/env bash
# The news-stream measure split by outlet (docs/classifier.md, "Generalization"): ../shared/eval/news-dev.jsonl
# into half A and half B by feed, each scored with `feedwatch eval`, so rules written on one half can be
# judged on the other. The halves are written to a temporary folder, never beside the shared data.
#   scripts/eval-split.sh [FEEDWATCH_BINARY] [eval options, e.g. --config FILE --errors]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/feedwatch}
shift || true
src=../shared/eval/news-dev.jsonl
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Half B's feeds (the ids name them); everything else is half A.
b='perplexity_hub|the_batch|ft-home|wsj_econ|w3stling|16dc10cf98d1ee82|5da3b20f957be51d|iraqinews|ar:saudinewsnet|ar:ant-bbc|ar:ant-france24'
grep -vE "\"id\": \"[^\"]*($b)" "$src" > "$dir/A.jsonl"
grep -E "\"id\": \"[^\"]*($b)" "$src" > "$dir/B.jsonl"
for half in A B; do
    echo "== half $half: $(wc -l < "$dir/$half.jsonl") items"
    "$bin" eval --no-misses "$@" "$dir/$half.jsonl" | sed -n '2,4p'
done
