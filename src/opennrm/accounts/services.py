"""Account writes: users, API tokens, login events. Every write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from opennrm.accounts import otp_secrets
from opennrm.accounts.models import ApiToken, User
from opennrm.audit.services import record

TOKEN_PREFIX = "onrm_"  # noqa: S105 (a prefix that makes leaked tokens recognisable)
# One-time passwords an agency admin hands over: no look-alike characters (0/O, 1/l/I).
_INITIAL_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="strict")).hexdigest()


def _initial_password_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.OPENNRM_INITIAL_PASSWORD_DAYS)


def create_user(
    *,
    username: str,
    password: str,
    actor: User | None = None,
    initial: bool = False,
    email: str = "",
    agency_id: uuid.UUID | None = None,
) -> User:
    """Create a user with a validated password (Argon2id).

    ``initial``: the password is an initial one (the operator's or the demo's): it must be
    changed at the first login and stops working after `OPENNRM_INITIAL_PASSWORD_DAYS`.
    """
    user = User(username=username, email=email)
    validate_password(password, user)
    if initial:
        user.must_change_password = True
        user.initial_password_expires_at = _initial_password_expiry()
    with transaction.atomic():
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        record(
            action="user.created",
            actor_id=actor.id if actor else None,
            agency_id=agency_id,
            object_type="user",
            object_id=user.id,
        )
    return user


def issue_api_token(*, user: User, actor: User | None = None, days: int | None = None) -> str:
    """Create a token for a user and return it; only its digest is kept. It expires after
    ``days`` (default `OPENNRM_API_TOKEN_DAYS`)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = dt.timedelta(days=days or settings.OPENNRM_API_TOKEN_DAYS)
    with transaction.atomic():
        api_token = ApiToken.objects.create(
            user=user, digest=token_digest(token), expires_at=timezone.now() + lifetime
        )
        record(
            action="api_token.issued",
            actor_id=actor.id if actor else None,
            agency_id=None,
            object_type="api_token",
            object_id=api_token.id,
            detail={"days": lifetime.days},
        )
    return token


def find_api_token(token: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the gate decides whether it may be used)."""
    return ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()


def mark_api_token_used(api_token: ApiToken) -> None:
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())


def record_api_token_refused(api_token: ApiToken, *, reason: str) -> None:
    """A known token was presented and refused (``reason`` is a code: expired, revoked...)."""
    record(
        action="token.refused",
        actor_id=api_token.user_id,
        agency_id=None,
        object_type="api_token",
        object_id=api_token.id,
        detail={"reason": reason},
    )


def revoke_api_token(*, api_token: ApiToken, actor: User, agency_id: uuid.UUID | None) -> bool:
    """Revoke a token for good; False when it was already revoked (nothing recorded then)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=api_token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            return False
        record(
            action="token.revoked",
            actor_id=actor.id,
            agency_id=agency_id,
            object_type="api_token",
            object_id=api_token.id,
            detail={"owner": str(api_token.user_id)},
        )
    api_token.refresh_from_db(fields=["revoked_at"])
    return True


def disable_user(
    *, user: User, actor: User | None = None, agency_id: uuid.UUID | None = None
) -> int:
    """Disable an account and end every one of its sessions; returns how many were ended.

    Nothing else is revoked: the account's tokens stop working because it is inactive, and
    work again only when it is enabled again (sessions do not: a re-enabled user logs in anew).
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        ended = _end_sessions(user)
        record(
            action="user.disabled",
            actor_id=actor.id if actor else None,
            agency_id=agency_id,
            object_type="user",
            object_id=user.id,
            detail={"sessions_ended": ended},
        )
    return ended


def _end_sessions(user: User) -> int:
    """Delete every session of the user (expired rows too: ended for good); how many."""
    wanted = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == wanted
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_sessions(*, user: User, actor: User | None, agency_id: uuid.UUID | None) -> int:
    """Log a user out everywhere (the account stays enabled); returns how many sessions ended."""
    with transaction.atomic():
        ended = _end_sessions(user)
        record(
            action="user.sessions_ended",
            actor_id=actor.id if actor else None,
            agency_id=agency_id,
            object_type="user",
            object_id=user.id,
            detail={"sessions_ended": ended},
        )
    return ended


def new_initial_password() -> str:
    """A random one-time password: 4 groups of 5 characters (about 98 bits)."""
    return "-".join("".join(secrets.choice(_INITIAL_ALPHABET) for _ in range(5)) for _ in range(4))


def reset_password(*, user: User, actor: User | None, agency_id: uuid.UUID | None) -> str:
    """Give the user a new one-time initial password (returned once, never stored in clear):
    it must be changed at the next login and expires after `OPENNRM_INITIAL_PASSWORD_DAYS`.
    Every session of the user ends."""
    password = new_initial_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.initial_password_expires_at = _initial_password_expiry()
        user.save(update_fields=["password", "must_change_password", "initial_password_expires_at"])
        ended = _end_sessions(user)
        record(
            action="user.password_reset",
            actor_id=actor.id if actor else None,
            agency_id=agency_id,
            object_type="user",
            object_id=user.id,
            detail={"sessions_ended": ended, "days": settings.OPENNRM_INITIAL_PASSWORD_DAYS},
        )
    return password


def change_password(*, user: User, password: str) -> None:
    """The user's own new password (validated by the form); the initial-password flag goes."""
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.initial_password_expires_at = None
        user.save(update_fields=["password", "must_change_password", "initial_password_expires_at"])
        record(
            action="user.password_changed",
            actor_id=user.id,
            agency_id=None,
            object_type="user",
            object_id=user.id,
        )


