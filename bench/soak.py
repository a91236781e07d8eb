"""Soak run: submissions under load while the app server restarts; nothing acknowledged is lost.

    .venv/bin/python bench/soak.py --seconds 180          # or: make soak

On loopback only, and it stops by itself after `--seconds`. It:

1. prepares a PostgreSQL database (default `gongkai_soak`, created when missing): migrations, the
   working-day calendar and one announced department to complain about and apply to;
2. starts gunicorn (from this venv) on a free loopback port against that database, with the
   per-address submission limit switched off (`GONGKAI_SUBMISSION_LIMIT=0`: every request comes
   from 127.0.0.1, so the limit would otherwise refuse nearly everything);
3. runs `--workers` client threads that file complaints (POST /api/v1/complaints/) and information
   requests (POST /api/v1/disclosure/requests/), each with a unique marker in its text, recording
   every answer: 201 with a tracking number (acknowledged), or the kind of error;
4. a third of the way in, reloads the server gracefully (SIGHUP: new workers, old ones finish
   their requests); two thirds in, kills the whole server hard (SIGKILL, master and workers, in
   the middle of requests) and starts a new one;
5. at the end, stops the server and checks the database: every acknowledged tracking number is
   stored exactly once, with the marker it was sent with; no marker is stored twice. Rows stored
   without an acknowledgement (the server died after the commit, before the answer) are
   counted: the citizen saw an error, never a number.

Prints the figures; `--write-doc` also puts them into docs/reliability.md between the
`soak:begin` and `soak:end` markers. Exits non-zero when an acknowledged submission is missing or
stored twice.
"""

import argparse
import collections
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gongkai_soak"
DOC = ROOT / "docs" / "reliability.md"
HOST = "127.0.0.1"
STARTUP_SECONDS = 240  # a loaded 2-core machine takes a minute or more to boot the workers

SETUP = """
from disclosure.models import AdministrativeEntity
from disclosure.validators import credit_code_check_character
from django.utils import timezone
first17 = "11210203990000001"
entity, _ = AdministrativeEntity.objects.get_or_create(
    credit_code=first17 + credit_code_check_character(first17),
    defaults=dict(
        name="西岗区压力测试局", short_name="压力测试局",
        kind=AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN,
        status=AdministrativeEntity.Status.ANNOUNCED,
        announcement_start=timezone.localdate(), announcement_end=timezone.localdate(),
        disclosure_office="办公室", disclosure_office_phone="0411-83630001",
    ),
)
print(entity.pk)
"""


