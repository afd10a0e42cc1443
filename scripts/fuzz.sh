#!/usr/bin/env bash
# Fuzzes the parsers with libFuzzer and AddressSanitizer (both ship with the Swift toolchain).
#   scripts/fuzz.sh [SECONDS]     each target runs SECONDS (default 60); CI runs a few seconds each
#   FUZZ_TARGETS="FuzzFeedParser FuzzConfig" scripts/fuzz.sh 600   only those targets
# Targets: the feed parser (XML and JSON Feed), the date parser, HTML-to-text, the configuration loader and the
# WebSub callback's own parsing (Link header, X-Hub-Signature; HTTP itself is SwiftNIO's, fuzzed upstream), each seeded
# from ../shared/corpus (read only; new inputs go to a working corpus under .build-fuzz/corpus/).
# Prints one line per target, `TARGET: N execs, C crashes`, and exits 1 on a crash, leaving the
# reproducer in .build-fuzz/artifacts/ (replay: .build-fuzz/debug/TARGET FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
scratch=.build-fuzz
export FEEDWATCH_FUZZ=1
swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
    --product FuzzFeedParser >/dev/null
for t in FuzzDates FuzzHTMLText FuzzConfig FuzzWebSub; do
    swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --product "$t" >/dev/null
done

# Seeds: whole documents for the feed parser; dates, HTML and YAML for the others. (`head` closes its
# pipe early on purpose, so these pipelines run without pipefail.)
set +o pipefail
seeds=$scratch/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{FuzzFeedParser,FuzzDates,FuzzHTMLText,FuzzConfig,FuzzWebSub} "$scratch/artifacts"
# XML first, then every JSON Feed (the parser tells them apart by their first byte).
{ find ../shared/corpus/real ../shared/corpus/feedparser -type f -size -64k | head -400
  find ../shared/corpus/jsonfeed -name '*.json' -size -64k; } | while read -r f; do
    cp "$f" "$seeds/FuzzFeedParser/$(echo "$f" | md5sum | cut -c1-16)"
done
grep -rhoE '<(pubDate|published|updated|dc:date)>[^<]{4,60}<' ../shared/corpus/real | sed -E 's/^<[^>]+>//; s/<$//' \
    | sort -u | head -300 | split -l 1 - "$seeds/FuzzDates/d"
grep -rhoE '<description>[^<]{0,400}' ../shared/corpus/real | sed -E 's/^<description>//' | sort -u | head -300 \
    | split -l 1 - "$seeds/FuzzHTMLText/h"
set -o pipefail
cp config/feedwatch.yaml "$seeds/FuzzConfig/sample.yaml"
cp deploy/feedwatch.yaml "$seeds/FuzzConfig/system.yaml"
cp config/topics.yaml "$seeds/FuzzConfig/topics.yaml"
# WebSub callbacks: a Link header, an X-Hub-Signature, then the pushed body (FuzzWebSub/main.swift).
printf '<https://hub.test/>; rel="hub", <https://a.test/feed>; rel="self"\nsha256=%s\n<rss/>' \
    "$(printf '<rss/>' | openssl dgst -sha256 -hmac secret | sed 's/.*= //')" >"$seeds/FuzzWebSub/signed"
printf '<a>;rel=hub self;rel="x y",<b>; REL = "hub"\nsha1=zz\n' >"$seeds/FuzzWebSub/odd"

failed=0
for t in ${FUZZ_TARGETS:-FuzzFeedParser FuzzDates FuzzHTMLText FuzzConfig FuzzWebSub}; do
    corpus=$scratch/corpus/$t
    mkdir -p "$corpus"
    log=$scratch/$t.log
    set +e
    "$scratch/debug/$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$scratch/artifacts/$t-" -print_final_stats=1 "$corpus" "$seeds/$t" >"$log" 2>&1
    status=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    crashes=$(ls "$scratch/artifacts" 2>/dev/null | grep -c "^$t-" || true)
    echo "$t: ${execs:-0} execs, $crashes crashes"
    if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        failed=1
        echo "  see $log; reproducer(s): $(ls "$scratch"/artifacts/"$t"-* 2>/dev/null | tr '\n' ' ')" >&2
        tail -30 "$log" >&2
    fi
done
exit $failed
