"""Referral writes: send, answer, cancel, end; consent withdrawal ends what it covered.

Every function runs in one transaction and appends one audit event per change (codes only).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases import services as case_services
from opennrm.cases.models import Case, Consent
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.referrals import queries
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import ACTIVE, PENDING, REFERRAL
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency


def covering_basis(
    *, case: Case, to_agency: Agency, purpose: str, data_categories: list[str]
) -> Consent | None:
    """An active recorded legal basis covering this recipient, purpose and categories."""
    wanted = set(data_categories)
    for basis in case.consents.filter(withdrawn_on__isnull=True).order_by("-given_on"):
        if (
            purpose in basis.purposes
            and wanted <= set(basis.data_categories)
            and basis.recipient_id in (None, to_agency.id)
        ):
            return basis
    return None


def _audit(actor: Actor, action: str, referral: Referral, **detail: object) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=referral.case_id,
        purpose=referral.purpose,
        detail={"referral": str(referral.id), **detail},
    )


def refer_case(
    *,
    actor: Actor,
    case: Case,
    to_agency: Agency,
    purpose: str,
    data_categories: list[str],
    transfer: bool = False,
    note: str = "",
    override_reason: str = "",
    allow_override: bool = False,
) -> Referral:
    """Send a case to another agency.

    Refused without a recorded legal basis covering the recipient, purpose and categories,
    unless the caller allows an override (the gate's `referral.override` permission) and a
    reason is given; every override is audited.
    """
    errors: dict[str, list[str]] = {}
    # Who may refer (the owner agency, `referral.create`) is the access gate's decision.
    assert actor.agency is not None
    if to_agency.id == actor.agency_id:
        errors["to_agency"] = [_("Choose another agency.")]
    elif not to_agency.is_active:
        errors["to_agency"] = [_("This agency is not active.")]
    if purpose not in code_list(codes.PURPOSE):
        errors["purpose"] = [_("Choose a purpose.")]
    categories = sorted(set(data_categories))
    if not categories:
        errors["data_categories"] = [_("Choose at least one data category.")]
    elif any(c not in code_list(codes.DATA_CATEGORY) for c in categories):
        errors["data_categories"] = [_("Unknown data category.")]
    if errors:
        raise ValidationError(errors)
    basis = covering_basis(
        case=case, to_agency=to_agency, purpose=purpose, data_categories=categories
    )
    override_reason = override_reason.strip()
    if basis is None:
        if not allow_override:
            raise ValidationError(
                {
                    "basis": [
                        _(
                            "No recorded consent or other legal basis covers this agency, "
                            "purpose and these data categories. Record the person's consent "
                            "first."
                        )
                    ]
                }
            )
        if not override_reason:
            raise ValidationError(
                {"override_reason": [_("Give the reason for referring without a legal basis.")]}
            )
    elif override_reason:
        override_reason = ""  # a basis covers it: no override is used
    open_same = Referral.objects.filter(
        case=case, to_agency=to_agency, purpose=purpose, state__in=[PENDING, ACTIVE]
    )
    if open_same.exists():
        raise ValidationError(
            {"to_agency": [_("This case is already referred to this agency for this purpose.")]}
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            from_agency=actor.agency,
            to_agency=to_agency,
            kind=Referral.TRANSFER if transfer else Referral.SHARE,
            purpose=purpose,
            data_categories=categories,
            basis=basis,
            override_reason=override_reason,
            note=note.strip(),
            sent_at=timezone.now(),
            sent_by=actor.user,
        )
        _audit(actor, "referral.sent", referral, to_agency=str(to_agency.id), kind=referral.kind)
        if basis is None:
            _audit(actor, "referral.override_used", referral)
    return referral


def _transition(actor: Actor, referral: Referral, action: str) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    REFERRAL.check(referral.state, action)
    return referral


def accept_referral(*, actor: Actor, referral: Referral) -> Referral:
    with transaction.atomic():
        action = "accept_transfer" if referral.kind == Referral.TRANSFER else "accept"
        referral = _transition(actor, referral, action)
        referral.state = REFERRAL.transition(action).target
        referral.answered_at, referral.answered_by = timezone.now(), actor.user
        referral.save(update_fields=["state", "answered_at", "answered_by"])
        _audit(actor, "referral.accepted", referral)
        if referral.kind == Referral.TRANSFER:
            case_services.transfer_ownership(
                actor=actor, case=referral.case, to_agency=referral.to_agency
            )
    return referral


def decline_referral(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for declining.")]})
    with transaction.atomic():
        referral = _transition(actor, referral, "decline")
        referral.state = REFERRAL.transition("decline").target
        referral.answered_at, referral.answered_by = timezone.now(), actor.user
        referral.decline_reason = reason.strip()
        referral.save(update_fields=["state", "answered_at", "answered_by", "decline_reason"])
        _audit(actor, "referral.declined", referral)
    return referral


def _end(actor: Actor, referral: Referral, action: str, reason: str) -> Referral:
    referral = _transition(actor, referral, action)
    referral.state = REFERRAL.transition(action).target
    referral.ended_at, referral.ended_by, referral.end_reason = timezone.now(), actor.user, reason
    referral.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    _audit(actor, f"referral.{reason}", referral)
    return referral


def cancel_referral(*, actor: Actor, referral: Referral) -> Referral:
    with transaction.atomic():
        return _end(actor, referral, "cancel", "cancelled")


def revoke_referral(*, actor: Actor, referral: Referral) -> Referral:
    with transaction.atomic():
        return _end(actor, referral, "revoke", "revoked")


def withdraw_consent(*, actor: Actor, consent: Consent) -> list[Referral]:
    """Record the withdrawal and end, at once, every referral and share it covered."""
    with transaction.atomic():
        case_services.withdraw_consent(
            actor=actor, consent=consent, withdrawn_on=timezone.localdate()
        )
        ended = [
            _end(actor, referral, "consent_withdrawn", "consent_withdrawn")
            for referral in queries.covered_by(consent)
        ]
    return ended
