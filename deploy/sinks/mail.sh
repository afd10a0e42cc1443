#!/bin/sh
# feedwatch exec sink → mail, through the system's sendmail (postfix, exim, msmtp-mta, nullmailer…): one
# message per alert, the headline as the subject (RFC 2047, so Arabic headlines survive), the link,
# the summary and the alert id in the body. A digest (FEEDWATCH_KIND=digest) is one message too:
# multipart/alternative, plain text and HTML, grouped by topic, right-to-left items marked as such.
#   sinks:
#     - name: mail
#       type: exec
#       command: ["/usr/local/lib/feedwatch/sinks/mail.sh", "you@example.org"]
# Needs jq. SENDMAIL overrides the sendmail path: give it in the sink's env: (exec sinks get only a
# minimal environment), e.g. env: {SENDMAIL: /usr/bin/msmtp}. It may carry arguments
# ("/usr/sbin/exim4 -odi"): it is split on spaces.
# shellcheck disable=SC2016 # the single-quoted $ are jq's
set -eu
to=$1
alert=$(cat)

send() {
    set -f  # split SENDMAIL on spaces, but never glob it
    # shellcheck disable=SC2086
    ${SENDMAIL:-/usr/sbin/sendmail} -t -i
}

# The document's shape decides (a digest has a "digest" object; an alert file never has one), so a
# daemon that does not set FEEDWATCH_KIND still gets single alerts mailed as before.
if ! printf '%s' "$alert" | jq -e 'type == "object" and has("digest")' >/dev/null 2>&1; then
    field() { printf '%s' "$alert" | jq -r "$1 // empty"; }
    title=$(field '.entry.title')
    subject="=?UTF-8?B?$(printf '[feedwatch] %s' "${title:-alert}" | base64 -w0)?="
    {
        printf 'To: %s\nSubject: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n' "$to" "$subject"
        printf '%s\n%s\n\n%s\n\ntopics: %s\nfeed: %s\nalert: %s\n' "$title" "$(field '.entry.link')" "$(field '.entry.summary')" \
            "${FEEDWATCH_TOPICS:-}" "$(field '.feed.title')" "${FEEDWATCH_ALERT_ID:-}"
    } | send
    exit 0
fi

