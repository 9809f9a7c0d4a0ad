from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.access.retention import get_case_for_subject_request
from opennrm.ops.retention_cli import actor_named, through_gate
from opennrm.retention.export import as_json, as_zip, subject_access


class Command(BaseCommand):
    help = (
        "Export everything held on the person of a case (data-subject access request): identity "
        "decrypted, cases and every row about them, as JSON in a ZIP (or plain JSON when --out "
        "ends in .json). Acts as --user, a supervisor of the owning agency. Audited. The file "
        "holds personal data in clear (mode 0600): hand it to the person, then delete it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--case", required=True, help="the case id")
        parser.add_argument("--user", required=True, help="the username who acts")
        parser.add_argument("--out", required=True, help="the file to write (.zip or .json)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["user"])
        case = through_gate(lambda: get_case_for_subject_request(actor, options["case"]))
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} exists: not overwritten", returncode=2)
        payload = subject_access(actor=actor, person=case.person)
        body = as_json(payload) if out.suffix == ".json" else as_zip(payload)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        self.stdout.write(f"wrote {out} ({len(payload['cases'])} case(s))")
