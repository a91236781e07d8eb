"""The read-replica router: public reads go to the replica, writes and officials to the primary.

The alias `replica` is added for these tests as a second connection to the test database (what
`DATABASE_REPLICA_URL` with `TEST: MIRROR` gives a test run); committed data (transactional
tests) is what both connections see, as with a replica that has caught up.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings
from django.urls import reverse

from config import db_router
from config.db_router import REPLICA_DB_ALIAS, PrimaryReplicaRouter, reads_from_replica
from services.models import (
    ConsultationCount,
    ServiceDailySummary,
    ServiceDurationCount,
    ServiceItem,
)
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceItemFactory

ROOT = Path(__file__).resolve().parents[2]
ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
STATISTICS_TABLES = [
    model._meta.db_table for model in (ServiceDailySummary, ServiceDurationCount, ConsultationCount)
]


def environ(method: str = "GET", path: str = "/services/", **headers: str) -> dict:
    return {"REQUEST_METHOD": method, "PATH_INFO": path, **headers}


@pytest.mark.parametrize(
    ("request_environ", "replica"),
    [
        (environ(), True),
        (environ("HEAD", "/en/statistics/"), True),
        (environ(path="/api/v1/disclosure/entries/"), True),
        (environ(HTTP_COOKIE="csrftoken=abc; django_language=en"), True),
        (environ("POST", "/complaints/new/"), False),
        (environ(path="/admin/"), False),
        (environ(path="/officials/queue/"), False),
        (environ(HTTP_COOKIE="sessionid=abc"), False),
        (environ(HTTP_COOKIE="messages=abc"), False),  # a POST just redirected here
        (environ(HTTP_AUTHORIZATION="Token abc"), False),
    ],
)
def test_only_anonymous_public_reads_may_be_served_by_the_replica(request_environ, replica):
    assert reads_from_replica(request_environ) is replica


@override_settings(GONGKAI_ADMIN_PATH="back-office/")
def test_the_admin_at_its_configured_path_reads_the_primary():
    assert reads_from_replica(environ(path="/back-office/login/")) is False
    assert reads_from_replica(environ(path="/admin/")) is True  # just a public 404 then


def test_the_router_follows_the_request_and_pins_to_the_primary_after_a_write():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(ServiceItem) == DEFAULT_DB_ALIAS  # outside a request: primary

    db_router.request_started_handler(None, environ=environ())
    try:
        assert router.db_for_read(ServiceItem) == REPLICA_DB_ALIAS
        assert router.db_for_write(ServiceItem) == DEFAULT_DB_ALIAS
        assert router.db_for_read(ServiceItem) == DEFAULT_DB_ALIAS  # reads its own write
    finally:
        db_router.request_finished_handler(None)
    assert db_router.read_alias() == DEFAULT_DB_ALIAS

    db_router.request_started_handler(None, environ=environ("POST"))
    try:
        assert router.db_for_read(ServiceItem) == DEFAULT_DB_ALIAS
    finally:
        db_router.request_finished_handler(None)


def test_the_statistics_sources_are_read_from_the_primary_even_in_a_public_read():
    router = PrimaryReplicaRouter()
    db_router.request_started_handler(None, environ=environ(path="/statistics/"))
    try:
        assert router.db_for_read(ServiceDailySummary) == DEFAULT_DB_ALIAS
        assert router.db_for_read(ServiceDurationCount) == DEFAULT_DB_ALIAS
        assert router.db_for_read(ConsultationCount) == DEFAULT_DB_ALIAS
        assert router.db_for_read(ServiceItem) == REPLICA_DB_ALIAS
    finally:
        db_router.request_finished_handler(None)


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "services") is True
    assert router.allow_migrate(REPLICA_DB_ALIAS, "services") is False


# --- Real queries on two aliases -----------------------------------------------------------------


class QueryLog:
    """The SQL each alias ran, by statement kind."""

    def __init__(self) -> None:
        self.sql: dict[str, list[str]] = {DEFAULT_DB_ALIAS: [], REPLICA_DB_ALIAS: []}

    def wrapper(self, alias: str):  # noqa: ANN201
        def record(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            self.sql[alias].append(sql)
            return execute(sql, params, many, context)

        return record

    def reads(self, alias: str) -> list[str]:
        return [sql for sql in self.sql[alias] if sql.lstrip().upper().startswith("SELECT")]

    def writes(self, alias: str) -> list[str]:
        return [
            sql
            for sql in self.sql[alias]
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]

    def clear(self) -> None:
        for statements in self.sql.values():
            statements.clear()


@pytest.fixture
def replica(transactional_db):  # noqa: ANN001, ANN201
    """A `replica` alias on the test database, the router on, and a log of each alias' SQL."""
    connections.settings[REPLICA_DB_ALIAS] = {
        **connections[DEFAULT_DB_ALIAS].settings_dict,
        "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
    }
    # Connected here: the test case only lets aliases it knew at its start connect on demand.
    connections[REPLICA_DB_ALIAS].connect()
    log = QueryLog()
    with (
        override_settings(DATABASE_ROUTERS=ROUTERS),
        connections[DEFAULT_DB_ALIAS].execute_wrapper(log.wrapper(DEFAULT_DB_ALIAS)),
        connections[REPLICA_DB_ALIAS].execute_wrapper(log.wrapper(REPLICA_DB_ALIAS)),
    ):
        yield log
    connections[REPLICA_DB_ALIAS].close()
    del connections[REPLICA_DB_ALIAS]
    del connections.settings[REPLICA_DB_ALIAS]


