#!/usr/bin/env python3
"""Reads `perf script -F tid,ip,sym,dso` (call graphs, dwarf) of one `feedwatch once` and attributes
every sample to the stage of the cold cycle whose code is nearest the leaf on its stack: a retain or a
malloc called from the classifier counts for classify. Prints CPU seconds per stage.

usage: perf script ... | profile_stages.py FREQ
"""
import re
import sys
from collections import Counter

FREQ = float(sys.argv[1])

# Swift symbols name their module: $s<len><Module>...; C libraries go by their shared object.
STAGE_OF_MODULE = {
    "FeedXML": "parse", "FeedHTTP": "fetch", "FeedClassify": "classify", "FeedStory": "story",
    "FeedStore": "commit", "GRDB": "commit", "FeedSpool": "delivery", "FeedYAML": "configuration",
    "Yams": "configuration",
}
STAGE_OF_DSO = [
    ("libxml2", "parse"), ("libcurl", "fetch"), ("libnghttp2", "fetch"), ("libz.", "decompress"),
    ("libbrotli", "decompress"), ("libsqlite3", "commit"), ("libcrypto", "identify"),
]
# Stages of FeedDaemon's own code, by the type in the symbol.
STAGE_OF_DAEMON_TYPE = [
    ("DaemonConfig", "configuration"), ("ConfigTable", "configuration"), ("EntryIdentity", "identify"), ("Digest", "identify"), ("EntryStage", "identify"),
    ("ClassifyStage", "classify"), ("StoryStage", "story"), ("CommitStage", "commit"),
    ("ParseStage", "parse"), ("FetchStage", "fetch"), ("Delivery", "delivery"), ("SpoolWriter", "delivery"),
    ("AlertRenderer", "delivery"), ("SinkRound", "delivery"), ("Metrics", "metrics"),
]
MODULE = re.compile(r"^\$s(\d+)([A-Za-z_]\w*)")


def stage_of(sym, dso):
    for key, stage in STAGE_OF_DSO:
        if key in dso:
            return stage
    m = MODULE.match(sym)
    if not m:
        return None
    module = m.group(2)[: int(m.group(1))]
    if module in STAGE_OF_MODULE:
        return STAGE_OF_MODULE[module]
    if module == "FeedDaemon":
        for key, stage in STAGE_OF_DAEMON_TYPE:
            if key in sym:
                return stage
        return "daemon (other)"
    return None


def leaf_kind(sym, dso):
    if "[kernel" in dso:
        return "kernel"
    if "libswift" in dso or "libFoundation" in dso or "libc.so" in dso or "libdispatch" in dso:
        return "runtime"
    return "other"


samples = Counter()
stack = []


def flush():
    if not stack:
        return
    for sym, dso in stack:
        stage = stage_of(sym, dso)
        if stage:
            samples[stage] += 1
            return
    samples["unattributed (" + leaf_kind(*stack[0]) + ")"] += 1


for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush()
        stack = []
        continue
    if line.startswith("\t") or line.startswith(" "):
        parts = line.strip().split(None, 1)
        if len(parts) < 2:
            continue
        rest = parts[1]
        m = re.match(r"(.*) \((.*)\)$", rest)
        sym, dso = (m.group(1), m.group(2)) if m else (rest, "")
        sym = sym.split("+0x")[0]
        stack.append((sym, dso))
flush()

total = sum(samples.values())
print(f"{'stage':28} {'CPU s':>7} {'share':>6}")
for stage, n in samples.most_common():
    print(f"{stage:28} {n / FREQ:7.2f} {100 * n / total:5.1f}%")
print(f"{'total':28} {total / FREQ:7.2f}")
