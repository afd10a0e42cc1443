#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: what building and running need, the build, then the
# daemon in the foreground on config/local.yaml: your own copy of config/feedwatch.yaml (made on the
# first run, untracked), which watches the sample feeds in seeds/. Alert files appear in
# ./var/spool/new within seconds and a line each in ./var/log/alerts.log; Ctrl-C stops it.
# FEEDWATCH_CONFIG=path/to/other.yaml scripts/run.sh runs another configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --run
config=${FEEDWATCH_CONFIG:-config/local.yaml}
if [ "$config" = config/local.yaml ] && [ ! -e config/local.yaml ]; then
    cp config/feedwatch.yaml config/local.yaml
    echo "run.sh: config/local.yaml is your copy of config/feedwatch.yaml (untracked): edit it freely" >&2
fi
if [ ! -x .build/debug/feedwatch ]; then
    echo "run.sh: first build: it compiles SwiftNIO, GRDB and the other dependencies too (about 2 minutes on 2 cores once the packages are fetched; later builds take seconds)" >&2
fi
swift build --product feedwatch
exec .build/debug/feedwatch run --config "$config" "$@"
