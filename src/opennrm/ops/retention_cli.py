"""Shared by the retention commands: acting as a named user through the gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.http import Http404

from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor, actor_for

T = TypeVar("T")


def actor_named(username: str) -> Actor:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}", returncode=2)
    return actor_for(user)


def through_gate(fetch: Callable[[], T]) -> T:
    """Call the gate; 404 and 403 become command errors (exit 2) that say no more than the
    web would."""
    try:
        return fetch()
    except Http404 as exc:
        raise CommandError("no such case for this user", returncode=2) from exc
    except PermissionDenied as exc:
        raise CommandError(f"not permitted: {exc}", returncode=2) from exc


def refused(exc: ValidationError) -> CommandError:
    return CommandError("; ".join(exc.messages), returncode=1)
