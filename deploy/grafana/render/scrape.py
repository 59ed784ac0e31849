#!/usr/bin/env python3
"""Scrapes a redis-l1 /metrics endpoint every few seconds into JSON lines, as Prometheus would.

usage: scrape.py URL OUT.jsonl [interval_seconds]
Stops when the endpoint has gone away after answering at least once (the app finished).
"""
import json
import re
import sys
import time
import urllib.request

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')


def parse(text):
    samples = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if m and not line.startswith('#'):
            samples[m.group(1) + (m.group(2) or '')] = float(m.group(3))
    return samples


def main():
    url, out = sys.argv[1], sys.argv[2]
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    answered = False
    failures = 0
    with open(out, 'w') as f:
        while True:
            t = time.time()
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    samples = parse(r.read().decode('utf-8'))
                f.write(json.dumps({'t': t, 'samples': samples}) + '\n')
                f.flush()
                answered, failures = True, 0
            except OSError:
                failures += 1
                if answered and failures >= 3:
                    return
                if not answered and failures > 600 / interval:
                    sys.exit('no answer from ' + url)
            time.sleep(max(0.0, interval - (time.time() - t)))


if __name__ == '__main__':
    main()
