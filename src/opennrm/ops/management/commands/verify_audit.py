from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opennrm.audit.checkpoints import (
    CheckpointFileError,
    checkpoint_path,
    compare_with_database,
    newest_checkpoint,
    write_checkpoint,
)
from opennrm.audit.services import verify_chain
from opennrm.vault.keyring import current_keyring


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain and compare it with the newest checkpoint kept "
        "outside the database; exit 1 and name the first bad or missing event otherwise. "
        "An intact chain is checkpointed (OPENNRM_AUDIT_CHECKPOINT_FILE)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at sequence number {report.first_bad_seq}: {report.reason} "
                f"({report.checked} events verified before it)",
                returncode=1,
            )
        path = checkpoint_path()
        if path is None:
            self.stderr.write(
                "warning: no checkpoint file (OPENNRM_AUDIT_CHECKPOINT_FILE): a cut tail of "
                "the chain cannot be detected"
            )
            self.stdout.write(f"audit chain intact: {report.checked} events verified")
            return
        try:
            newest = newest_checkpoint(path, current_keyring().audit_key)
        except CheckpointFileError as exc:
            raise CommandError(f"audit checkpoint file BROKEN: {exc}", returncode=1) from exc
        anchored = compare_with_database(newest)
        if not anchored.ok:
            raise CommandError(
                f"audit chain BROKEN at sequence number {anchored.first_missing_seq}: "
                f"{anchored.message}",
                returncode=1,
            )
        written = write_checkpoint()
        against = (
            f"reaches the newest checkpoint (sequence number {newest.seq} of {newest.at})"
            if newest
            else "no earlier checkpoint"
        )
        self.stdout.write(
            f"audit chain intact: {report.checked} events verified; {against}; "
            f"checkpoint written at sequence number {written.seq if written else 0}"
        )
