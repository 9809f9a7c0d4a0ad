"""The name search keys as 64-bit integers (`vault.blind.blind_key`) instead of hex digests.

The new key of a row is the first 16 hex characters of its digest read as a signed 64-bit
integer, so the keys need no decryption and no key ring to convert, and every search finds what
it found before. A key already written as a decimal number (by migration 0003 run with this
code, on a database that had persons) is read as one: a digest is always 64 hex characters,
anything else is a number. Reversed, the keys go back as decimal numbers (the rest of the
digest is gone), which the code before this migration does not find: run `opennrm
reindex-names` after going back. On a large register this rewrites the table under a lock:
run it in a maintenance window (docs/operations.md).
"""

from typing import Any

from django.db import migrations, models

BATCH = 10_000


def key_of(value: str) -> int:
    """The integer key of a stored value: the first 64 bits of a hex digest (always 64
    characters), or a key written as a decimal number."""
    if len(value) == 64:
        return int.from_bytes(bytes.fromhex(value[:16]), "big", signed=True)
    return int(value)


# PostgreSQL computes the same in one statement.
KEY_OF_SQL = (
    "CASE WHEN length({0}) = 64 THEN ('x' || substr({0}, 1, 16))::bit(64)::bigint"
    " ELSE {0}::bigint END"
)


def _rewrite(schema_editor: Any, source: str, target: str, change: Any) -> None:
    """Set `target` from `source` on every row, in batches (SQLite) or one statement."""
    connection = schema_editor.connection
    table = "people_personsearchkey"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {source} FROM {table} ORDER BY id")  # noqa: S608  # nosec B608
        while rows := cursor.fetchmany(BATCH):
            with connection.cursor() as writer:
                writer.executemany(
                    f"UPDATE {table} SET {target} = %s WHERE id = %s",  # noqa: S608  # nosec B608
                    [(change(value), row_id) for row_id, value in rows],
                )


def to_integers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            # constant SQL: the column name is this migration's own
            "UPDATE people_personsearchkey SET digest_key = "  # noqa: S608  # nosec B608
            + KEY_OF_SQL.format("digest")
        )
        return
    _rewrite(schema_editor, "digest", "digest_key", key_of)


def to_numbers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("UPDATE people_personsearchkey SET digest = digest_key::text")
        return
    _rewrite(schema_editor, "digest_key", "digest", str)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_search_keys_without_unique_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="personsearchkey",
            name="digest_key",
            field=models.BigIntegerField(null=True),
        ),
        # nullable while both columns exist, so that going back can re-add it before filling it
        migrations.AlterField(
            model_name="personsearchkey",
            name="digest",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(to_integers, to_numbers, elidable=False),
        migrations.RemoveIndex(
            model_name="personsearchkey",
            name="person_search_digest_idx",
        ),
        migrations.RemoveField(
            model_name="personsearchkey",
            name="digest",
        ),
        migrations.RenameField(
            model_name="personsearchkey",
            old_name="digest_key",
            new_name="digest",
        ),
        migrations.AlterField(
            model_name="personsearchkey",
            name="digest",
            field=models.BigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="personsearchkey",
            index=models.Index(fields=["digest"], name="person_search_digest_idx"),
        ),
    ]
