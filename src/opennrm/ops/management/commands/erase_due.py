from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from opennrm.retention import services, tasks


class Command(BaseCommand):
    help = (
        "Erase (crypto-shred) every person and screening whose retention period is over "
        "(docs/retention.md); cases under a legal hold are kept. The worker runs it daily. "
        "--dry-run counts what is due and changes nothing; --schedule also queues the daily run "
        "in the worker when none is waiting."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, erase nothing")
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily run if none is waiting"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = services.erase_due(dry_run=options["dry_run"])
        verb = "due" if options["dry_run"] else "erased"
        self.stdout.write(
            f"{len(found.persons)} person(s) and {len(found.screenings)} screening(s) {verb}; "
            f"{found.held} person(s) kept under a legal hold"
        )
        if options["schedule"]:
            queued = tasks.schedule_daily()
            self.stdout.write("daily run queued" if queued else "daily run already queued")
