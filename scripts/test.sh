#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: dependencies, build, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --browser
# The code style (.swift-format) is part of the build: a file that does not follow it fails here.
swift format lint --strict -r Sources Tests bench Fuzz Package.swift
# Everything, PostgreSQL nodes included (the trait that scripts/run.sh's first build leaves out).
swift build --build-tests --traits PostgreSQL
scripts/check-unit.sh "$PWD/.build/debug/feedwatch"
# CI has PostgreSQL, exim and Chromium (deps.sh): their tests must run, never be skipped.
FEEDWATCH_REQUIRE_POSTGRES=1 FEEDWATCH_REQUIRE_MTA=1 FEEDWATCH_REQUIRE_BROWSER=1 swift test --traits PostgreSQL
# A fuzzing smoke: every libFuzzer target for a few seconds under AddressSanitizer (scripts/fuzz.sh).
scripts/fuzz.sh 5
