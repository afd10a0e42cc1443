#!/usr/bin/env python3
"""The trace behind bench/freshness.sh: real feeds' publication rhythms, replayed in compressed time.

  plan    reads the publication dates of the feeds in a corpus (../shared/corpus/real), classifies the
          feeds by median gap between entries (busy < 30 min, medium < 1 day, quiet >= 1 day), builds N
          trace feeds from their real gap sequences and writes WORK/trace.json; prints what it used.
  serve   serves the trace on 127.0.0.1 (port in WORK/port, start of the trace in WORK/t0): RSS 2.0 at
          /<copy>/f/<i>.xml for each copy (fixed, adaptive), with the entries published by now, newest
          first, at most 20, ETag and If-None-Match; requests counted per copy and feed at /stats.
  report  reads the alert files of both daemons, the trace and /stats, and prints latency (simulated
          minutes) and requests per schedule and per class.

Times in the trace are in simulated seconds relative to t0; the server divides by SCALE. Publication
times are whole real seconds (alert files have second precision), so at SCALE 60 the resolution of a
latency is one simulated minute.
"""
import argparse
import bisect
import datetime
import email.utils
import hashlib
import http.server
import json
import math
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.request

COPIES = ("fixed", "adaptive")
CLASSES = (("busy", 0, 30 * 60), ("medium", 30 * 60, 86400), ("quiet", 86400, math.inf))
# Used only when the corpus has no real feed of a class: another real sequence scaled to this median.
FALLBACK_MEDIAN = {"busy": 10 * 60, "medium": 2 * 3600, "quiet": 3 * 86400}
TITLES = (
    "Gold prices rise as the dollar weakens",
    "Nikkei closes at a record high as exporters rally",
    "Oil prices jump after OPEC+ agrees deeper output cuts",
    "Microsoft and OpenAI sign a new partnership agreement",
    "Wall Street stocks slide as Treasury yields climb",
    "Gold hits a record high above $2,700 an ounce",
)
MAX_ITEMS = 20

# ---------------------------------------------------------------------------------------------- plan

ITEM_RE = re.compile(rb"<(item|entry)(?:\s[^>]*)?>(.*?)</\1\s*>", re.S)
DATE_RE = re.compile(rb"<(?:[\w.-]+:)?(pubDate|published|updated|date)(?:\s[^>]*)?>(.*?)</", re.S)
PREFERENCE = (b"pubDate", b"published", b"updated", b"date")


def parse_date(text):
    s = text.strip()
    if s.startswith("<![CDATA[") and s.endswith("]]>"):
        s = s[9:-3].strip()
    if not s:
        return None
    dt = None
    try:
        dt = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        dt = None
    if dt is None:
        try:
            dt = datetime.datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith("Z") else s)
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def feed_dates(path):
    """Publication dates of a feed's entries: RSS pubDate, Atom published/updated, RSS 1.0 dc:date."""
    with open(path, "rb") as f:
        data = f.read()
    dates = []
    for m in ITEM_RE.finditer(data):
        found = {}
        for d in DATE_RE.finditer(m.group(2)):
            found.setdefault(d.group(1), d.group(2))
        for tag in PREFERENCE:
            if tag in found:
                t = parse_date(found[tag].decode("utf-8", "replace"))
                if t is not None:
                    dates.append(t)
                break
    return dates


def corpus_rhythms(corpus):
    """[(file, gaps in seconds, chronological, median gap)], skipped counts."""
    out, seen, skipped = [], set(), {"fewer than 3 dated entries": 0, "zero median gap": 0, "duplicate": 0}
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if not os.path.isfile(path):
            continue
        dates = sorted(feed_dates(path))
        if len(dates) < 3:
            skipped["fewer than 3 dated entries"] += 1
            continue
        gaps = [b - a for a, b in zip(dates, dates[1:])]
        med = statistics.median(gaps)
        if med <= 0:  # dates without a time of day, or one timestamp for the whole feed: no rhythm
            skipped["zero median gap"] += 1
            continue
        key = tuple(round(g) for g in gaps)
        if key in seen:  # the same feed in two formats (RSS and Atom of one site)
            skipped["duplicate"] += 1
            continue
        seen.add(key)
        out.append((name, gaps, med))
    return out, skipped


def class_of(median):
    for name, lo, hi in CLASSES:
        if lo <= median < hi:
            return name
    return CLASSES[-1][0]


def minutes(seconds):
    m = seconds / 60
    if m < 90:
        return f"{m:.1f}m"
    if m < 48 * 60:
        return f"{m / 60:.1f}h"
    return f"{m / 1440:.1f}d"


