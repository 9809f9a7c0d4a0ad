from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 and name the first bad event otherwise."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at sequence number {report.first_bad_seq}: {report.reason} "
                f"({report.checked} events verified before it)",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {report.checked} events verified")
