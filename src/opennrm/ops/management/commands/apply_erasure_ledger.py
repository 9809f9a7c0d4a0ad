from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.retention import ledger, services


class Command(BaseCommand):
    help = (
        "Erase again every person and screening the erasure ledger file names and this database "
        "does not know as erased (after a restore of an older backup). --ledger FILE, by "
        "default OPENNRM_ERASURE_LEDGER_FILE. Idempotent."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--ledger", help="the ledger file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["ledger"]) if options["ledger"] else ledger.ledger_path()
        if path is None:
            raise CommandError("no ledger file: give --ledger or OPENNRM_ERASURE_LEDGER_FILE")
        try:
            entries = ledger.verified(path)
        except ledger.LedgerError as exc:
            raise CommandError(f"erasure ledger refused: {exc}", returncode=2) from exc
        applied = services.apply_ledger(entries)
        self.stdout.write(f"{applied} erasure(s) re-applied from {path}")