def plan(args):
    rng = random.Random(args.seed)
    rhythms, skipped = corpus_rhythms(args.corpus)
    by_class = {c[0]: [] for c in CLASSES}
    for r in rhythms:
        by_class[class_of(r[2])].append(r)
    n = args.feeds
    counts = {"busy": round(n * 0.2), "medium": round(n * 0.4)}
    counts["quiet"] = n - counts["busy"] - counts["medium"]
    print(f"corpus: {args.corpus}: {len(rhythms)} feeds with a rhythm ("
          + ", ".join(f"{v} skipped: {k}" for k, v in skipped.items() if v) + ")")
    print("  classes by median gap between entries: busy < 30 min, medium < 1 day, quiet >= 1 day")
    feeds = []
    for cls, _, _ in CLASSES:
        pool = list(by_class[cls])
        scaled = False
        if not pool:
            # No real feed of this class: the nearest real sequences, scaled to a typical median.
            others = sorted(rhythms, key=lambda r: abs(math.log(r[2] / FALLBACK_MEDIAN[cls])))
            pool = [(name, [g * FALLBACK_MEDIAN[cls] / med for g in gaps], FALLBACK_MEDIAN[cls])
                    for name, gaps, med in others[:3]]
            scaled = True
        rng.shuffle(pool)
        used = {}
        for k in range(counts[cls]):
            name, gaps, med = pool[k % len(pool)]
            used.setdefault(name, [med, 0])[1] += 1
            feeds.append({"class": cls, "source": name, "gaps": gaps, "median_gap": med})
        if scaled:
            print(f"  {cls}: NO real feed in the corpus; {counts[cls]} trace feeds use these real sequences "
                  f"scaled to a median gap of {minutes(FALLBACK_MEDIAN[cls])}:")
        else:
            print(f"  {cls}: {len(by_class[cls])} real feeds in the corpus, {counts[cls]} trace feeds from "
                  f"{len(used)} of them (median gap, trace feeds):")
        for name, (med, uses) in sorted(used.items()):
            print(f"    {name} ({minutes(med)}, x{uses})")
    # Each feed's timeline: its real gaps in order (cycled, from a random place in the sequence); t0 falls
    # at a random point of one gap, so the first future entry comes after a part of it, as it would for a
    # reader who starts watching at an arbitrary moment. History: 10-20 entries before t0.
    horizon = args.duration * args.scale + 86400  # simulated seconds of future to lay out
    trace = {"scale": args.scale, "duration": args.duration, "seed": args.seed, "feeds": []}
    for i, f in enumerate(feeds):
        gaps = f["gaps"]
        start = rng.randrange(len(gaps))
        phase = rng.random()
        history = rng.randint(10, 20)
        straddle = gaps[start]
        newest = -phase * straddle
        past = [newest]
        for k in range(1, history):
            past.append(past[-1] - gaps[(start - k) % len(gaps)])
        future, t, k = [], newest + straddle, start + 1
        while t <= horizon:
            future.append(t)
            t += gaps[k % len(gaps)]
            k += 1
        trace["feeds"].append({"class": f["class"], "source": f["source"], "history": sorted(past),
                               "future": future})
    with open(os.path.join(args.work, "trace.json"), "w") as out:
        json.dump(trace, out)


# --------------------------------------------------------------------------------------------- serve

class Trace:
    def __init__(self, work, lead):
        with open(os.path.join(work, "trace.json")) as f:
            trace = json.load(f)
        self.scale = trace["scale"]
        # The daemons start, and poll each feed a first time, during a pause of `lead` real seconds
        # inserted before t0: history is laid out back from t0 - lead, the future forward from t0.
        self.t0 = math.ceil(time.time()) + lead
        self.lead = lead
        self.feeds = []  # per feed: sorted [(real time, n, future?)]
        self.published = {}  # guid -> real publication time (future entries only)
        for i, f in enumerate(trace["feeds"]):
            items = []
            for n, t in enumerate(f["history"]):
                items.append((self.t0 - lead + math.floor(t / self.scale), n))
            base = len(f["history"])
            for k, t in enumerate(f["future"]):
                real = self.t0 + math.ceil(t / self.scale)
                items.append((real, base + k))
                self.published[guid(i, base + k)] = real
            items.sort()
            self.feeds.append(([t for t, _ in items], items))
        self.lock = threading.Lock()
        self.requests = {c: [0] * len(self.feeds) for c in COPIES}
        self.not_modified = {c: [0] * len(self.feeds) for c in COPIES}
        self.first = {c: [None] * len(self.feeds) for c in COPIES}

    def document(self, copy, i, now, port):
        times, items = self.feeds[i]
        shown = items[:bisect.bisect_right(times, now)][-MAX_ITEMS:][::-1]
        etag = '"' + hashlib.sha1(guid(i, shown[0][1]).encode()).hexdigest()[:20] + '"' if shown else '"empty"'
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
                 f"<title>Trace feed {i}</title><link>http://127.0.0.1:{port}/{copy}/</link>",
                 "<description>feedwatch freshness benchmark</description>"]
        for t, n in shown:
            title = f"{TITLES[(i + n) % len(TITLES)]} \u2014 f{i}/{n}"
            parts.append(f"<item><title>{xml_escape(title)}</title>"
                         f"<link>http://127.0.0.1:{port}/a/{i}/{n}</link>"
                         f'<guid isPermaLink="false">{guid(i, n)}</guid>'
                         f"<pubDate>{email.utils.formatdate(t, usegmt=True)}</pubDate></item>")
        parts.append("</channel></rss>\n")
        return etag, "".join(parts).encode()


