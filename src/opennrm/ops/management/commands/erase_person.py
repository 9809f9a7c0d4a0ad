from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from opennrm.access.retention import get_case_for_subject_request
from opennrm.ops.retention_cli import actor_named, refused, through_gate
from opennrm.retention import services


class Command(BaseCommand):
    help = (
        "Erase the person of a case at their request (or for another reason code of the list "
        "erasure_reason): their data key is destroyed, so their identity, screenings and "
        "support plans can never be read again, in the database or in any backup once the "
        "ledger is re-applied. The case's statistical facts stay. Refused under a legal hold. "
        "Acts as --user, a supervisor of the owning agency. Audited."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--case", required=True, help="the case id")
        parser.add_argument("--user", required=True, help="the username who acts")
        parser.add_argument("--reason", default=services.SUBJECT_REQUEST, help="a reason code")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["user"])
        case = through_gate(lambda: get_case_for_subject_request(actor, options["case"]))
        try:
            erasure = services.erase_person(
                actor=actor, person=case.person, reason=options["reason"]
            )
        except ValidationError as exc:
            raise refused(exc) from exc
        self.stdout.write(f"person erased (erasure {erasure.id})")
