from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from opennrm.access.retention import get_case_for_hold
from opennrm.ops.retention_cli import actor_named, refused, through_gate
from opennrm.retention import services


class Command(BaseCommand):
    help = (
        "Place a legal hold on a case (its person is not erased while it holds), or lift it "
        "with --lift. Acts as --user through the gate (a supervisor of the owning agency or the "
        "coordinator); the reason is a code of the list legal_hold_reason (legal_hold_lift_reason "
        "with --lift). Audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--case", required=True, help="the case id")
        parser.add_argument("--user", required=True, help="the username who acts")
        parser.add_argument("--reason", required=True, help="a reason code")
        parser.add_argument("--lift", action="store_true", help="lift the hold")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["user"])
        case = through_gate(lambda: get_case_for_hold(actor, options["case"]))
        try:
            if options["lift"]:
                services.lift_hold(actor=actor, case=case, reason=options["reason"])
                self.stdout.write(f"legal hold lifted from case {case.reference}")
            else:
                hold = services.place_hold(actor=actor, case=case, reason=options["reason"])
                self.stdout.write(f"legal hold {hold.id} placed on case {case.reference}")
        except ValidationError as exc:
            raise refused(exc) from exc
