"""`make bench`: the portal under gunicorn against PostgreSQL filled by the generator, driven
over loopback, with the figures written into docs/performance.md.

Steps: (re)create the benchmark database (default postgres://…/gongkai_bench; never a test
database), migrate, `manage.py generate_scale_data` at BENCH_SCALE entries (cases 2×,
complaints 1/5, requests 1/20, institutions 1/200 of that), collect static files, start
gunicorn (`bench.wsgi`, which adds a query-count header) on 127.0.0.1, drive every hot path
and /healthz with a threaded driver (bench/driver.py), read the workers' memory from /proc,
stop gunicorn, EXPLAIN ANALYZE the hot pages' slowest queries, time `sweep_deadlines`, and
replace the generated section of docs/performance.md (between the bench markers).

    BENCH_SCALE=100000 make bench                       # the default: ~15 minutes here
    BENCH_SCALE=1000000 BENCH_SECONDS=20 make bench     # the issue's full scale
    .venv/bin/python bench/portal_bench.py --skip-generate   # reuse the loaded database
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


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    if name.startswith("test_") or name in {"gongkai_ci", "gongkai", "postgres"}:
        sys.exit(f"refusing to drop {name!r}: use a dedicated database such as gongkai_bench")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


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


def worker_memory(master: int) -> list[float]:
    """Resident memory (MB) of the gunicorn master's children, from /proc."""
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            out.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(out)


def samples(env: dict[str, str]) -> dict:
    """Ids and numbers to request, picked from the loaded database (in this process)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
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
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            GUNICORN,
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
            status, *_rest = one("127.0.0.1", port, get("/healthz"), 0)
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer /healthz within a minute")


def explain(paths: list[tuple[str, str]]) -> list[dict]:
    """EXPLAIN ANALYZE the slowest query of each page (rendered in this process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    plans = []
    for name, path in paths:
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        selects = [q for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]
        if not selects:
            continue
        slowest = max(selects, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append(
            {
                "name": name,
                "path": path,
                "status": response.status_code,
                "page_ms": round(elapsed, 1),
                "queries": len(captured.captured_queries),
                "sql": slowest["sql"],
                "plan": plan,
            }
        )
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 100_000)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
    # As many clients as workers: latency is then the service time, not time in a queue.
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_CLIENTS", 0)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8766)))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the loaded database")
    parser.add_argument("--generate-only", action="store_true", help="load, time, and stop")
    parser.add_argument("--no-report", action="store_true", help="print, do not edit the docs")
    args = parser.parse_args()
    args.concurrency = args.concurrency or args.workers

    var_dir = ROOT / "var" / "bench"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = environment(args.database_url, var_dir)
    figures: dict = {"scale": sizes(args.scale), "args": vars(args)}
    state = var_dir / "generation.json"
    if not args.skip_generate:
        print(f"bench: recreating {args.database_url.rsplit('/', 1)[-1]}", flush=True)
        recreate_database(args.database_url)
        figures["migrate_s"], _ = manage(env, "migrate", "--noinput", "-v0")
        flags = [f"--{name}={value}" for name, value in sizes(args.scale).items()]
        seconds, output = manage(
            env, "generate_scale_data", *flags, f"--seed={args.seed}", "--json", capture=True
        )
        figures["generation"] = {"wall_s": round(seconds, 1), **json.loads(output)}
        state.write_text(json.dumps(figures["generation"]))
        print(f"bench: generated in {seconds:.0f} s: {figures['generation']}", flush=True)
    elif state.exists():
        figures["generation"] = json.loads(state.read_text())
    if args.generate_only:
        return
    manage(env, "collectstatic", "--noinput", "-v0")
    ids = samples(env)

    server = start_gunicorn(env, args.port, args.workers)
    results: list[Result] = []
    try:
        for name, request, ok in endpoints("127.0.0.1", args.port, ids):
            result = drive(
                name,
                request,
                host="127.0.0.1",
                port=args.port,
                seconds=args.seconds,
                concurrency=args.concurrency,
                ok=ok,
                prewarm=0 if "POST" in name else 3 * args.workers,
            )
            results.append(result)
            print(
                f"{name:45s} p50 {result.percentile(50):7.1f}  p95 {result.percentile(95):7.1f}"
                f"  p99 {result.percentile(99):7.1f} ms  {result.throughput:7.1f}/s"
                f"  q {result.queries_median}  errors {result.errors} {result.statuses}",
                flush=True,
            )
        figures["memory_mb"] = worker_memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

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
    seconds, output = manage(env, "sweep_deadlines", capture=True)
    figures["sweep"] = {"seconds": round(seconds, 1), "output": output.strip()}
    seconds, output = manage(env, "sweep_deadlines", capture=True)
    figures["sweep_again"] = {"seconds": round(seconds, 1), "output": output.strip()}
    from bench.report import write

    text = write(results, figures, machine=machine())
    if args.no_report:
        print(text)
    else:
        replace_section(text)
        print(f"bench: wrote {REPORT.relative_to(ROOT)}")


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
