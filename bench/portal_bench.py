"""`make bench`: the portal under gunicorn against PostgreSQL filled by the generator, driven
over loopback, with the figures written into docs/performance.md.

Steps: (re)create the benchmark database (default postgres://…/gongkai_bench; never a test
database), migrate, `manage.py generate_scale_data` at BENCH_SCALE entries (cases 2×,
complaints 1/5, requests 1/20, institutions 1/200 of that) — or, with --skip-generate, migrate
the loaded database and run REBUILD_COMMANDS —, collect static files, then two passes, each
with its own gunicorn (config/gunicorn.conf.py, `bench.wsgi`, which adds a query-count header)
on 127.0.0.1: "as served" (the anonymous page cache on, warm; its hit ratio from the
`X-Page-Cache` header) and "uncached" (GONGKAI_PAGE_CACHE=0, every GET path again). Each pass
drives the hot paths and /healthz with a threaded driver (bench/driver.py) and reads the
workers' memory (RSS, PSS, USS) from /proc. Then EXPLAIN ANALYZE the hot pages' slowest
queries, time `sweep_deadlines` twice, and replace the generated section of
docs/performance.md (between the bench markers). An estimate of the run's length is printed
first.

    BENCH_SCALE=100000 make bench                       # the default
    BENCH_SCALE=1000000 BENCH_SECONDS=20 make bench     # the issue's full scale
    .venv/bin/python bench/portal_bench.py --skip-generate   # reuse (and migrate) a loaded database
"""

import argparse
import datetime
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.driver import Result, drive, one  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench"
REPORT = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:portal:begin (written by bench/portal_bench.py; edits here are lost) -->"
END = "<!-- bench:portal:end -->"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TWO_CHARS = ("投诉", "收费", "环境", "数据", "服务", "教育")
FOUR_CHARS = ("营商环境", "行政许可", "安全生产", "食品安全", "政务公开")
TRACKING_PASSWORD = "SCALE2026"  # noqa: S105 - scale.generator.TRACKING_PASSWORD (test data)
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"

# Run after `migrate` with --skip-generate, in this order: every command that rebuilds a
# summary from the records (a migration that adds a summary table leaves it empty). The
# generator runs its own, so a fresh load needs none of these. Add yours here.
REBUILD_COMMANDS: list[list[str]] = [
    ["rebuild_service_summaries"],
    ["rebuild_catalogue_facets"],
]


