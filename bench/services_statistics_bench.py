"""Time /statistics/ on the demo database: each uncached render, then the cached one.

Usage: DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/services_statistics_bench.py
[URL]. Prints the page's headline figures (to compare runs) and the timings; see
docs/performance.md, "Service statistics".
"""

import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django  # noqa: E402

django.setup()
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

url = sys.argv[1] if len(sys.argv) > 1 else "/statistics/"
client = Client(HTTP_HOST="localhost")
first, second = [], []
for _ in range(5):
    cache.clear()
    started = time.perf_counter()
    response = client.get(url)
    first.append(time.perf_counter() - started)
    started = time.perf_counter()
    client.get(url)
    second.append(time.perf_counter() - started)
html = response.content.decode()
figures = dict(re.findall(r'data-figure="([\w-]+)">([^<]*)<', html))
print(response.status_code, len(html), figures)
runs = ", ".join(f"{t:.3f}" for t in first)
print(f"uncached: median {statistics.median(first):.3f} s (runs: {runs})")
print(f"cached:   median {statistics.median(second):.4f} s")
