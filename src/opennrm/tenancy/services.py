"""Writes for agencies and memberships. Every write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.core.codes import AGENCY_KIND, COUNTRY, OBLAST, ROLE, code_list
from opennrm.tenancy.models import Agency, Membership


def add_agency(
    *, name: str, kind: str, oblast: str = "", country: str = "UA", actor: User | None = None
) -> Agency:
    if kind not in code_list(AGENCY_KIND):
        raise ValidationError(
            {"kind": _("Unknown agency kind %(kind)s.") % {"kind": kind}}, code="invalid"
        )
    if oblast and oblast not in code_list(OBLAST):
        raise ValidationError(
            {"oblast": _("Unknown oblast code %(code)s (expected UA-NN).") % {"code": oblast}},
            code="invalid",
        )
    if country not in code_list(COUNTRY):
        raise ValidationError(
            {"country": _("Unknown country code %(code)s.") % {"code": country}}, code="invalid"
        )
    with transaction.atomic():
        agency = Agency(name=name.strip(), kind=kind, oblast=oblast, country=country)
        agency.full_clean()
        agency.save()
        record(
            action="agency.created",
            actor_id=actor.id if actor else None,
            agency_id=agency.id,
            object_type="agency",
            object_id=agency.id,
        )
    return agency


def add_membership(
    *, user: User, agency: Agency, role: str, actor: User | None = None
) -> Membership:
    """Give a user a role in an agency; a user cannot belong to two agencies."""
    if role not in code_list(ROLE):
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    other = Membership.objects.filter(user=user, is_active=True).exclude(agency=agency)
    if other.exists():
        raise ValidationError(
            {"agency": _("This user already belongs to another agency.")}, code="other_agency"
        )
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, role=role, defaults={"agency": agency}
        )
        if membership.agency_id != agency.id or not membership.is_active:
            membership.agency = agency
            membership.is_active = True
            membership.save(update_fields=["agency", "is_active"])
        record(
            action="membership.granted",
            actor_id=actor.id if actor else None,
            agency_id=agency.id,
            object_type="user",
            object_id=user.id,
            detail={"role": role},
        )
    return membership
