#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: dependencies, build, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
swift build --build-tests
scripts/check-unit.sh "$PWD/.build/debug/feedwatch"
swift test
