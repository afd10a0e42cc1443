#!/usr/bin/env bash
# The commands around the library, as users run them (release build, whole process, both cores):
#   - `feedwatch parse` over ../shared/corpus/real against `xmllint --noout --nonet` on the same files,
#     alternating run by run;
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

# parse and xmllint alternate, run by run: this shared machine's speed drifts from minute to minute, and
# two blocks of runs taken a minute apart gave ratios from 0.98x to 1.46x. Each pair runs within a few
# hundred milliseconds, so the median of the pairs' ratios is the figure that holds still.
mapfile -t files < <(find ../shared/corpus/real -type f | sort)
echo "feedwatch parse ../shared/corpus/real (whole process) and xmllint --noout --nonet over the same files, alternating"
ours=()
theirs=()
ratios=()
for _ in $(seq "$rounds"); do
    start=$(date +%s%N)
    "$bin" parse ../shared/corpus/real >/dev/null 2>&1 || true
    a=$(( ($(date +%s%N) - start) / 1000 ))
    start=$(date +%s%N)
    xmllint --noout --nonet "${files[@]}" >/dev/null 2>&1 || true
    b=$(( ($(date +%s%N) - start) / 1000 ))
    ours+=($((a / 1000)))
    theirs+=($((b / 1000)))
    ratios+=("$(awk "BEGIN{printf \"%.3f\", $a/$b}")")
done
echo "  feedwatch (ms): ${ours[*]}"
echo "  xmllint (ms):   ${theirs[*]}"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
echo "parse: median $(median "${ours[@]}") ms, best $(printf '%s\n' "${ours[@]}" | sort -n | head -1) ms;" \
    "xmllint median $(median "${theirs[@]}") ms; median of the pairs' ratios $(median "${ratios[@]}")x"

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
