"""An agency's name in each language of the interface (audited, like every write)."""

from __future__ import annotations

from django.db import transaction

from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.tenancy.models import Agency


def set_agency_names(
    *, agency: Agency, name_uk: str = "", name_en: str = "", actor: User | None = None
) -> Agency:
    """Give an agency its Ukrainian and English names (blank: its registered name shows)."""
    with transaction.atomic():
        agency.name_uk = name_uk.strip()
        agency.name_en = name_en.strip()
        agency.full_clean()
        agency.save(update_fields=["name_uk", "name_en"])
        record(
            action="agency.changed",
            actor_id=actor.id if actor else None,
            agency_id=agency.id,
            object_type="agency",
            object_id=agency.id,
            detail={"fields": ["name_en", "name_uk"]},
        )
    return agency
