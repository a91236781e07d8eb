"""Two app servers, one database, one Redis: what is done through one is seen through the other.

Two gunicorn instances (separate processes, separate ports) run against the test database on
PostgreSQL with `CACHE_URL` on a Redis database of their own and `DATABASE_REPLICA_URL` set to
the same database (the read-replica router on, with a replica that never lags). The test's data
is committed (a transactional test), so the servers see it. An official signs in through A and
the same session cookie works on B; cases accepted through A show at once in B's statistics,
for an anonymous reader (whose page B had cached) and for the official (whose request skips the
page cache but reads the statistics cache); and the other way round. One address's complaint
submissions are counted once across both (the rate limit's counters are in Redis).

Needs PostgreSQL and a reachable Redis (`GONGKAI_TEST_REDIS_URL`, default db 13, flushed before
and after: never point it at a database in use).
"""

import http.client
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from services.actions.cases import case_receive
from services.models import ServiceCase
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceItemFactory

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "twin-instances-2026"  # noqa: S105 - a test account in the test database
ADMIN = "/admin/"
SUBMISSION_LIMIT = 3  # complaint submissions per address and day, on the servers
# The anonymous page cache (config.page_cache): where it exists, B's warm page must be a hit.
PAGE_CACHE = importlib.util.find_spec("config.page_cache") is not None

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def redis_or_skip():  # noqa: ANN201
    """A client on the test's Redis database, or skip the test when Redis cannot be reached."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_URL} (GONGKAI_TEST_REDIS_URL)")
    return client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test writes to (pytest-django's test database)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Instance:
    """One gunicorn server; `get`/`post` carry a cookie jar the caller hands them."""

    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def request(
        self,
        method: str,
        path: str,
        cookies: dict[str, str] | None = None,
        form: dict | None = None,
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", "replace"))
        finally:
            conn.close()
        if cookies is not None:
            for line in response.headers.get_all("Set-Cookie") or []:
                for morsel in SimpleCookie(line).values():
                    cookies[morsel.key] = morsel.value
        return response

    def get(self, path: str, cookies: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, cookies)

    def post(self, path: str, form: dict, cookies: dict[str, str]) -> Response:
        return self.request("POST", path, cookies, form)


@dataclass
class Pair:
    a: Instance
    b: Instance
    redis: object
    instances: list[Instance] = field(default_factory=list)


def start(name: str, env: dict[str, str], tmp: Path) -> Instance:
    port = free_port()
    log = tmp / f"gunicorn-{name}.log"
    process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
        [
            str(GUNICORN),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Instance(name, port, process, log)


def wait_ready(instance: Instance, deadline: float) -> None:
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            pytest.fail(f"gunicorn {instance.name} exited:\n{instance.log.read_text()[-3000:]}")
        try:
            if instance.get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn {instance.name} did not answer:\n{instance.log.read_text()[-3000:]}")


@pytest.fixture
def twins(tmp_path):  # noqa: ANN001, ANN201
    """Servers A and B on the committed test data, sharing one Redis database."""
    redis = redis_or_skip()
    redis.flushdb()
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CACHE_", "DATABASE_", "GONGKAI_"))
    }
    environment.update(
        DATABASE_URL=database_url(),
        DATABASE_REPLICA_URL=database_url(),
        CACHE_URL=REDIS_URL,
        DJANGO_DEBUG="1",  # no collected static files in a test; the rest is the same code
        DJANGO_SECRET_KEY="two-instances-share-one-secret-key-" + "x" * 30,
        GONGKAI_DEMO="0",
        GONGKAI_PAGE_CACHE="1",
        GONGKAI_SUBMISSION_LIMIT=str(SUBMISSION_LIMIT),
        GONGKAI_SUBMISSION_WINDOW_SECONDS="86400",
        GONGKAI_VAR_DIR=str(tmp_path / "var"),
        GONGKAI_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_LOG_LEVEL="WARNING",
    )
    pair = [start(name, environment, tmp_path) for name in ("A", "B")]
    try:
        deadline = time.monotonic() + 120
        for instance in pair:
            wait_ready(instance, deadline)
        yield Pair(*pair, redis=redis)
    finally:
        for instance in pair:
            instance.process.terminate()
        for instance in pair:
            try:
                instance.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                instance.process.kill()
                instance.process.wait()
        for instance in pair:  # shown by pytest when the test failed
            print(f"--- gunicorn {instance.name} ---\n{instance.log.read_text()[-4000:]}")  # noqa: T201
        redis.flushdb()
        connection.close()  # the servers' connections are gone; flush the tables afresh


def form_token(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:2000]
    return match.group(1)


def figure(page: Response, name: str) -> int:
    match = re.search(rf'data-figure="{name}">(\d+)<', page.text)
    assert match, page.text[:2000]
    return int(match.group(1))


def sign_in(instance: Instance, username: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    login = instance.get(f"{ADMIN}login/", cookies)
    assert login.status == 200
    done = instance.post(
        f"{ADMIN}login/?next={ADMIN}",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": form_token(login)},
        cookies,
    )
    assert done.status == 302, done.text[:2000]
    assert urlsplit(done.header("Location")).path == ADMIN
    assert "sessionid" in cookies
    return cookies


def run_case_action(instance: Instance, cookies: dict[str, str], action: str, case) -> None:  # noqa: ANN001
    """An admin list action on one case, as the official's browser sends it."""
    changelist = f"{ADMIN}services/servicecase/"
    page = instance.get(changelist, cookies)
    assert page.status == 200
    done = instance.post(
        changelist,
        {
            "action": action,
            "_selected_action": [case.pk],
            "index": "0",
            "select_across": "0",
            "csrfmiddlewaretoken": form_token(page),
        },
        cookies,
    )
    assert done.status == 302, done.text[:2000]


