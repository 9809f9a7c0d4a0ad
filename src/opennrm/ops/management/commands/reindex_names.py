from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from opennrm.audit.services import record
from opennrm.people.identity import reindex_names
from opennrm.people.models import Person, PersonSearchKey


class Command(BaseCommand):
    help = (
        "Rebuild every person's name search keys (blind indexes) from the encrypted names. "
        "Migration people 0003 does it once; run it again after the kinds of key change."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            persons = Person.objects.count()
            count = reindex_names(Person, PersonSearchKey)
            # Counts only: which persons were indexed is no one's business in the trail.
            record(
                action="person.search_keys_rebuilt",
                actor_id=None,
                agency_id=None,
                detail={"persons": count, "erased_skipped": persons - count},
            )
        self.stdout.write(f"name search keys rebuilt for {count} persons")
