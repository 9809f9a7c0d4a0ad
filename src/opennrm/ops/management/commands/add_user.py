from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opennrm.accounts.models import User
from opennrm.accounts.services import create_user
from opennrm.core.codes import ROLE, code_list
from opennrm.tenancy.models import Agency
from opennrm.tenancy.services import add_membership


class Command(BaseCommand):
    help = (
        "Add a user with a role in an agency. The password comes from the OPENNRM_PASSWORD "
        "environment variable or a prompt, never from an argument; it is an initial password, "
        "changed at the first login and expiring after OPENNRM_INITIAL_PASSWORD_DAYS. An "
        "existing user gets the additional role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--agency", required=True, help="the agency's name")
        parser.add_argument(
            "--role", required=True, help="one of: " + ", ".join(code_list(ROLE).values)
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(name=options["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: no agency named {options['agency']!r}")
        if options["role"] not in code_list(ROLE):
            raise CommandError(f"--role: unknown role {options['role']!r}")
        user = User.objects.filter(username=options["username"]).first()
        try:
            with transaction.atomic():
                if user is None:
                    # An initial password: changed at the first login, expires unused.
                    user = create_user(
                        username=options["username"], password=_password(), initial=True
                    )
                add_membership(user=user, agency=agency, role=options["role"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"User {user.username}: {options['role']} at {agency.name}")


def _password() -> str:
    password = os.environ.get("OPENNRM_PASSWORD")
    if password:
        return password
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("the passwords do not match")
    return first