def sizes(scale: int) -> dict[str, int]:
    """The generator's sizes for BENCH_SCALE entries (1M: 2M cases, 200k complaints)."""
    return {
        "entries": scale,
        "cases": 2 * scale,
        "complaints": scale // 5,
        "requests": scale // 20,
        "institutions": max(20, scale // 200),
        "entities": min(1200, max(50, scale // 1000)),
    }


def environment(url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GONGKAI_VAR_DIR": str(var_dir),
        "GONGKAI_SUBMISSION_LIMIT": "0",  # one driver address stands for many citizens
        "GONGKAI_TRUSTED_PROXIES": "1",  # … and X-Forwarded-For gives each lookup its own
        "GONGKAI_DEMO": "0",
    }


def page_cache_backend(name: str) -> str | None:
    """The Redis URL for the run (the page cache needs a shared cache), or None without Redis.

    BENCH_CACHE_URL, else the local Redis with a key prefix of its own for this run, so that
    nothing from another run or another user of that Redis is read, and nothing is flushed.
    """
    import socket

    url = os.environ.get("BENCH_CACHE_URL") or (
        f"redis://127.0.0.1:6379/0?prefix=gongkai_bench_{name}_{int(time.time())}"
    )
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2).close()
    except OSError:
        return None
    return url


def recreate_database(url: str) -> None:
    import psycopg

    name = database_name(url)
    if name.startswith("test_") or name in {"gongkai_ci", "gongkai", "postgres"}:
        sys.exit(f"refusing to drop {name!r}: use a dedicated database such as gongkai_bench")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?")[0]


def manage(env: dict[str, str], *args: str, capture: bool = False) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - our own manage.py
        [PY, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return time.perf_counter() - started, completed.stdout or ""


def _memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (MB) of one process: /proc/<pid>/smaps_rollup (Linux 4.14+).

    RSS counts every page the process maps, shared ones in full; PSS divides each shared page
    among the processes that share it; USS counts the pages only this process holds (what
    stopping it would free). With a preloaded master, RSS overstates what a worker costs.
    """
    fields: dict[str, float] = {}
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    except OSError:
        lines = []
    for line in lines:
        key, _sep, value = line.partition(":")
        if value.strip().endswith("kB"):
            fields[key] = int(value.split()[0]) / 1024
    if not fields:  # no smaps_rollup: RSS only
        status = Path(f"/proc/{pid}/status").read_text()
        rss = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return {"rss": int(rss.split()[1]) / 1024, "pss": float("nan"), "uss": float("nan")}
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "uss": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0),
    }


def server_memory(master: int) -> dict:
    """Memory of the gunicorn master and of each of its workers (children), in MB."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            workers.append(_memory(int(status.parent.name)))
    return {"master": _memory(master), "workers": sorted(workers, key=lambda m: m["pss"])}


def database_counts() -> dict[str, int]:
    """What the database holds (counted: with --skip-generate the scale is the database's)."""
    from complaints.models import Complaint
    from disclosure.models import (
        AdministrativeEntity,
        CatalogueEntry,
        InformationRequest,
        PublicInstitution,
    )
    from services.models import ServiceCase

    return {
        "entries": CatalogueEntry.objects.count(),
        "cases": ServiceCase.objects.count(),
        "complaints": Complaint.objects.count(),
        "requests": InformationRequest.objects.count(),
        "institutions": PublicInstitution.objects.count(),
        "entities": AdministrativeEntity.objects.count(),
    }


def vacuum_analyze() -> None:
    """VACUUM (ANALYZE) the loaded database (statistics and visibility maps), in this process."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, for the samples, the plans and the API list (page cache off:
    the plans must render, not replay a cached page)."""
    os.environ.update(env)
    os.environ["GONGKAI_PAGE_CACHE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def samples() -> dict:
    """Ids and numbers to request, picked from the loaded database (in this process)."""
    from django.db import connection

    from complaints.models import Complaint
    from disclosure.models import AdministrativeEntity, PublicInstitution
    from services.models import ServiceItem

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id FROM disclosure_catalogueentry e TABLESAMPLE SYSTEM (5)"
            " JOIN disclosure_administrativeentity p ON p.id = e.publisher_id"
            " WHERE e.status = 'published' AND p.status = 'announced' LIMIT 2000"
        )
        entries = [row[0] for row in cursor.fetchall()]
    return {
        "entries": entries,
        "entities": list(AdministrativeEntity.objects.announced().values_list("pk", flat=True)),
        "institutions": list(
            PublicInstitution.objects.filter(is_active=True).values_list("pk", flat=True)[:2000]
        ),
        "items": list(
            ServiceItem.objects.filter(is_published=True).values_list("pk", flat=True)[:2000]
        ),
        "complaints": list(
            Complaint.objects.filter(status="closed")
            .order_by("-received_on")
            .values_list("tracking_no", flat=True)[:2000]
        ),
        "api_lists": api_lists(),
    }


def api_lists() -> list[str]:
    """Every public API list (a URL under /api/v1/ named …-list that takes no argument)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix: str) -> None:  # noqa: ANN001
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-list"):
                if "<" not in route and route.startswith("api/v1/"):
                    found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def get(path: str):  # noqa: ANN201
    return lambda n: ("GET", path, None, {})


def pick(template: str, values: list):  # noqa: ANN201
    rng = random.Random(len(values))  # noqa: S311 - which page to ask for, not a secret

    def request(n: int) -> tuple:
        return ("GET", template.format(rng.choice(values)), None, {})

    return request


def rotate(template: str, words: tuple[str, ...]):  # noqa: ANN201
    return lambda n: ("GET", template.format(urllib.parse.quote(words[n % len(words)])), None, {})


def csrf(host: str, port: int, path: str) -> tuple[str, str]:
    """A CSRF cookie and the form's token, from one GET of the form."""
    import http.client
    import re

    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            cookie = value.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    connection.close()
    return cookie, token.group(1) if token else ""


def complaint_submission(host: str, port: int, entities: list[int]):  # noqa: ANN201
    cookie, token = csrf(host, port, "/complaints/new/")

    def request(n: int) -> tuple:
        form = {
            "csrfmiddlewaretoken": token,
            "entity": str(entities[n % len(entities)]),
            "category": "delay",
            "description": f"窗口办理营业执照变更拖延，第{n}次基准测试投诉，请核实处理。",
            "anonymous": "on",
        }
        headers = {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        }
        return ("POST", "/complaints/new/", urllib.parse.urlencode(form).encode(), headers)

    return request


def complaint_tracking(host: str, port: int, numbers: list[str]):  # noqa: ANN201
    cookie, token = csrf(host, port, "/complaints/track/")

    def request(n: int) -> tuple:
        form = {
            "csrfmiddlewaretoken": token,
            "number": numbers[n % len(numbers)],
            "password": TRACKING_PASSWORD,
        }
        headers = {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        }
        return ("POST", "/complaints/track/", urllib.parse.urlencode(form).encode(), headers)

    return request


def endpoints(host: str, port: int, ids: dict) -> list[tuple[str, object, frozenset[int]]]:
    ok = frozenset({200})
    out = [
        ("/healthz", get("/healthz"), ok),
        ("home", get("/"), ok),
        ("catalogue list", get("/catalogue/"), ok),
        ("search, 2-character word", rotate("/catalogue/?q={}", TWO_CHARS), ok),
        ("search, 4-character word", rotate("/catalogue/?q={}", FOUR_CHARS), ok),
        ("entry page", pick("/catalogue/entries/{}/", ids["entries"]), ok),
        ("entity page", pick("/entities/{}/", ids["entities"]), ok),
        ("institution page", pick("/institutions/{}/", ids["institutions"]), ok),
        ("fee search", rotate("/institutions/fees/?q={}", ("住宿", "挂号费", "伙食")), ok),
        ("service item page", pick("/services/items/{}/", ids["items"]), ok),
        ("statistics page", get("/statistics/"), ok),
        ("complaint ledger", get("/complaints/"), ok),
        (
            "complaint submission (POST)",
            complaint_submission(host, port, ids["entities"]),
            frozenset({302}),
        ),
        (
            "complaint tracking (POST)",
            complaint_tracking(host, port, ids["complaints"]),
            frozenset({302}),
        ),
        ("Open311 GET requests.json", get("/open311/v2/requests.json"), ok),
        ("Open311 GET services.json", get("/open311/v2/services.json"), ok),
    ]
    out += [(f"API {path}", get(path), ok) for path in ids["api_lists"]]
    out.append(("/healthz (again, at the end)", get("/healthz"), ok))
    return out


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """gunicorn with the production settings file (preloaded application and tokenizer)."""
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            GUNICORN,
            f"--config={GUNICORN_CONF}",
            "bench.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(120):
        try:
            if one("127.0.0.1", port, get("/healthz"), 0).status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer /healthz within a minute")


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def explain(paths: list[tuple[str, str]]) -> list[dict]:
    """EXPLAIN ANALYZE the slowest query of each page (rendered in this process).

    A page that fails is reported with its error, and the run goes on to the others.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    plans = []
    for name, path in paths:
        try:
            plans.extend(_explain_page(client, connection, CaptureQueriesContext, name, path))
        except Exception as error:  # noqa: BLE001 - reported in the section, not fatal
            plans.append({"name": name, "path": path, "error": f"{type(error).__name__}: {error}"})
    return plans


def _explain_page(client, connection, capture, name: str, path: str) -> list[dict]:  # noqa: ANN001
    client.get(path)  # warm
    with capture(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        return [{"name": name, "path": path, "error": f"HTTP {response.status_code}"}]
    selects = [q for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    if not selects:
        return []
    slowest = max(selects, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return [
        {
            "name": name,
            "path": path,
            "status": response.status_code,
            "page_ms": round(elapsed, 1),
            "queries": len(captured.captured_queries),
            "sql": slowest["sql"],
            "plan": plan,
        }
    ]


def sweep(env: dict[str, str]) -> dict:
    """Time one `sweep_deadlines` (a failure is reported, the run goes on to the report)."""
    try:
        seconds, output = manage(env, "sweep_deadlines", capture=True)
    except subprocess.CalledProcessError as error:
        return {"seconds": None, "output": f"failed with exit status {error.returncode}"}
    return {"seconds": round(seconds, 1), "output": output.strip()}


def estimate(args: argparse.Namespace, counts: dict[str, int], gets: int, posts: int) -> str:
    """How long the run should take, from the rates of the last documented run (light load)."""
    per_path = args.seconds + 1.0 + 0.5  # measured seconds, the driver's warm-up, pre-warming
    # The catalogue list and the two searches render in seconds at a million entries (7 s for
    # a search in-process): their untimed pre-warming requests and the requests still in
    # flight at the end add up, in the uncached pass most of all.
    slow = 3 * (3 * args.workers + args.concurrency) * max(0.3, 7.0 * counts["entries"] / 1e6)
    drive_s = (gets + posts) * per_path + gets * per_path + slow * 1.3 + 2 * 10
    parts = []
    if args.skip_generate:
        parts.append(("migrate and rebuild summaries", 15 + counts["cases"] * 160e-6))
    else:
        parts.append(("migrate and generate", 60 + counts["entries"] / 1000 * 1.2))
    parts += [
        ("collectstatic", 60),
        (f"2 passes × {gets} GET + {posts} POST paths", drive_s),
        ("query plans", 10 + 50 * counts["entries"] / 1e6),
        ("2 sweeps", 5 + counts["cases"] * 76e-6),
    ]
    total = sum(seconds for _name, seconds in parts)
    listed = ", ".join(f"{name} ~{seconds / 60:.0f} min" for name, seconds in parts)
    return (
        f"bench: estimate ~{total / 60:.0f} min at {counts['entries']:,} entries and "
        f"{counts['cases']:,} cases ({listed}); at a load average of 4 and more, expect "
        "two to four times as long"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 100_000)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    # As many clients as workers: latency is then the service time, not time in a queue.
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CLIENTS", 0)))
    # Submissions and look-ups spend most of their time hashing: more clients than workers
    # keep every worker busy, which is what a throughput target needs (latency then includes
    # the queue: read their p95 with that in mind).
    parser.add_argument(
        "--post-clients", type=int, default=int(os.environ.get("BENCH_POST_CLIENTS", 4))
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8766)))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--skip-generate",
        action="store_true",
        help="reuse the loaded database: migrate it and run REBUILD_COMMANDS",
    )
    parser.add_argument("--generate-only", action="store_true", help="load, time, and stop")
    parser.add_argument("--no-report", action="store_true", help="print, do not edit the docs")
    args = parser.parse_args()
    args.concurrency = args.concurrency or args.workers
    started = time.perf_counter()

    var_dir = ROOT / "var" / "bench"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.database_url, var_dir)
    name = database_name(args.database_url)
    figures: dict = {"args": vars(args), "database": name}
    cache_url = page_cache_backend(name)
    page_cache = os.environ.get("BENCH_PAGE_CACHE", "1")
    if cache_url:
        env["CACHE_URL"] = cache_url  # both passes: rate limits and versions live there too
        where = urllib.parse.urlsplit(cache_url)
        figures["cache_backend"] = f"Redis at {where.hostname}:{where.port or 6379}"
    else:
        page_cache = "0"  # the page cache refuses a per-process cache outside DEBUG
        figures["cache_backend"] = (
            "none: no Redis reachable (BENCH_CACHE_URL), so the page cache was off in both passes"
        )
        print(f"bench: {figures['cache_backend']}", flush=True)
    setup_django(env)
    state = var_dir / f"generation-{name}.json"
    expected = sizes(args.scale)
    if args.skip_generate:
        from django.db import DatabaseError, connections

        try:  # before `migrate`: a pending migration may rename what the models name
            expected = database_counts()
        except DatabaseError as error:
            print(f"bench: cannot count before migrating ({error}); estimating at --scale")
        connections.close_all()
    api_count = len(api_lists())
    print(estimate(args, expected, gets=15 + api_count, posts=2), flush=True)

    if not args.skip_generate:
        print(f"bench: recreating {name}", flush=True)
        recreate_database(args.database_url)
        figures["migrate_s"], _ = manage(env, "migrate", "--noinput", "-v0")
        flags = [f"--{key}={value}" for key, value in sizes(args.scale).items()]
        seconds, output = manage(
            env, "generate_scale_data", *flags, f"--seed={args.seed}", "--json", capture=True
        )
        figures["generation"] = {"wall_s": round(seconds, 1), **json.loads(output)}
        state.write_text(json.dumps(figures["generation"]))
        print(f"bench: generated in {seconds:.0f} s: {figures['generation']}", flush=True)
    else:
        print(f"bench: migrating {name} and rebuilding its summaries", flush=True)
        figures["migrate_s"], _ = manage(env, "migrate", "--noinput", "-v0")
        figures["rebuild"] = []
        for command in REBUILD_COMMANDS:
            seconds, output = manage(env, *command, capture=True)
            figures["rebuild"].append({"command": " ".join(command), "seconds": round(seconds, 1)})
            print(f"bench: {' '.join(command)}: {seconds:.0f} s {output.strip()}", flush=True)
        # The rebuilds rewrote tables: vacuum as autovacuum would (this machine runs without).
        started = time.perf_counter()
        vacuum_analyze()
        figures["rebuild"].append(
            {"command": "VACUUM (ANALYZE)", "seconds": round(time.perf_counter() - started, 1)}
        )
        # The generator's figures, if the bench loaded this database (the older file name,
        # generation.json, is trusted only when its entry count is the database's).
        legacy = var_dir / "generation.json"
        if state.exists():
            figures["generation"] = json.loads(state.read_text())
        elif legacy.exists():
            loaded = json.loads(legacy.read_text())
            if loaded.get("counts", {}).get("entries") == expected["entries"]:
                figures["generation"] = loaded
    if args.generate_only:
        return
    manage(env, "collectstatic", "--noinput", "-v0")
    ids = samples()
    figures["scale"] = database_counts()

    # "As served": the page cache as deployed, warm (pre-warming fills each worker's cache for
    # the fixed pages; pages picked at random among thousands mostly miss, as they would).
    # "Uncached": a second server with the cache off, every GET path again; POSTs are never
    # cached and are driven once. A second server rather than a throwaway query parameter: a
    # cache that ignores unknown parameters would serve those from the cache, and this leaves
    # the cache's contents and memory as they are. The uncached pass checks that no answer
    # says `X-Page-Cache: hit`.
    passes = {
        "as served": {"GONGKAI_PAGE_CACHE": page_cache},
        "uncached": {"GONGKAI_PAGE_CACHE": "0"},
    }
    results: dict[str, list[Result]] = {}
    figures["memory"] = {}
    for label, extra in passes.items():
        print(f"bench: pass {label!r} ({extra})", flush=True)
        server = start_gunicorn({**env, **extra}, args.port, args.workers)
        results[label] = []
        try:
            for path_name, request, ok in endpoints("127.0.0.1", args.port, ids):
                post = "POST" in path_name
                if post and label != "as served":
                    continue
                result = drive(
                    path_name,
                    request,
                    host="127.0.0.1",
                    port=args.port,
                    seconds=args.seconds,
                    concurrency=args.post_clients if post else args.concurrency,
                    ok=ok,
                    prewarm=0 if post else 3 * args.workers,
                )
                results[label].append(result)
                hits = result.hit_ratio
                print(
                    f"{path_name:45s} p50 {result.percentile(50):7.1f}"
                    f"  p95 {result.percentile(95):7.1f}  p99 {result.percentile(99):7.1f} ms"
                    f"  {result.throughput:7.1f}/s  q {result.queries_median}"
                    f"  cache {'–' if hits is None else f'{hits:.0%}'}"
                    f"  errors {result.errors} {result.statuses}",
                    flush=True,
                )
            figures["memory"][label] = server_memory(server.pid)
            print(f"bench: memory after {label!r}: {figures['memory'][label]}", flush=True)
        finally:
            stop_gunicorn(server)

    paths = [
        ("home", "/"),
        ("catalogue list", "/catalogue/"),
        ("search 投诉", "/catalogue/?q=" + urllib.parse.quote("投诉")),
        ("search 营商环境", "/catalogue/?q=" + urllib.parse.quote("营商环境")),
        ("entry page", f"/catalogue/entries/{ids['entries'][0]}/"),
        ("entity page", f"/entities/{ids['entities'][0]}/"),
        ("statistics page", "/statistics/"),
        ("complaint ledger", "/complaints/"),
        ("API entries", "/api/v1/disclosure/entries/"),
    ]
    figures["plans"] = explain(paths)
    # The first sweep catches up on the month between the generated data's last day and today
    # (cases deemed approved, complaint stages overdue); the second is a day's steady state.
    figures["sweep"] = sweep(env)
    figures["sweep_again"] = sweep(env)
    # What a command costs before it does anything (Python, Django, the imports): part of
    # each sweep's time, not something that grows with the records.
    seconds, _output = manage(env, "shell", "-c", "pass")
    figures["startup_s"] = round(seconds, 1)
    figures["total_s"] = round(time.perf_counter() - started)
    from bench.report import write

    text = write(results, figures, machine=machine())
    if args.no_report:
        print(text)
    else:
        replace_section(text)
        print(f"bench: wrote {REPORT.relative_to(ROOT)}")
    print(f"bench: {figures['total_s'] / 60:.1f} min in all", flush=True)


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()},"
        f" load average at the end {load[0]:.1f}; {datetime.date.today().isoformat()}"
    )


def replace_section(text: str) -> None:
    current = REPORT.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text.rstrip()}\n{END}"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        REPORT.write_text(head + block + tail, encoding="utf-8")
    else:
        REPORT.write_text(current.rstrip() + "\n\n" + block + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
