#!/usr/bin/env bash
# Installs feedwatch as a systemd service: binary, unit, sysusers, tmpfiles, logrotate, sample feeds,
# documentation, and /etc/feedwatch/feedwatch.yaml (never overwritten). Idempotent.
#
#   deploy/install.sh [--prefix DIR] [--binary PATH] [--uninstall [--purge]]
#   DESTDIR=/tmp/stage deploy/install.sh        # stage for a package; nothing is started
#
# --prefix DIR   where bin/ and share/ go (default /usr/local)
# --binary PATH  install this feedwatch binary instead of building a release one
# --uninstall    remove what was installed (configuration, state, spool and log stay unless --purge)
set -euo pipefail
cd "$(dirname "$0")/.."

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
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 64 ;;
    esac
done
D=${DESTDIR:-}
live() { [ -z "$D" ] && [ "$(id -u)" -eq 0 ] && [ -d /run/systemd/system ]; }

files=(
    "$PREFIX/bin/feedwatch"
    "/etc/systemd/system/feedwatch.service"
    "/usr/lib/sysusers.d/feedwatch.conf"
    "/usr/lib/tmpfiles.d/feedwatch.conf"
    "/etc/logrotate.d/feedwatch"
    "$PREFIX/share/feedwatch/seeds"
    "$PREFIX/share/doc/feedwatch"
)

if [ "$UNINSTALL" -eq 1 ]; then
    if live; then systemctl disable --now feedwatch.service 2>/dev/null || true; fi
    for f in "${files[@]}"; do rm -rf "${D}${f}"; done
    rmdir "${D}$PREFIX/share/feedwatch" 2>/dev/null || true
    if [ "$PURGE" -eq 1 ]; then
        rm -rf "${D}/etc/feedwatch" "${D}/var/lib/feedwatch" "${D}/var/spool/feedwatch" "${D}/var/log/feedwatch"
    fi
    if live; then systemctl daemon-reload; fi
    if [ "$PURGE" -eq 1 ]; then echo "feedwatch removed, with its configuration, state, spool and log"
    else echo "feedwatch removed (configuration, state, spool and log kept)"; fi
    exit 0
fi

if [ -z "$BINARY" ]; then
    scripts/deps.sh >/dev/null
    swift build -c release --product feedwatch >/dev/null
    BINARY=.build/release/feedwatch
fi
[ -x "$BINARY" ] || { echo "install.sh: $BINARY is not an executable" >&2; exit 66; }

install -D -m 0755 "$BINARY" "${D}$PREFIX/bin/feedwatch"
mkdir -p "${D}/etc/systemd/system"
sed "s#/usr/local/#$PREFIX/#g" deploy/feedwatch.service > "${D}/etc/systemd/system/feedwatch.service.tmp"
chmod 0644 "${D}/etc/systemd/system/feedwatch.service.tmp"
mv "${D}/etc/systemd/system/feedwatch.service.tmp" "${D}/etc/systemd/system/feedwatch.service"
install -D -m 0644 deploy/sysusers.d/feedwatch.conf "${D}/usr/lib/sysusers.d/feedwatch.conf"
install -D -m 0644 deploy/tmpfiles.d/feedwatch.conf "${D}/usr/lib/tmpfiles.d/feedwatch.conf"
install -D -m 0644 deploy/logrotate/feedwatch "${D}/etc/logrotate.d/feedwatch"
for f in seeds/*.xml seeds/*.atom seeds/*.rss; do install -D -m 0644 "$f" "${D}$PREFIX/share/feedwatch/seeds/$(basename "$f")"; done
install -D -m 0644 README.md "${D}$PREFIX/share/doc/feedwatch/README.md"
install -D -m 0644 config/README.md "${D}$PREFIX/share/doc/feedwatch/config/README.md"
install -D -m 0644 docs/daemon.md "${D}$PREFIX/share/doc/feedwatch/daemon.md"
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
