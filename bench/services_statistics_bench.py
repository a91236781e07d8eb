"""Time /statistics/ and a service item page uncached: each render after clearing the cache.

Usage: DATABASE_URL=… .venv/bin/python bench/services_statistics_bench.py [URL …]
(default: /statistics/ and the first published item's page). BENCH_RUNS (default 20) renders
per page, each after `cache.clear()` (so the statistics report is counted again; the anonymous
page cache, when configured, is cleared too), then one cached render. Prints each page's
headline figures (to compare runs), p50 and p95 uncached and the cached median;
see docs/performance.md, "Service statistics" and "What the figures say" (point 8).
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

from services.models import ServiceItem  # noqa: E402

runs = int(os.environ.get("BENCH_RUNS", "20"))
urls = sys.argv[1:]
if not urls:
    urls = ["/statistics/"]
    item = ServiceItem.objects.filter(is_published=True).order_by("pk").first()
    if item is not None:
        urls.append(f"/services/items/{item.pk}/")
client = Client(HTTP_HOST="localhost")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


for url in urls:
    uncached, cached = [], []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        uncached.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.get(url)
        cached.append(time.perf_counter() - started)
    html = response.content.decode()
    figures = dict(re.findall(r'data-figure="([\w-]+)">([^<]*)<', html))
    print(url, response.status_code, len(html), figures)
    print(
        f"  uncached: p50 {statistics.median(uncached) * 1000:.1f} ms, "
        f"p95 {p95(uncached) * 1000:.1f} ms over {runs} renders"
    )
    print(f"  cached:   p50 {statistics.median(cached) * 1000:.1f} ms")
