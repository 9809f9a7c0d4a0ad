from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from opennrm.nrm.status import services, tasks


class Command(BaseCommand):
    help = (
        "Move every granted status whose certificate is past its validity to 'expired' "
        "(Resolution No. 417: a certificate is valid for at most two years unless extended). "
        "The worker runs it daily; running it again the same day changes nothing. --schedule "
        "also queues the daily run in the worker when none is waiting."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily run if none is waiting"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.expire_certificates()
        self.stdout.write(f"{len(expired)} certificate(s) marked expired")
        if options["schedule"]:
            queued = tasks.schedule_daily()
            self.stdout.write("daily run queued" if queued else "daily run already queued")
