#!/bin/sh
# feedwatch exec sink → Slack incoming webhook (or Mattermost, which takes the same JSON): one message
# per alert, "*topics*: <link|headline>". A digest (FEEDWATCH_KIND=digest) is one message too: the
# count and the first five alerts, "• *topic*: <link|headline>", then "and N more".
#   sinks:
#     - name: slack
#       type: exec
#       command: ["/usr/local/lib/feedwatch/sinks/slack.sh", "https://hooks.slack.com/services/T…/B…/…"]
# Needs jq and curl. The webhook URL is a secret: keep the configuration file 0640 (as installed).
# shellcheck disable=SC2016 # the single-quoted $ are jq's
set -eu
url=$1
# The document's shape decides: a digest has a "digest" object, an alert file never has one. Digest
# headlines are escaped for Slack's mrkdwn (&, <, >), so a "<" in a title cannot open a link.
jq -c '
    def esc: gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;");
    def clean: if type == "string" then gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" ") else "" end;
    def clip($n): if length > $n then .[0:$n] + "…" else . end;
    def plural($n; $word): "\($n) \($word)" + (if $n == 1 then "" else "s" end);
    def item: (.entry.title | clean | if . == "" then "(no title)" else clip(200) end | esc) as $t
        | "• *" + (.topics[0].name // "(no topic)" | esc) + "*: "
          + (if (.entry.link | type) == "string" and (.entry.link | test("^https?://"; "i"))
             then "<" + (.entry.link | gsub("\\|"; "%7C") | gsub("<"; "%3C") | gsub(">"; "%3E")) + "|" + $t + ">" else $t end);
    if type == "object" and has("digest") then
        ([.digest.count // 0, (.alerts | length)] | max) as $n
        | ([.alerts[] | .topics[0].name // "(no topic)"] | unique | length) as $topics
        | {text: ([ "*feedwatch digest*: " + plural($n; "alert") + ", " + plural($topics; "topic"),
                    (.alerts[:5][] | item),
                    (if $n > 5 then "and \($n - 5) more" else empty end)] | join("\n"))}
    else
        {text: ("*" + ([.topics[].name] | join(", ")) + "*: "
            + (if .entry.link then "<" + .entry.link + "|" + (.entry.title // "(no title)") + ">"
               else (.entry.title // "(no title)") end))}
    end' |
    curl -fsS --max-time 20 -H 'Content-Type: application/json' --data-binary @- "$url" >/dev/null
