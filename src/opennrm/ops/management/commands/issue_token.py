from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it (it is shown only once). It expires after "
        "--days days (default OPENNRM_API_TOKEN_DAYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"--username: no active user {options['username']!r}")
        days = settings.OPENNRM_API_TOKEN_DAYS if options["days"] is None else options["days"]
        if days < 1:
            raise CommandError("--days: must be at least 1")
        self.stdout.write(issue_api_token(user=user, days=days))
        self.stderr.write(f"The token expires in {days} days.")
