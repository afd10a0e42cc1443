#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: dependencies, build, then parse the sample feeds.
# (Once the daemon lands this becomes `feedwatch run` on the default configuration.)
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDWATCH_SKIP_PYTHON=1 scripts/deps.sh
swift build --product feedwatch
.build/debug/feedwatch parse seeds/arabic-news.xml seeds/arabic-news-cp1256.xml seeds/tech-partnerships.atom \
    seeds/business-markets.rss "$@"
