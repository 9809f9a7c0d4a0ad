from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.accounts.models import User
from opennrm.accounts.services import disable_user


class Command(BaseCommand):
    help = "Disable an account and end all of its sessions at once (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"--username: no user {options['username']!r}")
        ended = disable_user(user=user)
        self.stdout.write(f"Disabled {user.username}; sessions ended: {ended}.")
