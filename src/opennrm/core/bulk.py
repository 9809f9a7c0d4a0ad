"""Insert many plain rows without building a model instance for each (batch imports).

`bulk_create` prepares every field of every instance through the ORM, about a third of an
import's time for the rows of a register (two dozen blind-index rows per person). For rows of
a few fields that need no defaults computed in Python and send no signals, `insert_rows`
prepares each value with its field's own conversion and hands the rows to the driver's
`executemany` (SQLite's C loop; psycopg's pipeline on PostgreSQL).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.db import connections, models, router


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    copy: bool = False,
) -> int:
    """INSERT `rows` (values in the order of `fields`) into the model's table; the other
    columns take their database defaults (an auto id). Values must be hashable (each distinct
    value of a column is converted once). `copy`: on PostgreSQL, by COPY, the values as they
    are (only for a table without row-level security, and plain values). Returns the number
    of rows."""
    connection = connections[router.db_for_write(model)]
    columns = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    # The table and column names come from the model; the values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(_column_name(column)) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    # A value repeats down a column (a person's id on each of their key rows): prepared once.
    memo: list[dict[Any, Any]] = [{} for _ in columns]

    def prep(index: int, value: Any) -> Any:
        known = memo[index]
        if value not in known:
            known[value] = columns[index].get_db_prep_save(value, connection)
        return known[value]

    if copy and connection.vendor == "postgresql":
        # COPY: about 10 µs a row where the pipeline of INSERTs costs about 90 (measured on the
        # statistics facts); PostgreSQL refuses it on tables under row-level security. The
        # values go as they are: plain str, int, bool, date, UUID or None only.
        head = sql.split(" VALUES ", 1)[0].replace("INSERT INTO", "COPY", 1)
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(head + " FROM STDIN") as stream:
            for row in rows:
                if len(row) != len(columns):
                    raise ValueError(f"every row needs a value for each of {list(fields)}")
                stream.write_row(row)
                count += 1
        return count
    prepared = [[prep(i, value) for i, value in enumerate(row)] for row in rows]
    if any(len(row) != len(columns) for row in prepared):
        raise ValueError(f"every row needs a value for each of {list(fields)}")
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)


def _column_name(field: models.Field[Any, Any]) -> str:
    if field.column is None:
        raise ValueError(f"{field.name} has no column of its own")
    return field.column


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch builds tens of thousands of objects it
    keeps to the end anyway (measured: a quarter of an import's time went to collections that
    found nothing). Reference counting still frees what is dropped; the collector runs again
    as soon as the batch ends. The pause is process-wide, so keep it to a bounded piece of
    work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
