from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opennrm.audit.services import record
from opennrm.nrm.assistance import objectives as assistance_objectives
from opennrm.nrm.screening.subject import rewrap_all as rewrap_screenings
from opennrm.people.identity import rewrap_data_key
from opennrm.people.models import Person
from opennrm.vault.keyring import current_keyring, write_keyring_file


class Command(BaseCommand):
    help = (
        "Add a new key-encryption key, re-wrap every person's data key under it and, with "
        "--retire-old, remove the old keys from the key ring file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retire-old", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OPENNRM_KEYRING_FILE:
            raise CommandError("key rotation needs OPENNRM_KEYRING_FILE (a writable key ring)")
        path = Path(settings.OPENNRM_KEYRING_FILE)
        ring = current_keyring().with_new_kek()
        write_keyring_file(path, ring)  # new key first: a crash leaves both keys usable
        changed = 0
        with transaction.atomic():
            for person in Person.objects.select_for_update().iterator(chunk_size=500):
                if rewrap_data_key(person, ring=ring):
                    person.save(update_fields=["kek_id", "wrapped_data_key"])
                    changed += 1
            changed += rewrap_screenings(ring=ring)
            changed += assistance_objectives.rewrap_all(ring=ring)
            record(
                action="keys.rotated", actor_id=None, agency_id=None, detail={"rewrapped": changed}
            )
        if options["retire_old"]:
            for key_id in list(ring.keks):
                if key_id != ring.active_kek_id:
                    ring = ring.without_kek(key_id)
            write_keyring_file(path, ring)
        self.stdout.write(f"re-wrapped {changed} data keys under {ring.active_kek_id}")
