"""Help areas: which help page a page of the web interface links to.

Each page's URL name maps to one area by its prefix (`referral_detail` -> referrals); a page
whose name matches no prefix gets the help index. Help content lives in templates per language
(`help/uk/<area>.html`, `help/en/<area>.html`); a test checks every area has both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    slug: str
    title: str | Promise
    prefixes: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area(
        "cases",
        _("Cases"),
        (
            "home",
            "case_",
            "consent_",
            "action_needed",
            "htcds_",
            "saved_search",
            "note_",
            "attachment_",
            "notification",
        ),
    ),
    Area("screening", _("Screening"), ("screening_",)),
    Area("referrals", _("Referrals"), ("referral_",)),
    Area(
        "status",
        _("Status procedure"),
        ("status_", "case_status_procedure", "reflection_period_"),
    ),
    Area(
        "assistance",
        _("Assistance"),
        ("provider_", "assistance_", "plan_", "service_"),
    ),
    Area("justice", _("Criminal proceedings"), ("proceeding_",)),
    Area(
        "perpetrators",
        _("Perpetrators and borders"),
        ("perpetrator_", "alert_", "mla_", "operation_", "stop_", "incident_"),
    ),
    Area("training", _("Training"), ("training_", "certificate_", "equipment_")),
    Area("statistics", _("Statistics"), ("statistics", "report_", "public_statistics")),
    Area("linkage", _("Record linkage"), ("linkage_",)),
    Area(
        "accounts",
        _("Accounts and security"),
        (
            "login",
            "logout",
            "second_factor",
            "totp_",
            "password_",
            "security",
            "backup_codes",
            "passkey",
            "user_",
            "agency_",
            "token_",
            "audit_",
        ),
    ),
)

BY_SLUG = {a.slug: a for a in AREAS}


def area_for(url_name: str | None) -> Area | None:
    """The help area of a page by its URL name (the longest matching prefix wins)."""
    if not url_name:
        return None
    best: tuple[int, Area] | None = None
    for area in AREAS:
        for prefix in area.prefixes:
            if url_name.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), area)
    return best[1] if best else None
