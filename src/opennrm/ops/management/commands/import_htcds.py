"""opennrm import-htcds FILE --agency NAME [--user USERNAME]: HTCDS records from a file."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.access import perpetrators as perpetrator_gate
from opennrm.access import policy, roles
from opennrm.accounts.models import User
from opennrm.cases.htcds_files import HtcdsFileError, import_file
from opennrm.core.aside import AsideError
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency, Membership


def _actor(agency: Agency, username: str | None) -> Actor:
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}", returncode=2)
        actor = actor_for(user)
        if actor.agency != agency:
            raise CommandError(f"{username!r} does not act for {agency.name!r}", returncode=2)
        if not policy.can(actor, roles.HTCDS_IMPORT):
            raise CommandError(f"{username!r} may not import HTCDS records", returncode=2)
        return actor
    members = User.objects.filter(
        id__in=Membership.objects.filter(agency=agency, is_active=True).values("user_id")
    ).order_by("username")
    able = [a for a in map(actor_for, members) if policy.can(a, roles.HTCDS_IMPORT)]
    if len(able) != 1:
        raise CommandError(
            f"{len(able)} users of {agency.name!r} may import HTCDS records: name one with --user",
            returncode=2,
        )
    return able[0]


class Command(BaseCommand):
    _started = 0.0
    _saving_from = 0.0
    _saving = False

    help = (
        "Import HTCDS v2.0 records from a file (the Excel toolkit, CSV, JSON, or a KoboToolbox/ODK "
        "export of the standard's XLSForm; the format is told by the content) into an agency, "
        "all or nothing. Without --user, the agency's only user who may import acts. A second "
        "process checks and seals the records while the first ones are written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--agency", required=True, help="the agency that owns the cases")
        parser.add_argument("--user", help="the username who imports (recorded in the audit)")
        parser.add_argument(
            "--summary",
            action="store_true",
            help="print only the count imported, not a line per record (large registers)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(name=options["agency"], is_active=True).first()
        if agency is None:
            raise CommandError(f"no active agency {options['agency']!r}", returncode=2)
        actor = _actor(agency, options["user"])
        try:
            data = options["path"].read_bytes()
        except OSError as exc:
            raise CommandError(f"{options['path']}: {exc}", returncode=2) from exc
        self._started = time.monotonic()
        self._saving_from, self._saving = self._started, False
        try:
            result = import_file(
                actor=actor,
                data=data,
                writable=perpetrator_gate.htcds_writable(actor),
                progress=self._progress,
                # a command serves no request: the records are checked in a second process
                parallel=True,
            )
        except HtcdsFileError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError("nothing was imported", returncode=1) from exc
        except AsideError as exc:  # the checking process failed: its error names no data
            raise CommandError(f"nothing was imported: {exc}", returncode=1) from exc
        if options["summary"]:
            self.stdout.write(f"imported {len(result.imported)} record(s) from {result.format}")
            return
        for row, item in zip(result.rows, result.imported, strict=True):
            kept = f"; not kept: {', '.join(item.not_kept)}" if item.not_kept else ""
            self.stdout.write(
                f"{row.where}: case {item.case.id} identified on "
                f"{item.case.identified_on.isoformat()} ({item.identified_from}){kept}"
            )
        self.stdout.write(f"imported {len(result.imported)} record(s) from {result.format}")

    def _progress(self, stage: str, done: int, total: int) -> None:
        """A line per round of records on standard error: the stage, how far, the rate and the
        time left (nothing is kept before the last round: the import is one transaction).
        The writing's rate counts from the last check told before the first write (all of
        them, or the first round when they are checked in a second process), the checking's
        from the start."""
        now = time.monotonic()
        if stage == "checked" and not self._saving:
            self._saving_from = now
        self._saving = self._saving or stage == "saved"
        started = self._started if stage == "checked" else self._saving_from
        rate = done / max(now - started, 1e-3)
        left = (total - done) / rate if rate else 0.0
        self.stderr.write(
            f"{stage} {done}/{total} ({100 * done // max(total, 1)}%), "
            f"{rate:.0f} records/s, about {left:.0f} s left"
        )
