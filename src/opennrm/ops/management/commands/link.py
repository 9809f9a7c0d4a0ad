from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opennrm.linkage import services
from opennrm.linkage.models import LinkageRun


class Command(BaseCommand):
    help = (
        "Start a record-linkage run over all persons (or --new registrations only). The "
        "worker (opennrm db_worker) carries it out, or this process with --now."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--new", action="store_true", help="only new registrations")
        parser.add_argument("--now", action="store_true", help="run here, not in the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = LinkageRun.Kind.NEW if options["new"] else LinkageRun.Kind.FULL
        try:
            run = services.start_run(actor=None, kind=kind, enqueue=not options["now"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from exc
        if not options["now"]:
            self.stdout.write(f"linkage run {run.id} queued for the worker")
            return
        run = services.execute_run(run.id)
        self.stdout.write(
            f"linkage run {run.id}: {run.record_count} registrations, {run.pair_count} "
            f"candidate pairs, {run.match_count} matches"
        )
