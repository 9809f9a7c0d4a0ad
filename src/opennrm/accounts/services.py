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

from opennrm.accounts.models import ApiToken, User
from opennrm.audit.services import record

TOKEN_PREFIX = "onrm_"  # noqa: S105 (a prefix that makes leaked tokens recognisable)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="strict")).hexdigest()


def create_user(*, username: str, password: str, actor: User | None = None) -> User:
    """Create a user with a validated password (Argon2id)."""
    user = User(username=username)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        record(
            action="user.created",
            actor_id=actor.id if actor else None,
            agency_id=None,
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


def disable_user(*, user: User, actor: User | None = None) -> int:
    """Disable an account and end every one of its sessions; returns how many were ended.

    Nothing else is revoked: the account's tokens stop working because it is inactive, and
    work again only when it is enabled again (sessions do not: a re-enabled user logs in anew).
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        # Expired rows too: a session is ended for good, whatever its expiry says.
        wanted = str(user.pk)
        keys = [
            session.session_key
            for session in Session.objects.iterator()
            if session.get_decoded().get("_auth_user_id") == wanted
        ]
        Session.objects.filter(session_key__in=keys).delete()
        record(
            action="user.disabled",
            actor_id=actor.id if actor else None,
            agency_id=None,
            object_type="user",
            object_id=user.id,
            detail={"sessions_ended": len(keys)},
        )
    return len(keys)


def enable_user(*, user: User, actor: User | None = None) -> None:
    """Enable an account again; the user logs in anew (no session survived disabling)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        record(
            action="user.enabled",
            actor_id=actor.id if actor else None,
            agency_id=None,
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