# Digest. Shared jq definitions: feed text is untrusted and may be in any script.
lib='
def clean: if type == "string" then gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" ") else "" end;
def clip($n): if length > $n then .[0:$n] + "…" else . end;
def title: .title | clean | if . == "" then "(no title)" else clip(300) end;
def topic: .topics[0].name // "(no topic)";
def feedname: (.feed.title | clean) as $t | if $t != "" then $t else .feed.url // "" end;
def when: if type == "string" then (try (fromdateiso8601 | strftime("%Y-%m-%d %H:%M UTC")) catch .) else empty end;
# languages written right to left, by primary subtag (ar, ar-EG, fa_IR…)
def rtl: type == "string" and test("^(ar|arc|ckb|dv|fa|he|iw|ps|sd|ug|ur|yi)([-_]|$)"; "i");
def lang: if type == "string" then . else "" end;
# only web links become href, never javascript: or data:
def href: if type == "string" and test("^https?://"; "i") then . else null end;
def total: [.digest.count // 0, (.alerts | length)] | max;
def plural($n; $word): "\($n) \($word)" + (if $n == 1 then "" else "s" end);
def groups: .alerts | group_by(topic);
def others($story): (.sources // {})[$story // ""] // [];
'

# RFC 2047 encoded-words of at most 39 bytes of UTF-8 (64 characters, so a folded line stays
# under 78), cut on character boundaries, as a decoder must find whole characters in each word.
subject=$(printf '%s' "$alert" | jq -r "$lib"'
    def words:
        reduce explode[] as $c ({w: [], cur: [], n: 0};
            ($c | if . < 128 then 1 elif . < 2048 then 2 elif . < 65536 then 3 else 4 end) as $b
            | if .n + $b > 39 then .w += [.cur] | .cur = [$c] | .n = $b else .cur += [$c] | .n += $b end)
        | .w + [.cur] | map(implode | "=?UTF-8?B?" + @base64 + "?=") | join("\n ");
    "[feedwatch] " + plural(total; "alert")
        + (if (.alerts | length) > 0 then ": " + (.alerts[0].entry | title | clip(120)) else "" end)
    | words')

text=$(printf '%s' "$alert" | jq -r "$lib"'
    . as $d
    | "feedwatch digest: \(plural(total; "alert")), \(plural(groups | length; "topic"))",
      "\(.digest.from | when // "?") – \(.digest.to | when // "?")",
      (groups[] | (.[0] | topic) as $t
        | "\($t) (\(length))" as $h | "", $h, ($h | gsub("."; "=")),
          (.[] | "", "* " + (.entry | title),
                 (.entry.link // empty | "  " + .),
                 (feedname | select(. != "") | "  feed: " + .),
                 (.entry.published | when | "  published: " + .),
                 (.entry.summary | clean | select(. != "") | "  " + clip(280)),
                 (.story.id as $s | $d | others($s) | select(length > 0)
                  | "  also reported by:",
                    (.[] | "  - " + title, (.link // empty | "    " + .), (feedname | select(. != "") | "    (" + . + ")"))))),
      "", "-- ", "feedwatch digest \(.digest.id // "") (sink \(.digest.sink // "?"))"')

# Each item carries its own direction and language; labels, counts and dates around feed text are
# isolated (bdi) so an Arabic title never reorders the English around it.
html=$(printf '%s' "$alert" | jq -r "$lib"'
    def time: if type == "string" then "<bdi dir=\"ltr\"><time datetime=\"\(@html)\">\(when | @html)</time></bdi>" else empty end;
    def link($text): if (.link | href) then "<a href=\"\(.link | @html)\">\($text)</a>" else $text end;
    # Without a language, the script of the title decides (more Arabic or Hebrew letters than Latin ones):
    # dir="auto" would follow a leading Latin brand name.
    def scriptrtl: (explode | map(select((. >= 1424 and . <= 2303) or (. >= 64285 and . <= 65279))) | length)
        > (explode | map(select((. >= 65 and . <= 90) or (. >= 97 and . <= 122))) | length);
    def item($class; $language; $text):
        ($language | lang) as $l
        | (if $l != "" then ($l | rtl) else ($text | clean | scriptrtl) end) as $r
        | "<li class=\"\($class)\" dir=\"\(if $r then "rtl" else "ltr" end)\""
          + (if $l != "" then " lang=\"\($l | @html)\"" else "" end) + ">";
    . as $d
    | "<!DOCTYPE html>",
      "<html lang=\"en\" dir=\"ltr\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
      "<title>feedwatch digest</title>",
      "<style>body{font-family:sans-serif;line-height:1.4;max-width:48em}li{margin:.6em 0}.meta,.sources{color:#555;font-size:.9em}</style>",
      "</head>",
      "<body>",
      "<h1>feedwatch digest: <bdi>\(total)</bdi> alert\(if total == 1 then "" else "s" end), <bdi>\(groups | length)</bdi> topic\(if (groups | length) == 1 then "" else "s" end)</h1>",
      "<p class=\"meta\">\(.digest.from | time // "?") – \(.digest.to | time // "?")</p>",
      (groups[] | (.[0] | topic | @html) as $t
        | "<section>",
          "<h2><bdi>\($t)</bdi> (<bdi>\(length)</bdi>)</h2>",
          "<ul>",
          (.[] | . as $a
            | item("alert"; .entry.language; .entry.title),
              "<p class=\"title\">" + (.entry | link("<bdi>\(title | @html)</bdi>")) + "</p>",
              (.entry.summary | clean | select(. != "") | "<p class=\"summary\">\(clip(280) | @html)</p>"),
              "<p class=\"meta\" dir=\"ltr\" lang=\"en\">"
                + ([(feedname | select(. != "") | "<bdi>\(@html)</bdi>"), (.entry.published | time)] | join(" · "))
                + "</p>",
              ($d | others($a.story.id) | select(length > 0)
               | "<div class=\"sources\" dir=\"ltr\" lang=\"en\">also reported by:<ul>",
                 (.[] | item("source"; .language; .title)
                    + link("<bdi>\(title | @html)</bdi>")
                    + ([feedname | select(. != "") | " (<bdi>\(@html)</bdi>)"] | join("")) + "</li>"),
                 "</ul></div>"),
              "</li>"),
          "</ul>",
          "</section>"),
      "<p class=\"meta\">feedwatch digest <bdi>\(.digest.id // "" | @html)</bdi></p>",
      "</body>",
      "</html>"')

id=$(printf '%s' "$alert" | jq -r '.digest.id // env.FEEDWATCH_DIGEST_ID // empty' | tr -cd 'A-Za-z0-9._-')
# No base64 line can contain "=_", so the boundary never occurs in a part (70 characters at most).
boundary="=_feedwatch_$(printf '%s' "${id:-digest}" | cut -c1-16)_$$"
message="To: $to
Subject: $subject
Date: $(date -R)
MIME-Version: 1.0
Content-Type: multipart/alternative;
 boundary=\"$boundary\"
${id:+Message-ID: <feedwatch.digest.$id@$(uname -n)>
}
--$boundary
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64

$(printf '%s\n' "$text" | base64)
--$boundary
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: base64

$(printf '%s\n' "$html" | base64)
--$boundary--"
# Built in full first: a jq failure above stops the script before anything half-made is sent.
printf '%s\n' "$message" | send
