"""Insert many plain rows without building a model instance for each (batch imports).

`bulk_create` prepares every field of every instance through the ORM and assembles a
many-row statement per batch, about a third of an import's time for the rows of a register
(two dozen blind-index rows per person). `insert_rows` prepares each value with its field's
own conversion (once per distinct value down a column) and sends them in one statement:
`executemany` on SQLite (its C loop), one `INSERT ... SELECT FROM unnest(arrays)` on
PostgreSQL, its arrays sent in PostgreSQL's binary format; `insert_models` does the same for
model instances built in Python (their defaults and `auto_now_add` filled as `save` would),
where `bulk_create` would do.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router

logger = logging.getLogger(__name__)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    copy: bool = False,
) -> int:
    """INSERT `rows` (values in the order of `fields`) into the model's table; the other
    columns take their database defaults (an auto id). `copy`: on PostgreSQL, by COPY, the
    values as they are (only for a table without row-level security, and plain values).
    Returns the number of rows."""
    connection = connections[router.db_for_write(model)]
    columns = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    # The table and column names come from the model; the values go as parameters.
    target = "{} ({})".format(
        quote(model._meta.db_table), ", ".join(quote(_column_name(column)) for column in columns)
    )
    convert = [_converter(column, connection) for column in columns]
    if copy and connection.vendor == "postgresql":
        # COPY: about 10 µs a row where the pipeline of INSERTs costs about 90 (measured on the
        # statistics facts); PostgreSQL refuses it on tables under row-level security. The
        # values go as they are: plain str, int, bool, date, UUID or None only.
        head = f"COPY {target}"
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(head + " FROM STDIN") as stream:
            for row in rows:
                if len(row) != len(columns):
                    raise ValueError(f"every row needs a value for each of {list(fields)}")
                stream.write_row(row)
                count += 1
        return count
    rows = list(rows)
    if any(len(row) != len(columns) for row in rows):
        raise ValueError(f"every row needs a value for each of {list(fields)}")
    if not rows:
        return 0
    # Converted column by column: a column whose values are all of the type its field sends
    # as they are (str for text, int for integers, bytes for binary) goes without a call per
    # value (two dozen blind-index rows a person, a dozen ciphertexts).
    prepared: list[Sequence[Any]] = [
        values
        if plain is not None and all(type(v) is plain for v in values)
        else list(map(c, values))
        for (c, plain), values in zip(convert, zip(*rows, strict=True), strict=True)
    ]
    if connection.vendor == "postgresql":
        _insert_arrays(connection, model, columns, prepared)
        return len(rows)
    sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*prepared, strict=True)))
    return len(rows)


def _insert_arrays(
    connection: Any,
    model: type[models.Model],
    columns: list[models.Field[Any, Any]],
    arrays: list[Sequence[Any]],
) -> None:
    """One INSERT with an array per column, unnested in the server: parsed and planned once,
    no round trip per row, and allowed under row-level security (each row still passes the
    table's policies), where COPY is not.

    The arrays go in PostgreSQL's binary format, through a cursor that binds its parameters
    in the server (Django's cursors bind them in the client, as text): psycopg writes a binary
    array in C, where it quotes and escapes every element of a text one (measured: 44,000
    blind-index rows, 41 ms of client time instead of 205, 77 ms instead of 290 in all). The
    cursor is wrapped as Django wraps its own: the transaction, the errors, the query log and
    the execute wrappers are the same.
    """
    import psycopg

    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) SELECT * FROM unnest({})".format(  # noqa: S608  # nosec B608
        quote(model._meta.db_table),
        ", ".join(quote(_column_name(column)) for column in columns),
        ", ".join(f"%b::{_array_type(column, connection)}" for column in columns),
    )
    # what Django's own cursor() does before it hands out a cursor
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    binary = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(binary) as cursor:
        cursor.execute(sql, [list(values) for values in arrays])


def _array_type(field: models.Field[Any, Any], connection: Any) -> str:
    """The PostgreSQL array type of a column for unnest ("uuid[]"; "varchar[]" for a
    varchar(32) column: an explicit cast to varchar(32) would cut a longer value where the
    INSERT's own assignment to the column refuses it, as a single-row INSERT does)."""
    db_type = field.db_type(connection)  # a foreign key: its target's column type
    if not db_type:
        raise ValueError(f"{field.name} has no column type")
    if db_type.endswith("]"):  # unnest would flatten an array column's values into rows
        raise ValueError(f"{field.name} is an array column: not written from arrays")
    return f"{_LENGTH.sub('', db_type)}[]"


# "varchar(32)" -> "varchar", "numeric(10, 2)" -> "numeric": the type without its modifier.
_LENGTH = re.compile(r"\([^)]*\)")


def insert_models(objs: Sequence[models.Model]) -> int:
    """INSERT new instances of one model, as `bulk_create` would (defaults and `pre_save`, e.g.
    `auto_now_add`, filled; related objects checked as saved; no signals; the primary key must
    be set, as a UUID default does), in one statement (`insert_rows`). Not for a model that
    inherits another's table, nor for values that are expressions. Returns the number of
    rows."""
    if not objs:
        return 0
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise ValueError("insert_models takes instances of one model")
    meta = model._meta
    if meta.parents:
        raise ValueError(f"insert_models cannot write {meta.label}: it inherits another table")
    fields = [f for f in meta.concrete_fields if f.column is not None]
    if any(obj.pk is None for obj in objs):
        raise ValueError(f"insert_models needs the primary key of every {meta.label} set")
    for obj in objs:
        # as save() and bulk_create: an unsaved related object is refused, a related object
        # saved since it was assigned gives its key
        # (a private Model method: bulk_create calls it the same way; not in the stubs)
        obj._prepare_related_fields_for_save(operation_name="insert_models")  # type: ignore[attr-defined]
    rows = _pre_save_rows(fields, objs)
    if any(hasattr(value, "resolve_expression") for row in rows for value in row):
        raise ValueError(f"insert_models takes plain values, not expressions ({meta.label})")
    count = insert_rows(model, [field.name for field in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = router.db_for_write(model)
    return count


def _pre_save_rows(fields: list[models.Field[Any, Any]], objs: Sequence[models.Model]) -> list[Any]:
    """Each object's values for ``fields``, as ``pre_save`` gives them on an insert.

    A field that fills itself on save (``auto_now``, ``auto_now_add``) is filled once, from the
    first object, and that value given to every object of the statement: the rows are written
    together, and one value is converted once instead of a clock reading and a conversion per
    row. A field with the plain ``pre_save`` (the attribute's value) is read for all of them by
    one ``attrgetter``."""
    if not objs:
        return []
    first = objs[0]
    plain: list[int] = []
    own: list[int] = []
    for index, field in enumerate(fields):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = field.pre_save(first, True)  # sets the attribute too, as save() does
            for obj in objs[1:]:
                setattr(obj, field.attname, value)
            plain.append(index)
        elif type(field).pre_save is models.Field.pre_save:
            plain.append(index)
        else:
            own.append(index)
    if not own:
        read = attrgetter(*(fields[i].attname for i in plain))
        if len(plain) == 1:
            return [[read(obj)] for obj in objs]
        return [list(read(obj)) for obj in objs]
    rows = []
    for obj in objs:
        row: list[Any] = [None] * len(fields)
        for i in plain:
            row[i] = getattr(obj, fields[i].attname)
        for i in own:
            row[i] = fields[i].pre_save(obj, True)
        rows.append(row)
    return rows


# The type of value a field of each kind can send to the database as it is: Django's conversion
# returns a str of a text field unchanged, an int of an integer field as the same number (on
# PostgreSQL wrapped in psycopg's sized int, which the array's cast makes of it anyway), and
# wraps bytes of a binary field as the driver's Binary, which binds as the bytes do.
_PLAIN_TYPES: tuple[tuple[type[models.Field[Any, Any]], type], ...] = (
    (models.CharField, str),
    (models.TextField, str),
    (models.IntegerField, int),  # BigIntegerField, PositiveIntegerField...: not an AutoField
    (models.BinaryField, bytes),
)
_CONVERSIONS = ("to_python", "get_prep_value", "get_db_prep_value", "get_db_prep_save")


def _plain_type(field: models.Field[Any, Any]) -> type | None:
    """The type of value the field sends as it is, None when there is none: a field class that
    converts in its own way (an AutoField, a subclass with its own conversion) has none."""
    for kind, plain in _PLAIN_TYPES:
        if isinstance(field, kind):
            cls = type(field)
            same = all(getattr(cls, name) is getattr(kind, name) for name in _CONVERSIONS)
            return plain if same else None
    return None


def _converter(
    field: models.Field[Any, Any], connection: Any
) -> tuple[Callable[[Any], Any], type | None]:
    """The value a column's field sends to the database. A value of the column's plain type
    (`_plain_type`: a str of a text column) goes as it is; other values are converted once per
    distinct object (a person's id repeats on each of their key rows): remembered by identity,
    since a UUID's hash is computed in Python and a JSON value has none. Also gives the plain
    type (a column of only such values needs no conversion), None when there is none."""
    prepare = field.get_db_prep_save
    plain = _plain_type(field)
    seen: dict[int, tuple[Any, Any]] = {}

    def convert(value: Any) -> Any:
        if type(value) is plain:
            return value
        known = seen.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        prepared = prepare(value, connection)
        seen[id(value)] = (value, prepared)  # the value is kept alive while it is remembered
        return prepared

    return convert, plain


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


@contextmanager
def import_page_cache(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """On SQLite, a page cache of ``OPENNRM_IMPORT_CACHE_MB`` for the connection while a bulk
    import runs, and the earlier size after it (SQLite frees the pages beyond it). With the
    default 64 MiB the pages an import dirties in its transaction (the blind-index and foreign
    key B-trees take random inserts: 700 MB for a register of 100,000 records) were spilled to
    the WAL before the commit and read back: measured, 78.6 s for such a register with the
    default cache, 68.6 s with 1 GiB. Nothing changes on PostgreSQL (its buffers are the
    server's)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(settings.OPENNRM_IMPORT_CACHE_MB)}")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")
        except DatabaseError:
            # A broken transaction refuses the statement: the import's own error goes up, and
            # the connection (closed after the request or command) keeps the larger cache.
            logger.warning("the page cache of an import could not be set back")
        give_back_memory()


def give_back_memory() -> None:
    """Ask the C allocator to return the memory it holds free to the system (glibc's
    ``malloc_trim``; nothing elsewhere). SQLite frees the pages of a large cache when it
    shrinks, but glibc kept them for the process: measured, a 10,000-record import into a
    100,000-case database left a process at 398 MB with the import's cache, 239 MB after the
    trim, 210 MB with the usual cache; a server's workers live long."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):  # not glibc
        return
    trim(0)
