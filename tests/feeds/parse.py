"""Parses a feed file with feedparser (the reference feed-reader library) and
prints what a reader would see as JSON: bozo flag, version, entries.

Usage: parse.py FILE"""
import json
import sys

import feedparser

parsed = feedparser.parse(sys.argv[1])
print(json.dumps({
    "bozo": int(parsed.bozo),
    "bozo_exception": str(parsed.get("bozo_exception", "")),
    "version": parsed.version,
    "title": parsed.feed.get("title"),
    "links": [link.get("href") for link in parsed.feed.get("links", [])],
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "link": e.get("link"),
            "updated": e.get("updated") or e.get("published"),
            "updated_parsed": list(e.get("updated_parsed") or e.get("published_parsed") or [])[:6],
            "content": (e.get("content") or [{}])[0].get("value") or e.get("summary", ""),
        }
        for e in parsed.entries
    ],
}))
