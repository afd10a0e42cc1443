#!/usr/bin/python3
"""Screenshots of the reader page for the docs: the list and one Arabic alert, in Arabic and in
English (the browser's language), from a running `feedwatch run` (scripts/reader-screenshots.sh).

usage: screenshots.py BASE_URL OUT_DIR ALERT_ID
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import browser  # noqa: E402

base, out, alert = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
for language in ("ar", "en"):
    d = browser(language)
    try:
        d.get(base + "/")
        d.save_screenshot(os.path.join(out, f"reader-list-{language}.png"))
        d.get(base + "/alerts/" + alert)
        d.save_screenshot(os.path.join(out, f"reader-alert-{language}.png"))
    finally:
        d.quit()
