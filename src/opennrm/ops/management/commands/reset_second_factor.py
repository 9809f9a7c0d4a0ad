from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.accounts.models import User
from opennrm.accounts.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "Remove every second factor of an account (authenticator app, backup codes, passkeys) "
        "and end its sessions; the user sets up a new one at the next login (audited). For "
        "the accounts an agency admin may not reset: agency admins, sysadmins, coordinators, "
        "statisticians."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"--username: no user {options['username']!r}")
        removed = reset_second_factor(user=user, actor=None, agency_id=None)
        self.stdout.write(f"Reset the second factor of {user.username}: {removed} devices removed.")