def test_a_citizens_page_is_read_from_the_replica(client, replica):
    item = ServiceItemFactory(name="城镇污水排入排水管网许可")
    replica.clear()

    response = client.get(reverse("services:item-detail", args=[item.pk]))

    assert response.status_code == 200
    assert "城镇污水排入排水管网许可" in response.content.decode()
    assert any("services_serviceitem" in sql for sql in replica.reads(REPLICA_DB_ALIAS))
    # The primary answers only the item's measured record, from the statistics' sources.
    assert replica.writes(DEFAULT_DB_ALIAS) == []
    assert all(
        re.search(rf'FROM "({"|".join(STATISTICS_TABLES)})"', sql)
        for sql in replica.sql[DEFAULT_DB_ALIAS]
    ), replica.sql[DEFAULT_DB_ALIAS]


def test_a_signed_in_officials_reads_and_writes_go_to_the_primary(client, replica):
    item = ServiceItemFactory(name="城镇污水排入排水管网许可")
    client.force_login(UserFactory(is_superuser=True))
    replica.clear()

    page = client.get(reverse("services:item-detail", args=[item.pk]))
    change = client.get(reverse("admin:services_serviceitem_change", args=[item.pk]))

    assert page.status_code == change.status_code == 200
    assert replica.reads(DEFAULT_DB_ALIAS)
    assert replica.sql[REPLICA_DB_ALIAS] == []


def test_a_request_that_wrote_reads_its_own_write_from_the_primary(replica):
    item = ServiceItemFactory(name="旧名称")
    replica.clear()

    db_router.request_started_handler(None, environ=environ())
    try:
        assert ServiceItem.objects.get(pk=item.pk).name == "旧名称"
        assert len(replica.reads(REPLICA_DB_ALIAS)) == 1
        ServiceItem.objects.filter(pk=item.pk).update(name="新名称")
        assert ServiceItem.objects.get(pk=item.pk).name == "新名称"
    finally:
        db_router.request_finished_handler(None)

    assert len(replica.reads(REPLICA_DB_ALIAS)) == 1  # the second read went to the primary
    assert len(replica.writes(DEFAULT_DB_ALIAS)) == 1
    assert replica.writes(REPLICA_DB_ALIAS) == []
    assert len(replica.reads(DEFAULT_DB_ALIAS)) == 1


def test_reads_inside_a_transaction_go_to_the_primary(replica):
    item = ServiceItemFactory()
    replica.clear()

    db_router.request_started_handler(None, environ=environ())
    try:
        with transaction.atomic():
            ServiceItem.objects.get(pk=item.pk)
    finally:
        db_router.request_finished_handler(None)

    assert replica.sql[REPLICA_DB_ALIAS] == []
    assert len(replica.reads(DEFAULT_DB_ALIAS)) == 1


def test_a_citizens_submission_reads_and_writes_the_primary(client, replica):
    replica.clear()

    response = client.post(reverse("services:case-lookup"), {"tracking_no": "BJ-0", "code": "x"})

    assert response.status_code in (200, 302, 400, 429)
    assert replica.sql[REPLICA_DB_ALIAS] == []


# --- Settings --------------------------------------------------------------------------------


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CACHE_"))}
    environment.pop("DATABASE_URL", None)
    environment.pop("DATABASE_REPLICA_URL", None)
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SHOW = (
    "from django.conf import settings; "
    "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
    "settings.DATABASES.get('replica', {}).get('HOST'))"
)


def test_without_a_replica_url_there_is_one_database_and_no_router():
    result = run_python(SHOW, DATABASE_URL="postgres://postgres@db1:5432/gongkai")

    assert result.stdout.strip() == "['default'] [] None", result.stderr


def test_a_replica_url_adds_the_replica_and_the_router():
    result = run_python(
        SHOW,
        DATABASE_URL="postgres://postgres@db1:5432/gongkai",
        DATABASE_REPLICA_URL="postgres://reader@db2:5432/gongkai",
    )

    assert result.stdout.strip() == (
        "['default', 'replica'] ['config.db_router.PrimaryReplicaRouter'] db2"
    ), result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": "postgres://postgres@db1/gongkai", "DATABASE_REPLICA_URL": "nonsense"},
        {"DATABASE_URL": "postgres://postgres@db1/gongkai", "DATABASE_REPLICA_URL": "sqlite:///x"},
        {"DATABASE_REPLICA_URL": "postgres://reader@db2:5432/gongkai"},  # primary on SQLite
    ],
)
def test_a_bad_replica_url_stops_start_up_with_one_line_naming_it(env):
    result = run_python("import django; django.setup()", **env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_REPLICA_URL" in lines[0]
