from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from opennrm.reports import facts


class Command(BaseCommand):
    help = (
        "Bring the per-person facts of national statistics up to date now (the worker does it "
        "every OPENNRM_STATS_FACTS_SECONDS); --full builds them all again (after a restore)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--full", action="store_true", help="build every person again")

    def handle(self, *args: Any, **options: Any) -> None:
        done = facts.refresh(full=options["full"])
        self.stdout.write(f"statistics facts: {done}")
