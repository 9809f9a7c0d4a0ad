"""Writes for agencies and memberships. Every write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opennrm.accounts.models import User
from opennrm.accounts.services import create_user, new_initial_password
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


def _activate(user: User, agency: Agency, role: str) -> Membership:
    """The user's membership with this role, made or made active again, in this agency."""
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, defaults={"agency": agency}
    )
    if membership.agency_id != agency.id or not membership.is_active:
        membership.agency = agency
        membership.is_active = True
        membership.save(update_fields=["agency", "is_active"])
    return membership


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
        membership = _activate(user, agency, role)
        record(
            action="membership.granted",
            actor_id=actor.id if actor else None,
            agency_id=agency.id,
            object_type="user",
            object_id=user.id,
            detail={"role": role},
        )
    return membership


def invite_user(
    *, username: str, email: str, roles: list[str], agency: Agency, actor: User
) -> tuple[User, str]:
    """An agency admin adds a user to their agency: the account, with a one-time initial
    password (returned once; changed at the first login, expires after
    `OPENNRM_INITIAL_PASSWORD_DAYS`), and a membership for each role. Who may give which role
    is the gate's answer (`access.users`). Audited: `user.created`, `membership.granted`."""
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")}, code="required")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("A user with this username already exists.")}, code="unique"
        )
    password = new_initial_password()
    with transaction.atomic():
        user = create_user(
            username=username,
            password=password,
            actor=actor,
            initial=True,
            email=email,
            agency_id=agency.id,
        )
        for role in sorted(set(roles)):
            add_membership(user=user, agency=agency, role=role, actor=actor)
    return user, password


def set_roles(*, user: User, agency: Agency, roles: list[str], actor: User) -> bool:
    """Give a user of the agency exactly these roles there (at least one): missing ones are
    granted, others ended (the membership stays, inactive). False when nothing changed.
    Audited: one `membership.changed` with the roles granted and ended (codes)."""
    wanted = set(roles)
    if not wanted:
        raise ValidationError({"roles": _("Choose at least one role.")}, code="required")
    unknown = {role for role in wanted if role not in code_list(ROLE)}
    if unknown:
        raise ValidationError({"roles": _("Unknown role %(role)s.") % {"role": min(unknown)}})
    with transaction.atomic():
        held = Membership.objects.select_for_update().filter(
            user=user, agency=agency, is_active=True
        )
        current = {m.role for m in held}
        granted, ended = sorted(wanted - current), sorted(current - wanted)
        if not granted and not ended:
            return False
        Membership.objects.filter(user=user, agency=agency, role__in=ended).update(is_active=False)
        for role in granted:
            _activate(user, agency, role)
        record(
            action="membership.changed",
            actor_id=actor.id,
            agency_id=agency.id,
            object_type="user",
            object_id=user.id,
            detail={"granted": granted, "ended": ended},
        )
    return True


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
