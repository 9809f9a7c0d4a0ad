"""The gate of logging in: what a signed-in user still has to do before anything opens.

A password alone opens nothing. After it, in this order:

1. ``VERIFY``: a user with a second factor proves it (a TOTP code or a backup code; a passkey
   for the roles of `PASSKEY_ROLES` once they have one);
2. ``CHANGE_PASSWORD``: an initial password (`opennrm add-user`, the demo, an agency admin's
   reset) is replaced by the user's own;
3. ``ENROL_TOTP``: every account enrols TOTP (with backup codes) at its first login;
4. ``ENROL_PASSKEY``: `sysadmin` and the roles with national reach (`coordinator`,
   `statistician`) register a passkey;
5. ``VERIFY_PASSKEY``: for those roles a session verified by TOTP or a backup code is not
   enough: they confirm with their passkey.

The demo may skip all of it (`OPENNRM_DEMO_SKIP_SECOND_FACTOR`, honoured only together with
`OPENNRM_DEMO`, refused by `opennrm serve`). The API does not use sessions: its bearer tokens
are its factor (issued to a verified user, hashed, expiring, revocable).

Who may reset another user's second factor or password, or log them out everywhere:
an agency admin (role `agency_admin` with `user.manage`), for the users of their own agency,
never for themselves and never for holders of `PROTECTED_ROLES` (recovered by the operator
with `opennrm reset-second-factor` / `reset-password`): a reset hands over the account, so it
must not hand over more rights than the admin's own.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import USER_MANAGE
from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Membership

# Roles that must use a passkey: administrators and the roles with national search, export
# or merge rights (../shared/docs/security.md).
PASSKEY_ROLES: Final = frozenset({"sysadmin", "coordinator", "statistician"})
AGENCY_ADMIN: Final = "agency_admin"
# Users an agency admin may not reset (the operator does, with the ops commands).
PROTECTED_ROLES: Final = PASSKEY_ROLES | {AGENCY_ADMIN}

VERIFY: Final = "verify"
CHANGE_PASSWORD: Final = "change_password"  # noqa: S105 (a step name, not a password)
ENROL_TOTP: Final = "enrol_totp"
ENROL_PASSKEY: Final = "enrol_passkey"
VERIFY_PASSKEY: Final = "verify_passkey"


def demo_skip() -> bool:
    """The demo's shortcut: only when both the demo and the skip setting are on."""
    return bool(settings.OPENNRM_DEMO and settings.OPENNRM_DEMO_SKIP_SECOND_FACTOR)


def user_roles(user: User) -> frozenset[str]:
    """Every active role the user holds (in any agency): a passkey role anywhere counts."""
    return frozenset(
        Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True)
    )


def needs_passkey(roles: frozenset[str]) -> bool:
    return bool(roles & PASSKEY_ROLES)


def device_kind(device: Device | None) -> str:
    """`totp`, `backup`, `passkey` or '' for the device that verified a session."""
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, StaticDevice):
        return "backup"
    if isinstance(device, WebAuthnCredential):
        return "passkey"
    return ""


def next_step(user: User, verified_by: Device | None) -> str | None:
    """What the user must do next in this session, or None when everything is done.

    ``verified_by``: the django-otp device that verified this session (None: not verified).
    """
    if demo_skip():
        return None
    verified = verified_by is not None
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    if not verified and (has_totp or has_passkey):
        return VERIFY
    if user.must_change_password:
        return CHANGE_PASSWORD
    if not has_totp:
        return ENROL_TOTP
    if needs_passkey(user_roles(user)):
        if not has_passkey:
            return ENROL_PASSKEY
        if device_kind(verified_by) != "passkey":
            return VERIFY_PASSKEY
    return None


# Recovery by the agency admin.


def administers_users(actor: Actor) -> bool:
    return (
        actor.agency is not None and AGENCY_ADMIN in actor.roles and policy.can(actor, USER_MANAGE)
    )


def managed_users(actor: Actor) -> QuerySet[User]:
    """The users of the admin's agency (active memberships), the admin included."""
    if not administers_users(actor):
        return User.objects.none()
    members = Membership.objects.filter(agency=actor.agency, is_active=True).values("user_id")
    return User.objects.filter(id__in=members).order_by("username")


def get_managed_user(actor: Actor, user_id: object) -> User:
    """A user of the admin's agency (404 otherwise, the same as a missing one)."""
    try:
        return managed_users(actor).get(id=_as_uuid(user_id))
    except User.DoesNotExist as exc:
        raise Http404 from exc


def may_reset(actor: Actor, user: User) -> bool:
    """Whether the admin may reset this user's second factor or password."""
    return user.pk != actor.user.pk and not (user_roles(user) & PROTECTED_ROLES)


def check_may_reset(actor: Actor, user: User) -> None:
    if not may_reset(actor, user):
        raise PermissionDenied
