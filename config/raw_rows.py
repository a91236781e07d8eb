"""Model instances from the rows of a fixed SQL statement, converted as the ORM converts them.

The public record pages read their rows with hand-written SQL (docs/performance.md, point 11):
compiling an ORM query with prefetches cost more than running it. Values still go through the
backend's and the fields' own converters (SQLite's dates, datetimes and booleans), found once
per process for each model, field list and database alias.
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


@functools.cache
def _converters(
    model: type[Model], names: tuple[str, ...], alias: str
) -> tuple[tuple[int, Any, list[Any]], ...]:
    """(position, column expression, converters) for each field of `names` that has any.

    They depend only on the backend and the settings (SQLite's datetimes: the connection's time
    zone, the same for every thread's connection of an alias).
    """
    connection = connections[alias]
    found = []
    for position, name in enumerate(names):
        model_field = model._meta.get_field(name)
        expression = model_field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression) + model_field.get_db_converters(
            connection
        )
        if converters:
            found.append((position, expression, converters))
    return tuple(found)


def model_from_row(
    model: type[Model],
    connection: BaseDatabaseWrapper,
    names: Sequence[str],
    values: Sequence[Any],
) -> Any:
    """A `model` instance of `values` for the fields `names`, read through `connection`.

    Fields not in `names` are deferred: the page must not read them (a query each).
    """
    names = tuple(names)
    converted = list(values)
    for position, expression, converters in _converters(model, names, connection.alias):
        value = converted[position]
        if value is not None:
            for convert in converters:
                value = convert(value, expression, connection)
            converted[position] = value
    return model.from_db(connection.alias, list(names), converted)
