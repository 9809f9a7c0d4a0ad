from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from opennrm.people.identity import reindex_names
from opennrm.people.models import Person, PersonSearchKey


class Command(BaseCommand):
    help = (
        "Rebuild every person's name search keys (blind indexes) from the encrypted names. "
        "Migration people 0003 does it once; run it again after the kinds of key change."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = reindex_names(Person, PersonSearchKey)
        self.stdout.write(f"name search keys rebuilt for {count} persons")
