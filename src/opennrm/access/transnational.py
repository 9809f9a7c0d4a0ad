""" "Can" and "which" for transnational referrals and assisted returns (docs/perpetrators.md).

Only the case's owner agency sends, with `referral.create` (a share's recipient never does), to
an active partner agency in another country. The packet is the case's HTCDS record redacted by
`FieldScope.redact` to exactly the categories the person's consent names (never the owner's
staff, never perpetrators). Only the sending agency sees what it sent, downloads the packet and
records the partner's acknowledgement.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from opennrm.access import policy
from opennrm.access.fields import CASE, PERSON_CATEGORIES
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import REFERRAL_CREATE
from opennrm.access.scope import FieldScope
from opennrm.cases import htcds
from opennrm.cases.models import Case
from opennrm.core import codes
from opennrm.justice.transnational import TransnationalReferral
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency

STANDARD = "HTCDS v2.0"


def can_send(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, REFERRAL_CREATE)


def get_case_to_send(actor: Actor, case_id: object) -> Case:
    """A case the actor's agency owns and may refer (404 when hidden, 403 otherwise)."""
    return policy.get_case_for(actor, case_id, REFERRAL_CREATE)


def partners() -> QuerySet[Agency]:
    """Active agencies in another country (tenancy `Agency.country`)."""
    return (
        Agency.objects.filter(is_active=True)
        .exclude(country="")
        .exclude(country=codes.UKRAINE)
        .order_by("country", "name")
    )


def get_partner(partner_id: object) -> Agency | None:
    try:
        return partners().filter(id=_as_uuid(partner_id)).first()
    except Http404:
        return None


def visible_transnational(actor: Actor) -> QuerySet[TransnationalReferral]:
    """What the actor's agency sent, on cases it still may refer."""
    if not can_send(actor):
        return TransnationalReferral.objects.none()
    return TransnationalReferral.objects.filter(
        from_agency=actor.agency, case__in=policy.visible_cases(actor).values("id")
    ).select_related("partner", "case")


def get_transnational_for(actor: Actor, item_id: object) -> TransnationalReferral:
    item = visible_transnational(actor).filter(id=_as_uuid(item_id)).first()
    if item is None:
        raise Http404
    return item


def packet_builder(actor: Actor, case: Case, partner: Agency, kind: str, purpose: str) -> Any:
    """`build_packet(categories)` for `transnational_services.send`: the case's HTCDS record with
    exactly the consented categories (and the case id), nothing else."""

    def build(categories: frozenset[str]) -> dict[str, Any]:
        scope = FieldScope(actor, only=frozenset(categories) | {CASE})
        record = htcds.export_record(
            case,
            with_person=bool(categories & PERSON_CATEGORIES),
            shows=lambda name: scope.shows_field(case, name),
        )
        assert actor.agency is not None
        return {
            "standard": STANDARD,
            "kind": kind,
            "purpose": purpose,
            "from_agency": actor.agency.name,
            "partner": partner.name,
            "partner_country": partner.country,
            "data_categories": sorted(categories),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "records": [scope.redact(case, record)],
        }

    return build
