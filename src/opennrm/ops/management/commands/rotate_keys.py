from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opennrm.audit.services import record
from opennrm.vault import columns
from opennrm.vault.keyring import current_keyring, write_keyring_file


class Command(BaseCommand):
    help = (
        "Add a new key-encryption key, re-wrap the data key of every row of every registered "
        "encrypted table (vault.columns) under it and, with --retire-old, remove the old keys "
        "from the key ring file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retire-old", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OPENNRM_KEYRING_FILE:
            raise CommandError("key rotation needs OPENNRM_KEYRING_FILE (a writable key ring)")
        unknown = columns.unregistered()
        if unknown:
            raise CommandError(
                "encrypted columns missing from the registry (vault.columns.register): "
                + ", ".join(unknown)
                + "; nothing was rotated"
            )
        path = Path(settings.OPENNRM_KEYRING_FILE)
        ring = current_keyring().with_new_kek()
        write_keyring_file(path, ring)  # new key first: a crash leaves both keys usable
        with transaction.atomic():
            changed = columns.rewrap_all(ring=ring)
            record(
                action="keys.rotated",
                actor_id=None,
                agency_id=None,
                detail={"rewrapped": changed},
            )
        if options["retire_old"]:
            left = columns.rows_not_under(ring.active_kek_id)
            if left:
                raise CommandError(
                    f"{left} data keys are still wrapped by an old key; the old keys were kept"
                )
            for key_id in list(ring.keks):
                if key_id != ring.active_kek_id:
                    ring = ring.without_kek(key_id)
            write_keyring_file(path, ring)
        self.stdout.write(f"re-wrapped {changed} data keys under {ring.active_kek_id}")
