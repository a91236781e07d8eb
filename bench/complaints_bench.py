"""Complaint paths at scale (issue 9, points 3-5 of docs/performance.md): the ledger and its
API, the statistics, Open311 requests.json, submission and tracking.

Two modes against DATABASE_URL (a generated database, e.g. `generate_scale_data --complaints
200000`; never a test database), page cache off (the pages' own cost):

    # in-process with django.test.Client: p50/p95 wall ms, CPU ms per request, queries
    DATABASE_URL=postgres://…/gongkai_h3bench N=30 .venv/bin/python bench/complaints_bench.py \
        inprocess ledger ledger_api statistics_api open311 submit track track_api
    # over HTTP: gunicorn (config/gunicorn.conf.py, bench.wsgi) on 127.0.0.1, bench/driver.py
    DATABASE_URL=… .venv/bin/python bench/complaints_bench.py http SECONDS CONCURRENCY WORKERS \
        submit track ledger ledger_api open311

Tracking looks up generated complaints with scale.generator.TRACKING_PASSWORD. The generator
stores it with Django's PBKDF2, which the first successful lookup rewrites as the fast hash:
with FAST_HASH=1 the looked-up numbers are given the fast hash first (under this process's
SECRET_KEY in-process, under bench/portal_bench.py's key for http), which is what every
complaint filed since has. Submissions write complaints into the database.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "SCALE2026"  # noqa: S105 - scale.generator.TRACKING_PASSWORD (test data)
BENCH_KEY = "bench-only-" + "x" * 50  # bench/portal_bench.py's DJANGO_SECRET_KEY


def _fast_hash(numbers: list[str], secret: str | None = None) -> None:
    from django.conf import settings

    from complaints.models import Complaint
    from disclosure.tracking import tracking_password_hash

    if secret:
        settings.SECRET_KEY = secret
    stored = tracking_password_hash(PASSWORD)
    Complaint.objects.filter(tracking_no__in=numbers).update(tracking_password_hash=stored)


def inprocess(names: list[str]) -> None:
    os.environ["GONGKAI_SUBMISSION_LIMIT"] = "0"
    os.environ["GONGKAI_PAGE_CACHE"] = "0"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from complaints.models import Complaint
    from disclosure.models import AdministrativeEntity

    n = int(os.environ.get("N", "30"))
    entities = list(AdministrativeEntity.objects.values_list("pk", flat=True)[:20])
    numbers = list(Complaint.objects.order_by("?").values_list("tracking_no", flat=True)[:200])
    if os.environ.get("FAST_HASH"):
        _fast_hash(numbers)
    client = Client()

    def get(path: str):  # noqa: ANN202
        return lambda i: client.get(path).status_code

    def submit(i: int) -> int:
        form = {
            "entity": str(entities[i % len(entities)]),
            "category": "delay",
            "description": f"窗口办理营业执照变更拖延，第{i}次基准测试投诉，请核实处理。",
            "anonymous": "on",
        }
        return client.post(
            "/complaints/new/", form, REMOTE_ADDR=f"10.1.{i // 256 % 256}.{i % 256}"
        ).status_code

    def track(path: str):  # noqa: ANN202
        def run(i: int) -> int:
            form = {"number": numbers[i % len(numbers)], "password": PASSWORD}
            return client.post(
                path, form, REMOTE_ADDR=f"10.2.{i // 256 % 256}.{i % 256}"
            ).status_code

        return run

    table = {
        "ledger": ("GET /complaints/", get("/complaints/")),
        "ledger_p50": ("GET /complaints/?page=50", get("/complaints/?page=50")),
        "ledger_status": ("GET /complaints/?status=closed", get("/complaints/?status=closed")),
        "ledger_api": ("GET /api/v1/complaints/ledger/", get("/api/v1/complaints/ledger/")),
        "statistics_api": (
            "GET /api/v1/complaints/statistics/",
            get("/api/v1/complaints/statistics/"),
        ),
        "open311": ("GET /open311/v2/requests.json", get("/open311/v2/requests.json")),
        "submit": ("POST /complaints/new/", submit),
        "track": ("POST /complaints/track/", track("/complaints/track/")),
        "track_api": ("POST /api/v1/complaints/track/", track("/api/v1/complaints/track/")),
    }
    for key in names:
        name, run = table[key]
        run(0)  # warm
        walls, cpus, queries, statuses = [], [], [], {}
        for i in range(1, n + 1):
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                status = run(i)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            queries.append(len(captured.captured_queries))
            statuses[status] = statuses.get(status, 0) + 1
        walls.sort()
        p95 = walls[min(len(walls) - 1, int(round(0.95 * (len(walls) - 1))))]
        print(
            f"{name:36s} n={n} p50 {statistics.median(walls):7.1f} ms  p95 {p95:7.1f} ms  "
            f"cpu {statistics.mean(cpus):6.1f} ms  "
            f"queries {statistics.median(queries):.0f}  {statuses}",
            flush=True,
        )
    print("load average:", open("/proc/loadavg").read().split()[:3])


def http(seconds: float, concurrency: int, workers: int, names: list[str]) -> None:
    import tempfile

    import psycopg

    from bench import portal_bench as pb
    from bench.driver import drive

    url = os.environ["DATABASE_URL"]
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or tempfile.mkdtemp())
    env = {**pb.environment(url, var_dir), "GONGKAI_PAGE_CACHE": "0"}
    env.pop("CACHE_URL", None)
    pb.manage(env, "collectstatic", "--noinput", "-v0")
    with psycopg.connect(url) as conn:
        entities = [
            r[0] for r in conn.execute("SELECT id FROM disclosure_administrativeentity LIMIT 20")
        ]
        numbers = [
            r[0]
            for r in conn.execute(
                "SELECT tracking_no FROM complaints_complaint ORDER BY id LIMIT 2000"
            )
        ]
    if os.environ.get("FAST_HASH"):
        import django

        django.setup()
        _fast_hash(numbers, BENCH_KEY)
    port = int(os.environ.get("BENCH_PORT", "18931"))
    process = pb.start_gunicorn(env, port, workers)
    host = "127.0.0.1"
    try:
        table = {
            "submit": (
                "complaint submission (POST)",
                pb.complaint_submission(host, port, entities),
                {302},
            ),
            "track": (
                "complaint tracking (POST)",
                pb.complaint_tracking(host, port, numbers),
                {302},
            ),
            "ledger": ("/complaints/", pb.get("/complaints/"), {200}),
            "ledger_api": (
                "/api/v1/complaints/ledger/",
                pb.get("/api/v1/complaints/ledger/"),
                {200},
            ),
            "open311": ("Open311 requests.json", pb.get("/open311/v2/requests.json"), {200}),
        }
        for key in names:
            name, request, ok = table[key]
            r = drive(
                name,
                request,
                host=host,
                port=port,
                seconds=seconds,
                concurrency=concurrency,
                ok=frozenset(ok),
                prewarm=2 * workers,
            )
            print(
                f"{name:32s} {r.throughput:6.1f}/s p50 {r.percentile(50):6.1f} ms "
                f"p95 {r.percentile(95):6.1f} ms queries {r.queries_median} "
                f"statuses {r.statuses} errors {r.errors}",
                flush=True,
            )
    finally:
        pb.stop_gunicorn(process)
    print("load average:", open("/proc/loadavg").read().split()[:3])


if __name__ == "__main__":
    mode, *rest = sys.argv[1:] or ["inprocess"]
    if mode == "http":
        seconds, concurrency, workers, *names = rest
        http(
            float(seconds),
            int(concurrency),
            int(workers),
            names or ["submit", "track", "ledger", "ledger_api", "open311"],
        )
    else:
        inprocess(rest or ["ledger", "ledger_api", "statistics_api", "open311", "submit", "track"])
