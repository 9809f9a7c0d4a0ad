from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opennrm.accounts.models import User
from opennrm.accounts.services import reset_password


class Command(BaseCommand):
    help = (
        "Give an account a new one-time initial password, printed once: it must be changed at "
        "the first login and expires after OPENNRM_INITIAL_PASSWORD_DAYS; the account's "
        "sessions end (audited)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"--username: no user {options['username']!r}")
        password = reset_password(user=user, actor=None, agency_id=None)
        self.stdout.write(password)