def guid(i, n):
    return f"fw-freshness-{i}-{n}"


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FEED_PATH = re.compile(r"^/(fixed|adaptive)/f/(\d+)\.xml$")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    trace = None

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/plain", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        tr = self.trace
        path = self.path.split("?", 1)[0]
        if path == "/stats":
            with tr.lock:
                body = json.dumps({"t0": tr.t0, "lead": tr.lead, "scale": tr.scale, "requests": tr.requests,
                                   "not_modified": tr.not_modified, "first_request": tr.first}).encode()
            return self.send(200, body, "application/json")
        m = FEED_PATH.match(path)
        if not m or int(m.group(2)) >= len(tr.feeds):
            return self.send(404, b"not found\n")
        copy, i = m.group(1), int(m.group(2))
        now = time.time()
        etag, body = tr.document(copy, i, now, self.server.server_address[1])
        sent = [t.strip() for t in (self.headers.get("If-None-Match") or "").split(",")]
        fresh = etag in sent or ("W/" + etag) in sent
        with tr.lock:
            tr.requests[copy][i] += 1
            if fresh:
                tr.not_modified[copy][i] += 1
            if tr.first[copy][i] is None:
                tr.first[copy][i] = now
        if fresh:
            return self.send(304, headers=[("ETag", etag)])
        self.send(200, body, "application/rss+xml; charset=utf-8", [("ETag", etag)])


def serve(args):
    Handler.trace = Trace(args.work, args.lead)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(os.path.join(args.work, "published.json"), "w") as f:
        json.dump(Handler.trace.published, f)
    # t0 last: the script waits for it, and then everything else is in place.
    for name, value in (("port", server.server_address[1]), ("t0", Handler.trace.t0)):
        with open(os.path.join(args.work, name + ".tmp"), "w") as f:
            f.write(f"{value}\n")
        os.replace(os.path.join(args.work, name + ".tmp"), os.path.join(args.work, name))
    server.serve_forever()


# -------------------------------------------------------------------------------------------- report

