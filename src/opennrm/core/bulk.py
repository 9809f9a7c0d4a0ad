"""Insert many plain rows without building a model instance for each (batch imports).

`bulk_create` prepares every field of every instance through the ORM, about a third of an
import's time for the rows of a register (two dozen blind-index rows per person). For rows of
a few fields that need no defaults computed in Python and send no signals, `insert_rows`
prepares each value with its field's own conversion and hands the rows to the driver's
`executemany` (SQLite's C loop; psycopg's pipeline on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connections, models, router


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT `rows` (values in the order of `fields`) into the model's table; the other
    columns take their database defaults (an auto id). Returns the number of rows."""
    connection = connections[router.db_for_write(model)]
    columns = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    # The table and column names come from the model; the values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(_column_name(column)) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    prepared = [
        [
            column.get_db_prep_save(value, connection)
            for column, value in zip(columns, row, strict=True)
        ]
        for row in rows
    ]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)


def _column_name(field: models.Field[Any, Any]) -> str:
    if field.column is None:
        raise ValueError(f"{field.name} has no column of its own")
    return field.column
