"""A small threaded HTTP load driver for `make bench` (loopback only, bounded in time).

Each endpoint is driven by `concurrency` threads for `seconds` after a short warm-up; every
request is timed from connect to the last byte, and the page cache's `X-Page-Cache` answer
(hit, miss, or none when the header is absent) is counted. A request is a callable that returns
(method, path, body, headers) so that paths and form fields can vary per request (a random
entry, a new complaint, another tracking number, another client address).
"""

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

Request = Callable[[int], tuple[str, str, bytes | None, dict[str, str]]]


@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    queries: list[int] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cache: dict[str, int] = field(default_factory=dict)  # X-Page-Cache value -> responses

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    @property
    def queries_median(self) -> float:
        return statistics.median(self.queries) if self.queries else float("nan")

    @property
    def hit_ratio(self) -> float | None:
        """Share of answers the page cache served (None when no answer carried the header)."""
        hits, misses = self.cache.get("hit", 0), self.cache.get("miss", 0)
        return hits / (hits + misses) if hits + misses else None


class Answer(NamedTuple):
    status: int
    ms: float
    queries: int | None
    cache: str  # the X-Page-Cache header in lower case, "none" when absent
    body: bytes


def one(host: str, port: int, request: Request, n: int) -> Answer:
    """Send request `n`; returns status, milliseconds, the query-count and cache headers, body."""
    method, path, body, headers = request(n)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        queries = response.getheader("X-Bench-Queries")
        cache = (response.getheader("X-Page-Cache") or "none").strip().lower()
        return Answer(response.status, elapsed, int(queries) if queries else None, cache, data)
    finally:
        connection.close()


def drive(
    name: str,
    request: Request,
    *,
    host: str,
    port: int,
    seconds: float,
    concurrency: int,
    warmup: float = 1.0,
    ok: frozenset[int] = frozenset({200}),
    prewarm: int = 0,
) -> Result:
    """Drive one endpoint with `concurrency` threads for `seconds` (after `warmup`).

    `prewarm` requests are sent first, one at a time and untimed, so that every worker has
    loaded what the path needs (jieba's dictionary for search, templates) before the clock runs.
    """
    result = Result(name)
    for n in range(prewarm):
        try:
            one(host, port, request, 10**9 - 1 - n)
        except OSError:
            pass
    lock = threading.Lock()
    counter = iter(range(10**9))
    started = time.perf_counter()
    measure_from = started + warmup
    stop_at = measure_from + seconds

    def worker() -> None:
        while True:
            now = time.perf_counter()
            if now >= stop_at:
                return
            with lock:
                n = next(counter)
            try:
                status, elapsed, queries, cache, _body = one(host, port, request, n)
            except OSError:
                status, elapsed, queries, cache = 0, 0.0, None, "none"
            if time.perf_counter() < measure_from:
                continue
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                result.cache[cache] = result.cache.get(cache, 0) + 1
                if status in ok:
                    result.latencies_ms.append(elapsed)
                    if queries is not None:
                        result.queries.append(queries)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - measure_from
    return result
