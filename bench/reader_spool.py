#!/usr/bin/env python3
"""Writes N alert files into SPOOL/new and SPOOL/cur (every tenth acknowledged) for bench/reader.sh:
real headlines and summaries from ../shared/eval/news-dev.jsonl (English and Arabic), cycled, with
topics, 200 feeds and creation times spread over the last 30 days, in the daemon's file format and
names (`<seconds>.<id>.json`).

usage: reader_spool.py SPOOL N NEWS_JSONL
"""
import hashlib
import json
import os
import sys
import time

spool, count, news = sys.argv[1], int(sys.argv[2]), sys.argv[3]
items = [json.loads(line) for line in open(news, encoding="utf-8") if line.strip()]
items = [i for i in items if i.get("title")]
topics = ["ai-partnerships", "markets", "gold-prices"]
for d in ("new", "cur", "tmp"):
    os.makedirs(os.path.join(spool, d), exist_ok=True)
now = int(time.time())
for n in range(count):
    item = items[n % len(items)]
    alert_id = hashlib.sha256(f"bench-{n}".encode()).hexdigest()[:32]
    created = now - (count - n) * (30 * 86400 // count)
    feed = f"https://feeds{n % 200}.example.test/rss.xml"
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created))
    alert = {
        "id": alert_id, "created_at": when,
        "topics": [{"name": topics[n % 3], "score": 4.5, "matched": ["gold", "price"]}],
        "feed": {"url": feed, "title": f"Feed {n % 200}"},
        "entry": {"id": f"e{n}", "title": item["title"], "link": f"https://feeds{n % 200}.example.test/{n}",
                  "published": when, "summary": (item.get("summary") or "")[:600],
                  "language": item.get("lang", "en")},
        "story": {"id": hashlib.sha256(f"story-{n}".encode()).hexdigest()[:32]},
    }
    sub = "cur" if n % 10 == 0 else "new"
    with open(os.path.join(spool, sub, f"{created}.{alert_id}.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(alert, ensure_ascii=False, separators=(",", ":")) + "\n")