def resident_id() -> str:
    """A valid resident identity number (GB 11643 check character) for the applications."""
    first17 = "21020319800101123"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    """Create the database named in `url` when it does not exist (connecting to `postgres`)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


class Server:
    """gunicorn in its own process group, so a hard kill takes the master and its workers."""

    def __init__(self, env: dict, port: int, workers: int, log: Path) -> None:
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
                [
                    str(VENV_BIN / "gunicorn"),
                    "config.wsgi:application",
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--graceful-timeout",
                    "20",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/healthz", timeout=30) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise SystemExit(f"no answer from /healthz in {STARTUP_SECONDS} s (see {self.log})")

    def reload(self) -> None:
        """SIGHUP: gunicorn starts new workers and lets the old ones finish their requests."""
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, mid-request."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Tally:
    """What the clients saw, shared by the threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.errors: collections.Counter = collections.Counter()
        self.acknowledged: list[tuple[str, str, str]] = []  # (kind, tracking number, marker)
        self.sent: list[tuple[str, str]] = []  # (kind, marker) of every attempt
        self.phase = "steady"  # what the server was going through when the answer came

    def record(self, kind: str, marker: str, outcome: str, number: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.sent.append((kind, marker))
            if number:
                self.acknowledged.append((kind, number, marker))
            else:
                self.errors[(self.phase, outcome)] += 1


def submit(base: str, kind: str, entity: int, marker: str) -> tuple[str, str | None]:
    """One submission; (outcome, tracking number when acknowledged)."""
    if kind == "complaint":
        path = "/api/v1/complaints/"
        body = {"entity": entity, "category": "delay", "description": marker, "anonymous": True}
    else:
        path = "/api/v1/disclosure/requests/"
        body = {
            "entity": entity,
            "applicant_type": "natural_person",
            "applicant_name": "压力测试",
            "id_type": "resident_id",
            "id_number": resident_id(),
            "contact_phone": "13800000000",
            "info_title": marker,
            "delivery_form": "email",
        }
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            payload = json.loads(response.read())
            if response.status == 201 and payload.get("tracking_no"):
                return "acknowledged", payload["tracking_no"]
            return f"http {response.status} without a number", None
    except urllib.error.HTTPError as error:
        return f"http {error.code}", None
    except urllib.error.URLError as error:
        reason = error.reason
        name = type(reason).__name__ if isinstance(reason, BaseException) else str(reason)
        return f"connection: {name}", None
    except (ConnectionError, TimeoutError, OSError) as error:
        return f"connection: {type(error).__name__}", None
    except ValueError:
        return "unreadable answer", None


def client(base: str, entity: int, run: str, stop: threading.Event, tally: Tally, n: int) -> None:
    sequence = 0
    while not stop.is_set():
        sequence += 1
        kind = "complaint" if sequence % 2 else "request"
        marker = f"soak-{run}-{n}-{sequence}"
        outcome, number = submit(base, kind, entity, marker)
        tally.record(kind, marker, outcome, number)
        if outcome.startswith("connection"):
            time.sleep(0.05)  # the server is down or restarting: do not spin


def check(url: str, run: str, tally: Tally) -> dict:
    """Compare what was acknowledged with what the database holds."""
    with psycopg.connect(url) as connection:
        complaints = connection.execute(
            "SELECT tracking_no, description FROM complaints_complaint WHERE description LIKE %s",
            [f"soak-{run}-%"],
        ).fetchall()
        requests = connection.execute(
            "SELECT tracking_no, info_title FROM disclosure_informationrequest "
            "WHERE info_title LIKE %s",
            [f"soak-{run}-%"],
        ).fetchall()
    stored = [("complaint", number, marker) for number, marker in complaints] + [
        ("request", number, marker) for number, marker in requests
    ]
    by_number = collections.Counter(number for _kind, number, _marker in stored)
    by_marker = collections.Counter(marker for _kind, _number, marker in stored)
    marker_of = {number: marker for _kind, number, marker in stored}
    acknowledged_numbers = {number for _kind, number, _marker in tally.acknowledged}
    missing = [n for _k, n, _m in tally.acknowledged if by_number[n] == 0]
    twice = [n for _k, n, _m in tally.acknowledged if by_number[n] > 1]
    wrong = [n for _k, n, m in tally.acknowledged if by_number[n] and marker_of[n] != m]
    return {
        "stored": len(stored),
        "acknowledged and stored once": sum(
            1 for _k, n, _m in tally.acknowledged if by_number[n] == 1
        ),
        "acknowledged but missing": len(missing),
        "acknowledged but stored twice": len(twice),
        "stored under another submission's number": len(wrong),
        "markers stored more than once": sum(1 for count in by_marker.values() if count > 1),
        "stored without an acknowledgement": sum(
            1 for _k, n, _m in stored if n not in acknowledged_numbers
        ),
    }


def report(args: argparse.Namespace, tally: Tally, checked: dict, events: list[str]) -> str:
    kinds = collections.Counter(kind for kind, _n, _m in tally.acknowledged)
    lines = [
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: "
        f"`{' '.join(['bench/soak.py', *sys.argv[1:]])}`, "
        f"{args.seconds} s, {args.workers} client threads, gunicorn with "
        f"{args.server_workers} sync workers, PostgreSQL.",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| requests sent | {tally.requests} |",
        f"| acknowledged (201 with a tracking number) | {len(tally.acknowledged)} "
        f"({kinds['complaint']} complaints, {kinds['request']} requests) |",
    ]
    for (phase, outcome), count in sorted(tally.errors.items()):
        lines.append(f"| errors {phase}: {outcome} | {count} |")
    for name, value in checked.items():
        lines.append(f"| {name} | {value} |")
    lines += ["", "Server events: " + "; ".join(events) + "."]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    content = DOC.read_text()
    begin, end = "<!-- soak:begin -->", "<!-- soak:end -->"
    head, _, rest = content.partition(begin)
    _, _, tail = rest.partition(end)
    DOC.write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=180, help="how long to load (default 180)")
    parser.add_argument("--workers", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--server-workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL to soak (default $SOAK_DATABASE_URL or {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--write-doc", action="store_true", help="update docs/reliability.md")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the soak needs PostgreSQL (concurrent writers)")
    if not 10 <= args.seconds <= 3600:
        parser.error("--seconds must be between 10 and 3600")

    ensure_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "1",  # loopback only; no TLS redirect or host list to configure
        "GONGKAI_SUBMISSION_LIMIT": "0",  # one client address: the per-address limit is off
        "CACHE_URL": "locmem://",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    print("preparing the database…", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_calendar")
    entity = int(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])

    port = free_port()
    log = ROOT / "var" / "soak-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = Server(env, port, args.server_workers, log)
    server.start()
    base = f"http://{HOST}:{port}"
    run = uuid.uuid4().hex[:8]
    tally, stop = Tally(), threading.Event()
    threads = [
        threading.Thread(target=client, args=(base, entity, run, stop, tally, n), daemon=True)
        for n in range(args.workers)
    ]
    events: list[str] = []
    started = time.monotonic()
    print(f"soak {run}: {args.seconds} s against {base}", flush=True)
    for thread in threads:
        thread.start()
    try:
        time.sleep(args.seconds / 3)
        server.reload()
        tally.phase = "after the graceful reload"
        events.append(f"graceful reload (SIGHUP) at {time.monotonic() - started:.0f} s")
        print(events[-1], flush=True)
        time.sleep(args.seconds / 3)
        server.kill()
        tally.phase = "during and after the hard kill"
        killed = time.monotonic()
        server.start()
        events.append(
            f"hard kill (SIGKILL of master and workers) at {killed - started:.0f} s, "
            f"serving again {time.monotonic() - killed:.1f} s later"
        )
        print(events[-1], flush=True)
        time.sleep(max(0.0, args.seconds - (time.monotonic() - started)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        server.stop()
    checked = check(args.database_url, run, tally)
    text = report(args, tally, checked, events)
    print(text)
    if args.write_doc:
        write_doc(text)
    failed = (
        checked["acknowledged but missing"]
        + checked["acknowledged but stored twice"]
        + checked["stored under another submission's number"]
        + checked["markers stored more than once"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
