#!/usr/bin/env bash
# Installs what feedwatch needs to build and test on Debian 12, only when something is missing:
# the libcurl and libxml2 development packages (and xmllint for the benchmark), PostgreSQL's server
# (the PostgreSQL state tests start a throwaway one), exim (mail.sh is tested through a real MTA:
# `exim4 -C <own config> -odi`, delivering to an mbox file, no daemon needed), promtool (from Debian's
# prometheus package, without its recommends: it checks what `GET /metrics` serves), and feedparser for
# the differential tests. With --browser, also headless Chromium, its driver and Selenium (Debian's
# chromium, chromium-driver and python3-selenium) for the reader page's browser tests. With --run, only
# what building and running need (scripts/run.sh): the libcurl, libxml2, SQLite and libcrypto development packages.
# Safe to run again; needs root (or sudo) only when it has to install.
set -euo pipefail

mode=${1:-}
need_apt=()
# What building and running need (`--run`, scripts/run.sh), then what the tests and benchmarks need.
packages=(libcurl4-openssl-dev libxml2-dev libsqlite3-dev libssl-dev pkg-config)
[ "$mode" = "--run" ] || packages+=(libxml2-utils brotli openssl sqlite3 systemd jq curl postgresql)
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
# Only where no other MTA provides sendmail: apt would remove postfix, nullmailer or msmtp-mta to make
# room for exim (scripts/test.sh requires the mail test; elsewhere it is skipped without /usr/sbin/exim4).
if [ "$mode" != "--run" ] && ! dpkg-query -W -f='${Status}' exim4-daemon-light 2>/dev/null | grep -q "install ok installed" \
    && ! [ -x /usr/sbin/exim4 ] && ! [ -e /usr/sbin/sendmail ]; then
    need_apt+=(exim4-daemon-light)
fi
if [ "$mode" = "--browser" ]; then
    for pkg in chromium chromium-driver python3-selenium fonts-dejavu-core; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
    done
fi
# promtool only: the prometheus package's recommends (exporters, web assets) are not needed.
need_bare=()
[ "$mode" = "--run" ] || command -v promtool >/dev/null 2>&1 || need_bare+=(prometheus)
if [ "${#need_apt[@]}" -gt 0 ] || [ "${#need_bare[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "installing: ${need_apt[*]} ${need_bare[*]}" >&2
    $SUDO apt-get update -qq
    # through env: sudo drops DEBIAN_FRONTEND, and exim4-config would ask its debconf questions
    if [ "${#need_apt[@]}" -gt 0 ]; then
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    fi
    if [ "${#need_bare[@]}" -gt 0 ]; then
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_bare[@]}" >/dev/null
    fi
fi

if [ "$mode" != "--run" ] && [ "${FEEDWATCH_SKIP_PYTHON:-0}" != 1 ] && ! python3 -c 'import feedparser' 2>/dev/null; then
    echo "installing: feedparser 6.0.x (pip)" >&2
    python3 -m pip install -q 'feedparser==6.0.*' || python3 -m pip install -q --break-system-packages 'feedparser==6.0.*'
fi
