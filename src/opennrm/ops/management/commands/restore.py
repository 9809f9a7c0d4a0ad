from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from opennrm.audit.services import verify_chain
from opennrm.ops import backup
from opennrm.retention import ledger, services


class Command(BaseCommand):
    help = (
        "Restore an encrypted backup into the configured database, which must be new: "
        "`opennrm --data-dir NEW restore FILE` (SQLite: NEW/opennrm.sqlite3 must not exist) or "
        "DATABASE_URL naming an empty PostgreSQL database. Needs the key ring of the "
        "installation (OPENNRM_KEYRING / _FILE), its backup key and its erasure ledger file "
        "(--ledger, or OPENNRM_ERASURE_LEDGER_FILE). Verifies the audit chain, then erases "
        "again everything the ledger says was erased after the backup. Exit 1 when the chain "
        "is broken."
    )
    requires_system_checks: list[str] = []  # nothing may open the new database before it exists

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--ledger", help="the erasure ledger file of the installation")
        parser.add_argument(
            "--no-ledger",
            action="store_true",
            help="restore without re-applying erasures (only when no erasure was ever made)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ledger_file = Path(options["ledger"]) if options["ledger"] else ledger.ledger_path()
        if not options["no_ledger"] and (ledger_file is None or not ledger_file.exists()):
            raise CommandError(
                f"no erasure ledger file ({ledger_file or 'not configured'}): without it an "
                "erased person could come back. Give --ledger FILE (or --no-ledger when no "
                "erasure was ever made)",
                returncode=2,
            )
        entries: list[dict[str, Any]] = []
        if ledger_file is not None and ledger_file.exists():
            try:  # before anything is restored: a tampered ledger is refused outright
                entries = ledger.verified(ledger_file)
            except ledger.LedgerError as exc:
                raise CommandError(f"erasure ledger refused: {exc}", returncode=2) from exc
        try:
            key = backup.backup_key(create=False)
            with Path(options["file"]).open("rb") as handle:
                header, meta = backup.read_meta(handle)
                if meta.get("key") != backup.fingerprint(key):
                    raise backup.BackupError("this backup was made with another backup key")
                if meta.get("engine") != backup.engine():
                    raise backup.BackupError(
                        f"a {meta.get('engine')} backup cannot be restored into {backup.engine()}"
                    )
                db = settings.DATABASES["default"]
                if meta["engine"] == "sqlite":
                    backup.restore_sqlite(handle, key, header, Path(str(db["NAME"])))
                else:
                    if connection.introspection.table_names():
                        raise backup.BackupError("the target database is not empty")
                    connection.close()
                    backup.restore_postgresql(handle, key, header, dict(db))
        except OSError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        report = verify_chain()
        self.stdout.write(
            f"restored a backup of {meta['created_at']} (audit head #{meta['audit_head_seq']})"
        )
        applied = services.apply_ledger(entries)
        self.stdout.write(f"{applied} erasure(s) made after the backup re-applied")
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN at sequence number {report.first_bad_seq}: {report.reason}",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {report.checked} events verified")
