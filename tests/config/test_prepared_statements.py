"""DJANGO_DB_PREPARED_STATEMENTS: psycopg 3 server-side binding and automatic prepared statements.

settings.py is run afresh under each case's environment (its module-level code only builds
dictionaries: no connection is opened); the last test checks that the options of the running test
database reach its connection.
"""

import os
import runpy
from pathlib import Path

import pytest
from django.db import connection

SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings.py"
PRIMARY = "postgres://postgres@127.0.0.1:5432/gongkai_settings_only"
REPLICA = "postgres://postgres@127.0.0.1:5432/gongkai_settings_only_replica"


@pytest.fixture
def database_options(monkeypatch):  # noqa: ANN001, ANN201 - pytest fixtures
    """OPTIONS of every alias as settings.py builds them from the given environment."""

    def build(**env: str) -> dict:
        for variable in list(os.environ):
            if variable.startswith(("DJANGO_", "DATABASE_")):
                monkeypatch.delenv(variable)
        for variable, value in env.items():
            monkeypatch.setenv(variable, value)
        databases = runpy.run_path(str(SETTINGS))["DATABASES"]
        return {alias: dict(d.get("OPTIONS", {})) for alias, d in databases.items()}

    return build


def test_on_sets_server_side_binding_and_the_threshold_on_every_postgresql_alias(
    database_options,
):
    options = database_options(
        DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA, DJANGO_DB_PREPARED_STATEMENTS="1"
    )

    for alias in ("default", "replica"):
        assert options[alias]["server_side_binding"] is True
        assert options[alias]["prepare_threshold"] == 2


def test_the_threshold_is_read_from_the_environment(database_options):
    options = database_options(
        DATABASE_URL=PRIMARY,
        DJANGO_DB_PREPARED_STATEMENTS="on",
        DJANGO_DB_PREPARE_THRESHOLD="5",
    )

    assert options["default"]["prepare_threshold"] == 5


def test_off_leaves_the_postgresql_options_alone(database_options):
    options = database_options(DATABASE_URL=PRIMARY, DJANGO_DB_PREPARED_STATEMENTS="0")

    assert "server_side_binding" not in options["default"]
    assert "prepare_threshold" not in options["default"]


def test_sqlite_is_left_alone_even_when_on(database_options):
    options = database_options(DATABASE_URL="sqlite:///:memory:", DJANGO_DB_PREPARED_STATEMENTS="1")

    assert "server_side_binding" not in options["default"]
    assert "prepare_threshold" not in options["default"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_options_reach_the_postgresql_connection():
    """Whatever the run's setting, the live connection binds and prepares as its OPTIONS say."""
    options = connection.settings_dict.get("OPTIONS", {})
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor_class = type(cursor.cursor).__name__

    if options.get("server_side_binding") is True:
        assert cursor_class == "ServerBindingCursor"
        assert connection.connection.prepare_threshold == options["prepare_threshold"]
    else:
        assert cursor_class == "Cursor"  # Django's client-side binding cursor
        assert connection.connection.prepare_threshold is None
