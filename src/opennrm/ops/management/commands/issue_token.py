from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"--username: no active user {options['username']!r}")
        self.stdout.write(issue_api_token(user=user))
