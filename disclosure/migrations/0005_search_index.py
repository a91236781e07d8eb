"""The catalogue's full-text search index, per database (see disclosure/search/).

PostgreSQL: a side table of jieba tsvectors with a GIN index. SQLite: an FTS5 table over the
same tokens. Each operation runs only on its own database and is a no-op on the other. The
tables are not Django models, so `makemigrations` never sees them.
"""

from django.db import migrations

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS disclosure_catalogue_search ("
    " entry_id bigint PRIMARY KEY,"
    " document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS disclosure_catalogue_search_gin"
    " ON disclosure_catalogue_search USING gin (document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS disclosure_catalogue_search"]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_catalogue_fts"
    " USING fts5(title, summary, body, tokenize='unicode61')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS disclosure_catalogue_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0004_entity_memberships'),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
            elidable=False,
        ),
    ]
