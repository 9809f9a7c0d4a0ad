from __future__ import annotations

import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opennrm.audit.models import AuditHead
from opennrm.ops import backup
from opennrm.retention.models import Erasure


class Command(BaseCommand):
    help = (
        "Write an encrypted backup of the database to --out FILE (AES-256-GCM under the backup "
        "key, OPENNRM_BACKUP_KEY or backup.key beside the key ring, made on first use; never a "
        "key of the key ring). SQLite: a consistent copy through the sqlite3 backup API; "
        "PostgreSQL: pg_dump. Nothing in the file is readable without the backup key, and the "
        "personal data inside stay encrypted under the key ring as well."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", required=True, help="the backup file to write (new)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.exists():
            raise CommandError(f"{out} exists: not overwritten", returncode=2)
        try:
            key = backup.backup_key(create=True)
            head = AuditHead.objects.filter(id=1).first()
            meta = {
                "format": backup.FORMAT,
                "engine": backup.engine(),
                "created_at": timezone.now().isoformat(),
                "audit_head_seq": head.seq if head else 0,
                "erasures": Erasure.objects.count(),
                "key": backup.fingerprint(key),
            }
            partial = out.with_name(out.name + ".partial")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "wb") as handle:
                    backup.dump(handle, key, meta)
                    handle.flush()
                    os.fsync(handle.fileno())
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(out)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            f"backup written to {out} ({meta['engine']}, audit head #{meta['audit_head_seq']}, "
            f"backup key {meta['key']})"
        )
