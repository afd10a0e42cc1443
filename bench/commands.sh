#!/usr/bin/env bash
# The commands around the library, as users run them (release build, whole process, both cores):
#   - `feedwatch parse` over ../shared/corpus/real against `xmllint --noout --nonet` on the same files;
#   - `feedwatch classify` over JSON Lines on stdin: the natural stream and the labeled headlines,
#     repeated COPIES times (default 60: 210,240 lines, 150 MB), output to /dev/null; then the headline
#     set alone, repeated HEADLINE_COPIES times (default 1,000: 198,000 lines).
# Each is run ROUNDS times (default 5); prints every time, the best and the median, and items/s.
#   bench/commands.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
copies=${COPIES:-60}
# The binary deploy/install.sh installs (FEEDWATCH_BIN: another one, side by side).
bin=${FEEDWATCH_BIN:-$(scripts/release-build.sh --quiet)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs "$@" $rounds times; prints the times and leaves "best median" (seconds) in $stats.
timed() {
    local times=()
    for _ in $(seq "$rounds"); do
        local start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        times+=($(( ($(date +%s%N) - start) / 1000000 )))
    done
    stats=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.3f %.3f", a[1]/1000, a[int((NR+1)/2)]/1000}')
    echo "  runs (ms): ${times[*]}"
}

echo "feedwatch parse ../shared/corpus/real (whole process)"
timed "$bin" parse ../shared/corpus/real
read -r parse_best parse_median <<<"$stats"
mapfile -t files < <(find ../shared/corpus/real -type f | sort)
echo "xmllint --noout --nonet, same files, one process"
timed xmllint --noout --nonet "${files[@]}"
read -r xml_best xml_median <<<"$stats"
awk "BEGIN{printf \"parse: best %.3f s, median %.3f s; xmllint best %.3f s, median %.3f s; ratio of medians %.2fx\n\", \
    $parse_best, $parse_median, $xml_best, $xml_median, $parse_median/$xml_median}"

for _ in $(seq "$copies"); do
    cat ../shared/eval/natural-dev.jsonl ../shared/eval/headlines-dev.jsonl
done >"$work/items.jsonl"
items=$(wc -l <"$work/items.jsonl")
echo "feedwatch classify < $items JSON Lines (natural stream + headlines)"
classify() { "$bin" classify <"$work/items.jsonl"; }
timed classify
read -r cls_best cls_median <<<"$stats"
awk "BEGIN{printf \"classify: best %.3f s (%d items/s), median %.3f s (%d items/s)\n\", \
    $cls_best, $items/$cls_best, $cls_median, $items/$cls_median}"

# The headline set alone, repeated (issue 28's measure): labeled headlines with their summaries, 198
# lines, HEADLINE_COPIES times (default 1,000: 198,000 items).
for _ in $(seq "${HEADLINE_COPIES:-1000}"); do cat ../shared/eval/headlines-dev.jsonl; done >"$work/headlines.jsonl"
hl_items=$(wc -l <"$work/headlines.jsonl")
echo "feedwatch classify < $hl_items JSON Lines (the headline set, repeated)"
classify_headlines() { "$bin" classify <"$work/headlines.jsonl"; }
timed classify_headlines
read -r hl_best hl_median <<<"$stats"
awk "BEGIN{printf \"classify, headlines: best %.3f s (%d items/s), median %.3f s (%d items/s)\n\", \
    $hl_best, $hl_items/$hl_best, $hl_median, $hl_items/$hl_median}"
