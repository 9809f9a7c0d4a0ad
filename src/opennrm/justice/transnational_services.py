"""Writes of transnational referrals and assisted returns: each validates, writes in one
transaction and records an audit event (ids and codes only). Who may call which, and what the
packet may hold, is the access gate's decision (`access/transnational.py`): the packet reaches
`send` already built and redacted to the consent's categories.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases.models import Case, Consent
from opennrm.core import codes
from opennrm.justice.transnational import TransnationalReferral
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.vault.columns import register

PACKET = register(TransnationalReferral, table="justice_transnationalreferral", columns=("packet",))
KINDS = (TransnationalReferral.REFERRAL, TransnationalReferral.RETURN)
# What the person's consent must cover for an assisted return.
RETURN_PURPOSE = "ReturnReintegration"
MAX_REFERENCE = 100

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _audit(actor: Actor, action: str, item: TransnationalReferral, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=item.case_id,
        purpose=item.purpose,
        detail={"transnational": str(item.id), **detail},
    )


def consent_for(case: Case, partner: Agency, purpose: str, categories: Sequence[str]) -> Consent:
    """The person's active, explicit consent (legal basis `Consent`) naming this partner agency,
    this purpose and every category; else ValidationError with the reason."""
    consents = [c for c in case.consents.all() if c.is_active and c.legal_basis == "Consent"]
    naming = [c for c in consents if c.recipient_id == partner.id]
    if not naming:
        raise ValidationError(
            {
                "consent": [
                    _(
                        "No active consent of the person names this partner agency abroad. "
                        "Record the person's explicit consent to send their data to it first."
                    )
                ]
            }
        )
    for consent in naming:
        if purpose in consent.purposes and set(categories) <= set(consent.data_categories):
            return consent
    raise ValidationError(
        {
            "data_categories": [
                _(
                    "The person's consent for this partner does not cover this purpose and "
                    "every data category chosen: send only what the consent names."
                )
            ]
        }
    )


def packet_bytes(packet: dict[str, Any]) -> bytes:
    """The packet as sent: canonical JSON (sorted keys, UTF-8)."""
    return json.dumps(packet, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def send(
    *,
    actor: Actor,
    case: Case,
    partner: Agency,
    kind: str,
    purpose: str,
    data_categories: Sequence[str],
    build_packet: Callable[[frozenset[str]], dict[str, Any]],
) -> TransnationalReferral:
    """Record a referral (or an assisted return) to a partner agency abroad with its packet:
    refused without the person's explicit consent naming the partner, the purpose and the
    categories. `build_packet(categories)` gives the HTCDS packet redacted to them."""
    assert actor.agency is not None
    errors: Errors = {}
    if kind not in KINDS:
        _add(errors, "kind", _("Choose a referral or an assisted return."))
    if not partner.country or partner.country == codes.UKRAINE or not partner.is_active:
        _add(errors, "partner", _("Choose an active partner agency in another country."))
    if purpose not in codes.code_list(codes.PURPOSE):
        _add(errors, "purpose", _("Choose a purpose."))
    if kind == TransnationalReferral.RETURN and purpose != RETURN_PURPOSE:
        _add(errors, "purpose", _("An assisted return is for return and reintegration."))
    categories = sorted(set(data_categories))
    if not categories:
        _add(errors, "data_categories", _("Choose at least one data category."))
    elif any(c not in codes.code_list(codes.DATA_CATEGORY) for c in categories):
        _add(errors, "data_categories", _("Unknown data category."))
    if errors:
        raise ValidationError(errors)
    consent = consent_for(case, partner, purpose, categories)
    packet = packet_bytes(build_packet(frozenset(categories)))
    with transaction.atomic():
        item = TransnationalReferral(
            case=case,
            from_agency=actor.agency,
            partner=partner,
            kind=kind,
            purpose=purpose,
            consent=consent,
            data_categories=categories,
            packet_sha256=hashlib.sha256(packet).hexdigest(),
            sent_by=actor.user,
        )
        PACKET.seal(item, {"packet": packet})
        item.save()
        _audit(
            actor,
            "transnational.sent",
            item,
            kind=kind,
            partner=str(partner.id),
            country=partner.country,
            consent=str(consent.id),
            data_categories=categories,
            sha256=item.packet_sha256,
        )
    return item


def is_erased(item: TransnationalReferral) -> bool:
    """Whether the person was erased: the packet's data key is destroyed (retention)."""
    return PACKET.is_shredded(item)


def packet_of(item: TransnationalReferral) -> bytes:
    """The packet exactly as sent (its digest is `packet_sha256`)."""
    return PACKET.open(item, ("packet",))["packet"]


def record_download(*, actor: Actor, item: TransnationalReferral) -> bytes:
    """The packet for its sender to pass on, audited."""
    packet = packet_of(item)
    _audit(actor, "transnational.downloaded", item, sha256=item.packet_sha256)
    return packet


def acknowledge(
    *, actor: Actor, item: TransnationalReferral, acknowledged_on: dt.date | None, reference: str
) -> TransnationalReferral:
    """Record the partner's acknowledgement: the date and the partner's reference."""
    errors: Errors = {}
    reference = reference.strip()
    if acknowledged_on is None:
        _add(errors, "acknowledged_on", _("This field is required."))
    elif acknowledged_on > timezone.localdate():
        _add(errors, "acknowledged_on", _("The date cannot be in the future."))
    elif acknowledged_on < timezone.localtime(item.sent_at).date():
        _add(errors, "acknowledged_on", _("The acknowledgement cannot come before the packet."))
    if len(reference) > MAX_REFERENCE:
        _add(errors, "reference", _("At most %(n)d characters.") % {"n": MAX_REFERENCE})
    if item.acknowledged:
        _add(errors, "acknowledged_on", _("The acknowledgement is already recorded."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item.acknowledged_on = acknowledged_on
        item.acknowledgement_reference = reference
        item.acknowledgement_recorded_at = timezone.now()
        item.acknowledgement_recorded_by = actor.user
        item.save(
            update_fields=[
                "acknowledged_on",
                "acknowledgement_reference",
                "acknowledgement_recorded_at",
                "acknowledgement_recorded_by",
            ]
        )
        _audit(actor, "transnational.acknowledged", item)
    return item
