from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Refresh the query planner's statistics (ANALYZE). SQLite keeps none until asked, and "
        "without them name searches walk every case of an agency: run it after large imports "
        "and from a daily timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA optimize")
        self.stdout.write(f"planner statistics refreshed ({connection.vendor})")
