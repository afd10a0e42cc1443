#!/bin/sh
# feedwatch exec sink → ntfy (https://ntfy.sh or your own server): one push per alert, the headline as
# the message, the topics as the title, the article as the click target. A digest (FEEDWATCH_KIND=
# digest) is one push too: the count and the first five headlines.
#   sinks:
#     - name: phone
#       type: exec
#       command: ["/usr/local/lib/feedwatch/sinks/ntfy.sh", "https://ntfy.sh/my-feedwatch-topic"]
# Needs jq and curl. Exit status is curl's: feedwatch retries a failed push with back-off.
# shellcheck disable=SC2016 # the single-quoted $ are jq's
set -eu
url=$1
alert=$(cat)
# The document's shape decides: a digest has a "digest" object, an alert file never has one.
if printf '%s' "$alert" | jq -e 'type == "object" and has("digest")' >/dev/null 2>&1; then
    # ntfy takes at most 4096 bytes of message: titles are clipped and the whole cut to 4000 bytes, on
    # character boundaries (jq slices by character, never inside one).
    message=$(printf '%s' "$alert" | jq -r '
        def clean: if type == "string" then gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" ") else "" end;
        def clip($n): if length > $n then .[0:$n] + "…" else . end;
        def bytes: [explode[] | if . < 128 then 1 elif . < 2048 then 2 elif . < 65536 then 3 else 4 end] | add // 0;
        def fit($max): if bytes <= $max then . else .[0:(length * $max / bytes | floor) - 1] | fit($max) end;
        def plural($n; $word): "\($n) \($word)" + (if $n == 1 then "" else "s" end);
        ([.digest.count // 0, (.alerts | length)] | max) as $n
        | ([.alerts[] | .topics[0].name // "(no topic)"] | unique | length) as $t
        | [plural($n; "alert") + ", " + plural($t; "topic"),
           (.alerts[:5][] | "• " + (.entry.title | clean | if . == "" then "(no title)" else clip(200) end)),
           (if $n > 5 then "and \($n - 5) more" else empty end)]
        | join("\n") | if bytes > 4000 then fit(3990) + "…" else . end')
    # The first topics as the title, as for a single alert (plain ASCII "..." for the rest: a header).
    topics=$(printf '%s' "$alert" | jq -r '[.alerts[] | .topics[0].name // empty] | unique
        | if length > 5 then .[:5] + ["..."] else . end | join(", ")')
    printf '%s' "$message" | curl -fsS --max-time 20 -H "Title: feedwatch: ${topics:-digest}" -H "Tags: newspaper" \
        --data-binary @- "$url" >/dev/null
    exit 0
fi
title=$(printf '%s' "$alert" | jq -r '.entry.title // "(no title)"')
link=$(printf '%s' "$alert" | jq -r '.entry.link // empty')
set -- -fsS --max-time 20 -H "Title: feedwatch: ${FEEDWATCH_TOPICS:-alert}" -H "Tags: newspaper"
[ -n "$link" ] && set -- "$@" -H "Click: $link"
printf '%s' "$title" | curl "$@" --data-binary @- "$url" >/dev/null
