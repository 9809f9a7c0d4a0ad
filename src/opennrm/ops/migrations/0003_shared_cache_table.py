"""The table of the "shared" cache (settings.CACHES): counters every process and server share,
such as the public certificate check's rate limit. Django's `createcachetable`, run here so
every database (tests included) has it."""

from typing import Any

from django.core.management import call_command
from django.db import migrations

TABLE = "opennrm_shared_cache"


def create(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("ops", "0002_rls_status_scope_and_more_tables")]
    operations = [migrations.RunPython(create, drop)]