def test_two_instances_share_sessions_caches_and_rate_limits(twins):
    official = UserFactory(username="twin-official", is_superuser=True)
    official.set_password(PASSWORD)
    official.save()
    item = ServiceItemFactory(name="城镇污水排入排水管网许可")
    today = timezone.localdate()
    case = case_receive(
        item=item,
        applicant_type=ServiceCase.ApplicantType.PERSON,
        applicant_name="张三",
        channel=ServiceCase.Channel.WINDOW,
        received_on=today,
        by=official,
    ).case
    statistics = f"/statistics/?period=month&year={today.year}&month={today.month}"
    a, b = twins.a, twins.b

    # An anonymous reader's statistics on B: rendered once, then from the page cache.
    first = b.get(statistics)
    assert first.status == 200
    assert figure(first, "accepted") == 0
    assert first.header("X-Page-Cache") in (None, "miss")
    warm = b.get(statistics)
    page_cache = PAGE_CACHE or warm.header("X-Page-Cache") is not None
    if page_cache:
        assert warm.header("X-Page-Cache") == "hit"

    # Signed in through A, the same cookie is a signed-in official on B.
    cookies = sign_in(a, "twin-official")
    for instance in (a, b):
        index = instance.get(ADMIN, dict(cookies))
        assert index.status == 200, instance.name
        assert "twin-official" in index.text
    assert b.get(ADMIN).status == 302  # without the cookie: the login page

    # The official's own view of the public page on B: no page cache, the statistics cache.
    assert figure(b.get(statistics, dict(cookies)), "accepted") == 0

    # Accepted through A: B shows it at once, to the anonymous reader and to the official.
    run_case_action(a, cookies, "accept_today", case)
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.ACCEPTED

    fresh = b.get(statistics)
    assert figure(fresh, "accepted") == 1
    if page_cache:
        assert fresh.header("X-Page-Cache") == "miss"
        assert b.get(statistics).header("X-Page-Cache") == "hit"
    assert figure(b.get(statistics, dict(cookies)), "accepted") == 1

    # And the other way round: completed through B, A's pages (warm on A first) follow.
    assert figure(a.get(statistics), "completed") == 0
    if page_cache:
        assert a.get(statistics).header("X-Page-Cache") == "hit"
    run_case_action(b, cookies, "approve_today", case)

    assert figure(a.get(statistics), "completed") == 1
    assert figure(a.get(statistics, dict(cookies)), "completed") == 1
    assert figure(b.get(statistics), "completed") == 1

    # Signed out through B: the session is gone on A too.
    signed_in = dict(cookies)
    logout = b.post(f"{ADMIN}logout/", {"csrfmiddlewaretoken": cookies["csrftoken"]}, cookies)
    assert logout.status in (200, 302)
    assert a.get(ADMIN, signed_in).status == 302

    # One address's complaint submissions are counted once across both servers (in Redis).
    citizen: dict[str, str] = {}
    token = form_token(a.get("/complaints/new/", citizen))
    answers = [
        instance.post("/complaints/new/", {"csrfmiddlewaretoken": token}, citizen).status
        for instance in (a, b, a, b)
    ]
    assert answers[:SUBMISSION_LIMIT] == [200] * SUBMISSION_LIMIT  # the form, with its errors
    assert answers[SUBMISSION_LIMIT:] == [429]
