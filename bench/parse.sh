#!/usr/bin/env bash
# Parser throughput against xmllint on the same files (release build).
#   bench/parse.sh [DIR...]      default: ../shared/corpus/real
# Prints our best-of-N time, MB/s and entries/s, then xmllint --noout's best-of-N time over the same
# files in one process, and the ratio. Target (issue 2): no more than 2x xmllint.
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(../shared/corpus/real)
swift build -c release --product feedwatch-bench >/dev/null
ours=$(.build/release/feedwatch-bench --rounds 7 "${dirs[@]}")
echo "$ours"
mapfile -t files < <(find "${dirs[@]}" -type f | sort)
best=""
for _ in 1 2 3 4 5 6 7; do
    start=$(date +%s%N)
    xmllint --noout --nonet "${files[@]}" >/dev/null 2>&1 || true
    t=$(( ($(date +%s%N) - start) / 1000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done
echo "xmllint --noout --nonet, same files, one process: best of 7: $(awk "BEGIN{printf \"%.1f\", $best/1000}") ms"
ms=$(echo "$ours" | sed -n 's/.*rounds: \([0-9.]*\) ms.*/\1/p')
awk "BEGIN{printf \"ratio ours/xmllint: %.2fx\n\", $ms/($best/1000)}"
