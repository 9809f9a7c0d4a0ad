from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.core.codes import AGENCY_KIND, code_list
from opennrm.tenancy.services import add_agency


class Command(BaseCommand):
    help = "Add an agency (an NRM partner)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = ", ".join(code_list(AGENCY_KIND).values)
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, help=f"one of: {kinds}")
        parser.add_argument("--oblast", default="", help="ISO 3166-2:UA code, e.g. UA-63")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = add_agency(
                name=options["name"], kind=options["kind"], oblast=options["oblast"]
            )
        except ValidationError as exc:
            raise CommandError(_format(exc)) from None
        self.stdout.write(f"Agency created: {agency.name} ({agency.kind}) id={agency.id}")


def _format(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"--{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)
