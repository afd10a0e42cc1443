#!/bin/sh
# feedwatch exec sink → mail, through the system's sendmail (postfix, exim, msmtp-mta, nullmailer…): one
# message per alert, the headline as the subject (RFC 2047, so Arabic headlines survive), the link,
# the summary and the alert id in the body.
#   sinks:
#     - name: mail
#       type: exec
#       command: ["/usr/local/lib/feedwatch/sinks/mail.sh", "you@example.org"]
# Needs jq. SENDMAIL overrides the sendmail path: give it in the sink's env: (exec sinks get only a
# minimal environment), e.g. env: {SENDMAIL: /usr/bin/msmtp}.
set -eu
to=$1
alert=$(cat)
field() { printf '%s' "$alert" | jq -r "$1 // empty"; }
title=$(field '.entry.title')
subject="=?UTF-8?B?$(printf '[feedwatch] %s' "${title:-alert}" | base64 -w0)?="
{
    printf 'To: %s\nSubject: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n' "$to" "$subject"
    printf '%s\n%s\n\n%s\n\ntopics: %s\nfeed: %s\nalert: %s\n' "$title" "$(field '.entry.link')" "$(field '.entry.summary')" \
        "${FEEDWATCH_TOPICS:-}" "$(field '.feed.title')" "${FEEDWATCH_ALERT_ID:-}"
} | "${SENDMAIL:-/usr/sbin/sendmail}" -t -i
