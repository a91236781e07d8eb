"""An ORM expression for SQL that refers to the outer query's entry id (the search index join)."""

from collections.abc import Sequence

from django.db.models import F, Field, Func


class EntrySql(Func):
    """SQL with `{pk}` standing for the current row's primary key, and %s parameters.

    Lets the search filter (`{pk} = ANY(ARRAY(SELECT …))`) and the rank (a correlated
    subquery) work on any CatalogueEntry queryset the caller built, with the right table alias,
    without `extra()` and without interpolating user text: the search terms are parameters.
    """

    def __init__(self, sql: str, params: Sequence[object], *, output_field: Field) -> None:
        super().__init__(F("pk"), output_field=output_field)
        self.sql = sql
        self.params = tuple(params)

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.get_source_expressions()[0])
        if pk_params:
            raise ValueError("the primary key column must compile without parameters")
        return self.sql.replace("{pk}", pk_sql), self.params