# The second factor (django-otp): one TOTP device, one set of backup codes (a static device),
# passkeys (django-otp-webauthn credentials). Secrets never reach the audit trail.


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device of an enrolment under way (a new secret when none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def backup_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def passkeys(user: User) -> list[WebAuthnCredential]:
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at"))


def _replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OPENNRM_BACKUP_CODES)]
    # Stored as digests (bulk_create sends no pre_save: accounts/otp_secrets.py).
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=otp_secrets.code_digest(code)) for code in codes]
    )
    return codes


def confirm_totp(*, user: User, device: TOTPDevice) -> list[str]:
    """The user proved the pending device with a code: it becomes their TOTP device (any
    other goes) and a new set of backup codes is made; returns the codes (shown once)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_backup_codes(user)
        record(
            action="user.second_factor_enrolled",
            actor_id=user.id,
            agency_id=None,
            object_type="user",
            object_id=user.id,
            detail={"device": "totp", "backup_codes": len(codes)},
        )
    return codes


def renew_backup_codes(*, user: User) -> list[str]:
    """A new set of backup codes; the old ones stop working."""
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        record(
            action="user.backup_codes_renewed",
            actor_id=user.id,
            agency_id=None,
            object_type="user",
            object_id=user.id,
            detail={"backup_codes": len(codes)},
        )
    return codes


def reset_second_factor(*, user: User, actor: User | None, agency_id: uuid.UUID | None) -> int:
    """Recovery: remove every second-factor device of the user (TOTP, backup codes, passkeys)
    and end their sessions; the user enrols anew at the next login. Returns devices removed."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
            devices = model.objects.filter(user=user)
            removed += devices.count()
            devices.delete()
        ended = _end_sessions(user)
        record(
            action="user.second_factor_reset",
            actor_id=actor.id if actor else None,
            agency_id=agency_id,
            object_type="user",
            object_id=user.id,
            detail={"devices_removed": removed, "sessions_ended": ended},
        )
    return removed


def record_second_factor(*, user: User, device: str) -> None:
    """The second step of a login succeeded (``device``: totp, backup or passkey)."""
    record(
        action="user.second_factor_verified",
        actor_id=user.id,
        agency_id=None,
        object_type="user",
        object_id=user.id,
        detail={"device": device},
    )


def record_second_factor_failed(*, user: User) -> None:
    record(
        action="user.second_factor_failed",
        actor_id=None,
        agency_id=None,
        object_type="user",
        object_id=user.id,
    )


def record_passkey_registered(*, user: User, credential: WebAuthnCredential) -> None:
    record(
        action="user.passkey_registered",
        actor_id=user.id,
        agency_id=None,
        object_type="user",
        object_id=user.id,
        detail={"passkeys": WebAuthnCredential.objects.filter(user=user).count()},
    )


def enable_user(
    *, user: User, actor: User | None = None, agency_id: uuid.UUID | None = None
) -> None:
    """Enable an account again; the user logs in anew (no session survived disabling)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        record(
            action="user.enabled",
            actor_id=actor.id if actor else None,
            agency_id=agency_id,
            object_type="user",
            object_id=user.id,
        )


def record_login(*, user: User) -> None:
    record(
        action="user.logged_in",
        actor_id=user.id,
        agency_id=None,
        object_type="user",
        object_id=user.id,
    )


def record_logout(*, user: User) -> None:
    record(
        action="user.logged_out",
        actor_id=user.id,
        agency_id=None,
        object_type="user",
        object_id=user.id,
    )


def record_failed_login(*, username: str) -> None:
    """A failed login names the account when it exists, never the text that was typed."""
    user = User.objects.filter(username=username).only("id").first()
    record(
        action="user.login_failed",
        actor_id=None,
        agency_id=None,
        object_type="user" if user else "",
        object_id=user.id if user else None,
    )
