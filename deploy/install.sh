#!/usr/bin/env bash
# Installs feedwatch as a systemd service: binary, unit, sysusers, tmpfiles, logrotate, sample feeds,
# documentation, and /etc/feedwatch/feedwatch.yaml (never overwritten). Idempotent. See usage() below.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    cat <<'USAGE'
Usage: deploy/install.sh [--prefix DIR] [--binary PATH] [--uninstall [--purge]]
       DESTDIR=/tmp/stage deploy/install.sh [...]    stage for a package; nothing is started

Installs feedwatch as a systemd service: the binary, its unit, sysusers and tmpfiles entries, the
logrotate rule, the sample feeds, the documentation and /etc/feedwatch/feedwatch.yaml (an existing
one is kept). Running it again changes nothing.

  --prefix DIR    where bin/ and share/ go (default /usr/local); with /usr, the unit goes to
                  /usr/lib/systemd/system (a package's place), else to /etc/systemd/system
  --binary PATH   install this feedwatch binary instead of building a release one
  --uninstall     remove what was installed; the configuration, state, spool and log stay
  --purge         with --uninstall: remove those too
  -h, --help      this text
USAGE
}

PREFIX=/usr/local
BINARY=""
UNINSTALL=0
PURGE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?}; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --binary) BINARY=${2:?}; shift 2 ;;
        --binary=*) BINARY=${1#*=}; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --purge) PURGE=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 64 ;;
    esac
done
D=${DESTDIR:-}
# A package (prefix /usr) puts its unit with the system's; a local install where the admin's go.
if [ "$PREFIX" = /usr ]; then UNITDIR=/usr/lib/systemd/system; else UNITDIR=/etc/systemd/system; fi
live() { [ -z "$D" ] && [ "$(id -u)" -eq 0 ] && [ -d /run/systemd/system ]; }

files=(
    "$PREFIX/bin/feedwatch"
    "$UNITDIR/feedwatch.service"
    "/usr/lib/sysusers.d/feedwatch.conf"
    "/usr/lib/tmpfiles.d/feedwatch.conf"
    "/etc/logrotate.d/feedwatch"
    "$PREFIX/share/feedwatch/seeds"
    "$PREFIX/share/doc/feedwatch"
    "$PREFIX/lib/feedwatch/sinks"
)

if [ "$UNINSTALL" -eq 1 ]; then
    if live; then systemctl disable --now feedwatch.service 2>/dev/null || true; fi
    for f in "${files[@]}"; do rm -rf "${D}${f}"; done
    rmdir "${D}$PREFIX/share/feedwatch" "${D}$PREFIX/lib/feedwatch" 2>/dev/null || true
    if [ "$PURGE" -eq 1 ]; then
        rm -rf "${D}/etc/feedwatch" "${D}/var/lib/feedwatch" "${D}/var/spool/feedwatch" "${D}/var/log/feedwatch"
    fi
    if live; then systemctl daemon-reload; fi
    if [ "$PURGE" -eq 1 ]; then echo "feedwatch removed, with its configuration, state, spool and log"
    else echo "feedwatch removed (configuration, state, spool and log kept)"; fi
    exit 0
fi

if [ -z "$BINARY" ]; then
    scripts/deps.sh --run >/dev/null
    # A service may become a node of a cluster (state_url): built with PostgreSQL support. The first
    # release build takes a while (SwiftNIO, PostgresNIO, BoringSSL): its progress is shown.
    echo "install.sh: building a release feedwatch with PostgreSQL support, its Swift runtime linked in (the first build takes 15 minutes or more on 2 cores)" >&2
    BINARY=$(scripts/release-build.sh)
fi
[ -x "$BINARY" ] || { echo "install.sh: $BINARY is not an executable" >&2; exit 66; }

install -D -m 0755 "$BINARY" "${D}$PREFIX/bin/feedwatch"
mkdir -p "${D}$UNITDIR"
sed "s#/usr/local/#$PREFIX/#g" deploy/feedwatch.service > "${D}$UNITDIR/feedwatch.service.tmp"
chmod 0644 "${D}$UNITDIR/feedwatch.service.tmp"
mv "${D}$UNITDIR/feedwatch.service.tmp" "${D}$UNITDIR/feedwatch.service"
install -D -m 0644 deploy/sysusers.d/feedwatch.conf "${D}/usr/lib/sysusers.d/feedwatch.conf"
install -D -m 0644 deploy/tmpfiles.d/feedwatch.conf "${D}/usr/lib/tmpfiles.d/feedwatch.conf"
install -D -m 0644 deploy/logrotate/feedwatch "${D}/etc/logrotate.d/feedwatch"
for f in seeds/*.xml seeds/*.atom seeds/*.rss; do install -D -m 0644 "$f" "${D}$PREFIX/share/feedwatch/seeds/$(basename "$f")"; done
for f in deploy/sinks/*.sh; do install -D -m 0755 "$f" "${D}$PREFIX/lib/feedwatch/sinks/$(basename "$f")"; done
install -D -m 0644 README.md "${D}$PREFIX/share/doc/feedwatch/README.md"
install -D -m 0644 config/README.md "${D}$PREFIX/share/doc/feedwatch/config/README.md"
# Every page, in the repository's layout, so the references between them hold once installed.
for f in docs/*.md; do install -D -m 0644 "$f" "${D}$PREFIX/share/doc/feedwatch/$f"; done
if [ -e "${D}/etc/feedwatch/feedwatch.yaml" ]; then
    echo "keeping the existing ${D}/etc/feedwatch/feedwatch.yaml"
else
    mkdir -p "${D}/etc/feedwatch"
    sed "s#@PREFIX@#$PREFIX#g" deploy/feedwatch.yaml > "${D}/etc/feedwatch/feedwatch.yaml"
    chmod 0640 "${D}/etc/feedwatch/feedwatch.yaml"
fi

if live; then
    systemd-sysusers /usr/lib/sysusers.d/feedwatch.conf
    systemd-tmpfiles --create /usr/lib/tmpfiles.d/feedwatch.conf
    chgrp feedwatch /etc/feedwatch/feedwatch.yaml
    systemctl daemon-reload
    echo "installed; start with: systemctl enable --now feedwatch"
else
    echo "installed into ${D:-/} (prefix $PREFIX); nothing started"
fi
