import FeedCore

/// The page's style sheet and script, served from the daemon itself (`/static/…`): no CDN, no web
/// font from elsewhere. The page reads without the script; it only adds the keys. Neither is inline,
/// so the Content-Security-Policy can forbid every inline script and style.
enum Assets {
    static let css = """
        :root{color-scheme:light dark;--muted:#5f6368;--line:#dadce0;--accent:#1a5fb4;--current:#e8f0fe}
        @media (prefers-color-scheme:dark){:root{--muted:#9aa0a6;--line:#3c4043;--accent:#8ab4f8;--current:#1f2a3a}}
        body{font-family:system-ui,"DejaVu Sans","Noto Sans","Noto Sans Arabic",sans-serif;margin:0;line-height:1.5}
        header{border-bottom:1px solid var(--line);padding:.5em 1em;display:flex;gap:1.5em;align-items:baseline;flex-wrap:wrap}
        header .brand{font-weight:bold}
        header .lang{margin-inline-start:auto}
        main{max-width:64em;margin:0 auto;padding:0 1em 2em}
        a{color:var(--accent)}
        form.filters{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;margin:1em 0}
        form.filters label{display:flex;flex-direction:column;font-size:85%;color:var(--muted)}
        form.filters input,form.filters select{font:inherit;font-size:100%;max-width:18em}
        .summary-line{color:var(--muted);display:flex;gap:1em;align-items:center;flex-wrap:wrap}
        ol.alerts{list-style:none;padding:0;margin:0}
        li.alert{border-bottom:1px solid var(--line);padding:.6em .4em;display:flex;gap:1em;align-items:start}
        li.alert.current{background:var(--current);outline:2px solid var(--accent)}
        li.alert .body{flex:1;min-width:0}
        li.alert.acked .title a{color:var(--muted)}
        .title{font-size:110%;margin:0;font-weight:600}
        h1.title{font-size:150%}
        .meta{color:var(--muted);font-size:88%;display:flex;flex-wrap:wrap;gap:0 .9em}
        .topic{border:1px solid var(--line);border-radius:.7em;padding:0 .5em}
        .summary{white-space:pre-line;margin:1em 0}
        table{border-collapse:collapse;width:100%}
        th,td{border-bottom:1px solid var(--line);padding:.3em .5em;text-align:start;vertical-align:top}
        td.error{color:#b3261e}
        .pager{display:flex;gap:1.5em;justify-content:center;margin:1em 0}
        .problem{border:1px solid #b3261e;padding:.5em 1em}
        button{font:inherit}
        footer{max-width:64em;margin:0 auto;padding:1em;color:var(--muted);font-size:90%}
        kbd{border:1px solid var(--line);border-radius:3px;padding:0 .3em;font-family:monospace}

        """

    /// j/k move between alerts, o opens, a acknowledges (submits the alert's own form, which carries the
    /// CSRF token), u goes back to the list, ? opens the help. Keys typed into a field are left alone.
    static let js = """
        "use strict";
        (function () {
          var rows = Array.prototype.slice.call(document.querySelectorAll("li.alert"));
          var current = -1;
          function select(n) {
            if (!rows.length) return;
            current = Math.max(0, Math.min(rows.length - 1, n));
            rows.forEach(function (r, k) { r.classList.toggle("current", k === current); });
            rows[current].scrollIntoView({ block: "nearest" });
          }
          function scope() { return rows.length ? rows[current] : document; }
          document.addEventListener("keydown", function (e) {
            if (e.ctrlKey || e.metaKey || e.altKey) return;
            var t = e.target;
            if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
            var help = document.getElementById("help");
            var s, link, form;
            switch (e.key) {
              case "j": select(current + 1); break;
              case "k": select(current < 0 ? 0 : current - 1); break;
              case "o":
                s = scope();
                link = s && (rows.length ? s.querySelector(".title a") : document.querySelector("a.original"));
                if (!link) return;
                window.location.href = link.href;
                break;
              case "a":
                s = scope();
                form = s && s.querySelector("form.ack");
                if (!form) return;
                form.submit();
                break;
              case "u":
                if (rows.length) return;
                window.location.href = "/";
                break;
              case "?":
                if (help) help.open = !help.open;
                break;
              case "Escape":
                if (help) help.open = false;
                break;
              default:
                return;
            }
            e.preventDefault();
          });
        })();

        """
}
