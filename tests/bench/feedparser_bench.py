#!/usr/bin/env python3
"""Parse every *.xml in DIR with Python's feedparser N times; print one line:
   items=<per pass> docs=<per pass> seconds=<total> items_per_s=<rate>
Run by tests/bench/feeds.c in the same run as our parser, on the same files."""
import os
import sys
import time

try:
    import feedparser
except ImportError:
    print("feedparser not installed (Debian: python3-feedparser)", file=sys.stderr)
    sys.exit(3)


def main():
    if len(sys.argv) != 3:
        print("usage: feedparser_bench.py DIR N", file=sys.stderr)
        return 2
    folder, n = sys.argv[1], int(sys.argv[2])
    docs = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".xml"):
            with open(os.path.join(folder, name), "rb") as f:
                docs.append(f.read())
    items = 0
    start = time.perf_counter()
    for _ in range(n):
        items = 0
        for d in docs:
            items += len(feedparser.parse(d).entries)
    secs = time.perf_counter() - start
    rate = items * n / secs if secs > 0 else 0.0
    print(f"items={items} docs={len(docs)} seconds={secs:.3f} items_per_s={rate:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
