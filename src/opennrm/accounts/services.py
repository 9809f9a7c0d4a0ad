"""Account writes: users, API tokens, login events. Every write is audited."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
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


def issue_api_token(*, user: User, actor: User | None = None) -> str:
    """Create a token for a user and return it; only its digest is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        api_token = ApiToken.objects.create(user=user, digest=token_digest(token))
        record(
            action="api_token.issued",
            actor_id=actor.id if actor else None,
            agency_id=None,
            object_type="api_token",
            object_id=api_token.id,
        )
    return token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None."""
    api_token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    return api_token.user


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
