from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.vault.keyring import generate_keyring, write_keyring_file


class Command(BaseCommand):
    help = "Write a new key ring file (mode 0600). Keep it out of the database backups."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.exists():
            raise CommandError(f"{path} exists: refusing to overwrite a key ring")
        write_keyring_file(path, generate_keyring())
        self.stdout.write(f"key ring written to {path}")
