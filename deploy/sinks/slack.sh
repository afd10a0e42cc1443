#!/bin/sh
# feedwatch exec sink → Slack incoming webhook (or Mattermost, which takes the same JSON): one message
# per alert, "*topics*: <link|headline>".
#   sinks:
#     - name: slack
#       type: exec
#       command: ["/usr/local/lib/feedwatch/sinks/slack.sh", "https://hooks.slack.com/services/T…/B…/…"]
# Needs jq and curl. The webhook URL is a secret: keep the configuration file 0640 (as installed).
set -eu
url=$1
jq -c '{text: ("*" + ([.topics[].name] | join(", ")) + "*: "
        + (if .entry.link then "<" + .entry.link + "|" + (.entry.title // "(no title)") + ">"
           else (.entry.title // "(no title)") end))}' |
    curl -fsS --max-time 20 -H 'Content-Type: application/json' --data-binary @- "$url" >/dev/null