def quantile(values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return math.nan
    v = sorted(values)
    pos = (len(v) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def alerts(spool):
    """guid -> earliest created_at (epoch seconds) over the alert files in spool/new and spool/cur."""
    out = {}
    for sub in ("new", "cur"):
        d = os.path.join(spool, sub)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(d, name)) as f:
                    doc = json.load(f)
            except (OSError, ValueError):
                continue
            gid = (doc.get("entry") or {}).get("id")
            created = doc.get("created_at")
            if not gid or not created:
                continue
            t = datetime.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp()
            published = (doc.get("entry") or {}).get("published")
            prev = out.get(gid)
            if prev is None or t < prev[0]:
                out[gid] = (t, published)
    return out


def report(args):
    work = args.work
    with open(os.path.join(work, "trace.json")) as f:
        trace = json.load(f)
    with open(os.path.join(work, "published.json")) as f:
        published = json.load(f)
    port = open(os.path.join(work, "port")).read().strip()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as r:
        stats = json.load(r)
    scale, t0 = stats["scale"], stats["t0"]
    n = len(trace["feeds"])
    end, started = args.end, args.started
    cutoff = t0 + args.duration - args.margin
    sim_days = (end - started) * scale / 86400
    classes = [c[0] for c in CLASSES]
    feed_class = [f["class"] for f in trace["feeds"]]
    # Entries measured: future entries published before the cutoff.
    measured = {}  # guid -> (feed, real publication time)
    for gid, t in published.items():
        i = int(gid.rsplit("-", 2)[1])
        if t < cutoff:
            measured[gid] = (i, t)

    rows = {}
    for copy in COPIES:
        got = alerts(os.path.join(work, copy, "spool"))
        per = {c: {"lat": [], "alerted": 0, "censored": 0, "entries": 0} for c in classes + ["all"]}
        for gid, (i, t) in measured.items():
            for key in (feed_class[i], "all"):
                per[key]["entries"] += 1
            if gid in got:
                created, _pub = got[gid]
                lat = created - t
                for key in (feed_class[i], "all"):
                    per[key]["alerted"] += 1
            else:
                lat = end - t
                for key in (feed_class[i], "all"):
                    per[key]["censored"] += 1
            for key in (feed_class[i], "all"):
                per[key]["lat"].append(max(lat, 0) * scale / 60)
        # Alerts for entries that are not future entries (history the first poll missed): none expected.
        fallback = sum(1 for gid in got if gid not in published)
        late = sum(1 for t in stats["first_request"][copy] if t is None or t >= t0)
        req = stats["requests"][copy]
        nm = stats["not_modified"][copy]
        for c in classes + ["all"]:
            idx = [i for i in range(n) if c == "all" or feed_class[i] == c]
            per[c]["requests"] = sum(req[i] for i in idx)
            per[c]["not_modified"] = sum(nm[i] for i in idx)
            per[c]["feeds"] = len(idx)
        per["unknown_alerts"] = fallback
        per["late_first_poll"] = late
        rows[copy] = per

    def line(name, p):
        lat = p["lat"]
        rpfd = p["requests"] / p["feeds"] / sim_days if p["feeds"] and sim_days > 0 else math.nan
        med = f"{quantile(lat, 0.5):.1f}m" if lat else "-"
        p90 = f"{quantile(lat, 0.9):.1f}m" if lat else "-"
        return (f"{name:<10} {p['entries']:>7}  {p['alerted']:>7}  {p['censored']:>8}  {med:>7}  {p90:>7}"
                f"  {p['requests']:>8}  {p['not_modified']:>5}  {rpfd:>12.1f}")

    header = (f"{'schedule':<10} {'entries':>7}  {'alerted':>7}  {'censored':>8}  {'median':>7}  {'p90':>7}"
              f"  {'requests':>8}  {'(304)':>5}  {'req/feed-day':>12}")
    print()
    print(f"all {n} feeds, {sim_days:.2f} simulated days of polling "
          f"(latency in simulated minutes, publication to alert file):")
    print(header)
    for copy in COPIES:
        print(line(copy, rows[copy]["all"]))
    for c in classes:
        k = rows[COPIES[0]][c]["feeds"]
        print()
        print(f"{c} ({k} feeds):")
        print(header)
        for copy in COPIES:
            print(line(copy, rows[copy][c]))
    for copy in COPIES:
        if rows[copy]["unknown_alerts"]:
            print(f"WARNING: {copy}: {rows[copy]['unknown_alerts']} alerts for history entries (a first poll "
                  f"after history ended?)")
        if rows[copy]["late_first_poll"]:
            print(f"WARNING: {copy}: {rows[copy]['late_first_poll']} feeds first polled after t0: their first "
                  f"future entries may have been taken for history (start-up slower than the lead)")
    print()
    print(f"entries: future entries published from t0 until {args.margin} s (real) before the end; "
          f"censored: no alert by the end, counted as latency = end - publication (a lower bound).")
    f, a = rows["fixed"]["all"], rows["adaptive"]["all"]
    fm, am = quantile(f["lat"], 0.5), quantile(a["lat"], 0.5)
    if not f["lat"] or not a["lat"] or fm <= 0 or f["requests"] == 0:
        print("no entries published in the measured window: no verdict (run longer)")
        return
    lr, rr = am / fm, a["requests"] / f["requests"]
    met = lr <= 0.5 and rr <= 1.0
    print(f"adaptive median {lr:.2f}x fixed, requests {rr:.2f}x: target {'met' if met else 'NOT met'} "
          f"(<= 0.5x latency, <= 1.0x requests)")


def parse_duration(text):
    return sum(int(n) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[u] for n, u in re.findall(r"(\d+)([dhms])", text))


RATE = re.compile(r"learned: ([0-9.]+) entr(?:y|ies)/(h|day|week)")


def intervals(args):
    """The adaptive daemon's interval and learned gap per feed at the end (its `feedwatch status` table),
    beside the average gap of the dates each feed lists then, per class."""
    with open(os.path.join(args.work, "trace.json")) as f:
        trace = json.load(f)
    scale = trace["scale"]
    with open(args.status) as f:
        text = f.read()
    row = re.compile(r"/(?:fixed|adaptive)/f/(\d+)\.xml\s+\S+\s+(?:in \S+|\S+)\s+(\S+) \(([^)]*)")
    daemon = {}  # feed -> (interval, learned gap or None: simulated seconds; why)
    for line in text.splitlines():
        m = row.search(line)
        if m:
            reason = m.group(3)
            kind = ("held at min_interval" if "held at min" in reason else
                    "held at max_interval" if "held at max" in reason else reason.split(":")[0])
            r = RATE.search(reason)
            gap = {"h": 3600, "day": 86400, "week": 604800}[r.group(2)] / float(r.group(1)) * scale if r else None
            daemon[int(m.group(1))] = (parse_duration(m.group(2)) * scale, gap, kind)
    if not daemon:
        print("  (no intervals found in `feedwatch status`; it printed:)")
        print("\n".join("  " + line for line in text.splitlines()[:40]))
        return
    # The gap Cadence.swift reads from a document, in simulated time, for what each feed lists at the end:
    # (now - oldest) / count over the listed entries of the last seven max_intervals (the whole window
    # when none), at least 1 s (real).
    t0 = int(open(os.path.join(args.work, "t0")).read())
    now = (args.end - t0) * scale
    dated = {}
    for i, f in enumerate(trace["feeds"]):
        listed = sorted([t - args.lead * scale for t in f["history"]] + [t for t in f["future"] if t <= now])
        recent = [t for t in listed[-MAX_ITEMS:] if t > now - 7 * 86400]
        dated[i] = max((now - min(recent)) / len(recent), scale) if recent else 7 * 86400
    differ = False
    for cls, _, _ in CLASSES:
        idx = sorted((i for i in daemon if trace["feeds"][i]["class"] == cls), key=lambda i: daemon[i][0])
        if not idx:
            continue
        kinds = {}
        for i in idx:
            kinds[daemon[i][2]] = kinds.get(daemon[i][2], 0) + 1
        learned = [i for i in idx if daemon[i][1]]
        print(f"  {cls:<7} interval:     {' '.join(minutes(daemon[i][0]) for i in idx)}")
        print(f"  {'':<7}   ({', '.join(f'{k} x{v}' for k, v in sorted(kinds.items(), key=lambda x: -x[1]))})")
        print(f"  {'':<7} learned gap:  {' '.join(minutes(daemon[i][1]) if daemon[i][1] else '-' for i in idx)}")
        ratio = statistics.median(daemon[i][1] / dated[i] for i in learned) if learned else math.nan
        differ = differ or not 0.8 <= ratio <= 1.25
        print(f"  {'':<7} listed dates: {' '.join(minutes(dated[i]) for i in idx)}   (learned/listed: median "
              f"{ratio:.2f}x)")
    if differ:
        print("  they differ: the learned gap dates from the daemon's last poll, and a 304 long after the last new"
              " entry raises it to half that silence; builds before 0fe5fb8 also floored it at 60 real s and read"
              f" a real week of dates ({minutes(60 * scale)} and {7 * scale:g} weeks simulated)")


# ---------------------------------------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("plan")
    a.add_argument("--work", required=True)
    a.add_argument("--corpus", required=True)
    a.add_argument("--feeds", type=int, default=30)
    a.add_argument("--scale", type=float, default=60)
    a.add_argument("--duration", type=float, default=480)
    a.add_argument("--seed", type=int, default=1)
    b = sub.add_parser("serve")
    b.add_argument("--work", required=True)
    b.add_argument("--lead", type=int, default=5, help="real seconds from start to t0 (first polls see history)")
    c = sub.add_parser("report")
    c.add_argument("--work", required=True)
    c.add_argument("--duration", type=float, required=True)
    c.add_argument("--margin", type=float, default=30)
    c.add_argument("--started", type=float, required=True, help="when the daemons started (epoch s)")
    c.add_argument("--end", type=float, required=True, help="when the daemons were stopped (epoch s)")
    d = sub.add_parser("intervals")
    d.add_argument("--work", required=True)
    d.add_argument("--status", required=True, help="the output of `feedwatch status`")
    d.add_argument("--end", type=float, required=True, help="when status was taken (epoch s)")
    d.add_argument("--lead", type=int, default=5)
    args = p.parse_args()
    {"plan": plan, "serve": serve, "report": report, "intervals": intervals}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
