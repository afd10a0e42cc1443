#!/usr/bin/env bash
# Checks deploy/feedwatch.service the way CI must (reliability.md §7.1):
#  - `systemd-analyze verify` prints nothing (it reports unknown keys as warnings with exit 0, so any
#    output fails); ExecStart must point at an existing binary, so the built one stands in for it;
#  - `systemd-analyze security --offline=yes` exposure at most 2.0. systemd 252 compares --threshold
#    with the exposure times ten, so exposure 2.0 is --threshold=20.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-$PWD/.build/debug/feedwatch}
unit=$(mktemp -d)/feedwatch.service
sed "s#/usr/local/bin/feedwatch#$binary#" deploy/feedwatch.service > "$unit"
out=$(systemd-analyze verify --man=no "$unit" 2>&1 || true)
if [ -n "$out" ]; then echo "systemd-analyze verify:"; echo "$out"; exit 1; fi
systemd-analyze security --offline=yes --threshold=20 "$unit" | tail -1
echo "unit ok: verify clean, exposure within 2.0"
