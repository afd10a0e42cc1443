#!/bin/sh
# feedwatch exec sink → ntfy (https://ntfy.sh or your own server): one push per alert, the headline as
# the message, the topics as the title, the article as the click target.
#   sinks:
#     - name: phone
#       type: exec
#       command: ["/usr/local/lib/feedwatch/sinks/ntfy.sh", "https://ntfy.sh/my-feedwatch-topic"]
# Needs jq and curl. Exit status is curl's: feedwatch retries a failed push with back-off.
set -eu
url=$1
alert=$(cat)
title=$(printf '%s' "$alert" | jq -r '.entry.title // "(no title)"')
link=$(printf '%s' "$alert" | jq -r '.entry.link // empty')
set -- -fsS --max-time 20 -H "Title: feedwatch: ${FEEDWATCH_TOPICS:-alert}" -H "Tags: newspaper"
[ -n "$link" ] && set -- "$@" -H "Click: $link"
printf '%s' "$title" | curl "$@" --data-binary @- "$url" >/dev/null
