#!/usr/bin/env bash
# The release binary that deploy/install.sh installs and the benchmarks measure: PostgreSQL support
# (a service may become a node of a cluster) and the Swift runtime and Foundation linked in
# (--static-swift-stdlib), which starts every command about 5 ms sooner: 55 shared libraries' symbols
# were resolved at each start. It has its own scratch directory, .build-static, since SwiftPM cannot
# switch an existing build directory to a static runtime. Prints the binary's path on stdout.
#   scripts/release-build.sh [--quiet]
set -euo pipefail
cd "$(dirname "$0")/.."
progress=/dev/stderr
[ "${1:-}" = --quiet ] && progress=/dev/null
swift build -c release --static-swift-stdlib --scratch-path .build-static --product feedwatch --traits PostgreSQL >"$progress"
echo "$PWD/.build-static/release/feedwatch"
