"""Bulk writes for the generator: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of `BulkWriter.columns` (the model's concrete fields,
primary key first). Primary keys are handed out by the generator (`next_ids`), so that the
rows that refer to them (cases to items, the search index to entries) need no round trip;
`finish()` moves the table's sequence past them.
"""

import json
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone


class BulkWriter:
    """Buffered inserts into one model's table, flushed every `batch` rows."""

    def __init__(self, model: type[models.Model], *, batch: int = 5000) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [field.attname for field in self.fields]
        self.batch = batch
        self.rows: list[tuple] = []
        self.written = 0
        self._postgres = connection.vendor == "postgresql"
        now = timezone.now()
        self._defaults = {}
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self._defaults[field.attname] = now
            elif field.primary_key:
                self._defaults[field.attname] = None
            else:
                self._defaults[field.attname] = field.get_default()
        self._json = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        self._datetimes = [
            i for i, f in enumerate(self.fields) if isinstance(f, models.DateTimeField)
        ]
        self._dates = [
            i
            for i, f in enumerate(self.fields)
            if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
        ]
        self._decimals = [
            (i, f) for i, f in enumerate(self.fields) if isinstance(f, models.DecimalField)
        ]

    def row(self, **values: object) -> None:
        """Queue one row; fields not given get their default (auto_now fields: now).

        Give every row its primary key, or none (the database numbers them).
        """
        if not self.rows and not self.written and self.fields[0].attname not in values:
            self.fields = self.fields[1:]
            self.columns = self.columns[1:]
            self._json = {i - 1 for i in self._json}
            self._datetimes = [i - 1 for i in self._datetimes]
            self._dates = [i - 1 for i in self._dates]
            self._decimals = [(i - 1, f) for i, f in self._decimals]
        unknown = set(values) - set(self.columns)
        if unknown:
            raise TypeError(f"{self.model.__name__}: unknown columns {sorted(unknown)}")
        self.rows.append(tuple(values.get(name, self._defaults[name]) for name in self.columns))
        if len(self.rows) >= self.batch:
            self.flush()

    def _prepared(self, rows: Iterable[tuple]) -> list[list]:
        out = []
        ops = connection.ops
        for row in rows:
            values = list(row)
            for i in self._json:
                values[i] = json.dumps(values[i], ensure_ascii=False)
            if not self._postgres:
                for i in self._datetimes:
                    if values[i] is not None:
                        values[i] = ops.adapt_datetimefield_value(values[i])
                for i in self._dates:
                    if values[i] is not None:
                        values[i] = ops.adapt_datefield_value(values[i])
                for i, field in self._decimals:
                    if values[i] is not None:
                        values[i] = ops.adapt_decimalfield_value(
                            values[i], field.max_digits, field.decimal_places
                        )
            out.append(values)
        return out

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        rows = self._prepared(self.rows)
        with connection.cursor() as cursor:
            if self._postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        self.written += len(self.rows)
        self.rows = []

    def finish(self) -> int:
        """Write what is left and move the primary-key sequence past the rows written."""
        self.flush()
        reset_sequences([self.model])
        return self.written


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """Move the tables' id sequences past their largest id (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of the model's table (ids are handed out from here)."""
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
