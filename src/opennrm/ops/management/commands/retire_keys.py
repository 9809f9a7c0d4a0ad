from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from opennrm.retention.keys import retire_keys, window


class Command(BaseCommand):
    help = (
        "Rotate the key-encryption key when a person was erased since the active one was made, "
        "and remove from the key ring file every older key once OPENNRM_BACKUP_RETENTION_DAYS "
        "have passed since it was replaced (backups older than that can then not be read, so "
        "they cannot bring an erased person back). Run daily by the worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="the time to act at (ISO 8601; without a zone, local time; default now)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = dt.datetime.fromisoformat(options["now"]) if options["now"] else None
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)  # local time, like the daily job's
        result = retire_keys(now=now)
        if result.skipped:
            self.stdout.write(result.skipped)
            return
        if result.rotated_to:
            self.stdout.write(f"rotated to {result.rotated_to} after an erasure")
        self.stdout.write(f"re-wrapped {result.rewrapped} data keys")
        self.stdout.write(
            f"retired {len(result.retired)} key(s) older than the {window().days}-day backup "
            f"window: {', '.join(result.retired) or 'none'}"
        )
