# ruff: noqa: S603, S607, S608 - our own SQL on table names from the catalogue, our own tools
"""Backups restore: a pg_dump of a populated database, restored into an empty one, is the same.

PostgreSQL only (pg_dump, pg_restore and psql on PATH). The data is committed (transactional
test), dumped in the custom format as docs/backups.md says, restored into a new database with a
unique name, compared table by table (row counts, and a sample of rows as text), and the
scratch database is dropped. `bench/backup_check.sh`, the operator's check, is run on the same
data and must pass, uploaded files included.
"""

import datetime
import io
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from complaints.models import ComplaintAttachment
from tests.factories.complaints import RectificationProjectFactory, submit_complaint
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    make_request,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ROWS = 5


def _url(name: str) -> str:
    """A postgres:// URL for database `name` on the test database's server."""
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{name}"


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [row[0] for row in cursor.fetchall()]


def _snapshot(cursor) -> dict[str, tuple[int, list[str]]]:
    """Per table: its row count and its first rows as text (ordered by that text)."""
    snapshot = {}
    for table in _tables(cursor):
        cursor.execute(f'SELECT count(*) FROM public."{table}"')
        count = cursor.fetchone()[0]
        cursor.execute(
            f'SELECT r::text FROM public."{table}" r ORDER BY r::text LIMIT {SAMPLE_ROWS}'
        )
        snapshot[table] = (count, [row[0] for row in cursor.fetchall()])
    return snapshot


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 200)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def populated(settings, tmp_path) -> Path:
    """A little of every app, an uploaded file included; returns MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    entity = AdministrativeEntityFactory()
    for _ in range(3):
        submit_complaint(entity=entity)
    submit_complaint(entity=entity, attachments=[_jpeg()])
    make_request(entity=entity, received=datetime.date(2026, 5, 6))
    CatalogueEntryFactory.create_batch(2)
    RectificationProjectFactory()
    assert ComplaintAttachment.objects.count() == 1
    return settings.MEDIA_ROOT


@pytest.fixture
def scratch_database():
    """The name of a new, empty database; dropped afterwards."""
    name = f"gongkai_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _postgres_tools() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"PostgreSQL client tools missing: {', '.join(missing)}")


def test_a_dump_restored_into_an_empty_database_has_every_table_row_and_file(
    populated, scratch_database, tmp_path
):
    source_url = _url(connection.settings_dict["NAME"])
    dump = tmp_path / "gongkai.dump"

    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={dump}",
            source_url,
        ],
        check=True,
    )
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={_url(scratch_database)}",
            str(dump),
        ],
        check=True,
    )

    with connection.cursor() as cursor:
        source = _snapshot(cursor)
    with psycopg.connect(_url(scratch_database)) as restored_connection:
        with restored_connection.cursor() as cursor:
            restored = _snapshot(cursor)
    assert restored.keys() == source.keys()
    assert {t: c for t, (c, _) in restored.items()} == {t: c for t, (c, _) in source.items()}
    assert restored == source  # the sampled rows too
    assert source["complaints_complaint"][0] == 4
    assert source["disclosure_informationrequest"][0] == 1
    assert sum(count for count, _rows in source.values()) > 20

    # The operator's check (docs/backups.md), uploaded files included, passes on the same data.
    result = subprocess.run(
        [
            "sh",
            str(ROOT / "bench" / "backup_check.sh"),
            _url(connection.settings_dict["NAME"]),
            str(populated),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical after restore" in result.stdout
    assert "files: 1 files, identical after restore" in result.stdout
