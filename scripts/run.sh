#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: dependencies, build, then the daemon on the default
# configuration (config/feedwatch.yaml), which watches the sample feeds in seeds/. Alert files appear
# in ./var/spool/new within seconds and a line each in ./var/log/alerts.log; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDWATCH_SKIP_PYTHON=1 scripts/deps.sh
swift build --product feedwatch
exec .build/debug/feedwatch run --config config/feedwatch.yaml "$@"
