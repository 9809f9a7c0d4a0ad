"""Reads of notifications (from querysets the gate scoped: access/notices.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from opennrm.accounts.models import User
from opennrm.notices.models import Notification, NotificationPreference


def unread_count(user: User) -> int:
    """The bell's count: one query."""
    return Notification.objects.filter(user_id=user.id, read_at=None).count()


def listing(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    return notifications.select_related("agency").order_by("-created_at")


def preferences(user: User) -> dict[str, tuple[bool, bool]]:
    """The user's choices by kind: (in the application, by e-mail); a kind never chosen is
    absent (both, by default)."""
    return {
        p.kind: (p.in_app, p.by_email) for p in NotificationPreference.objects.filter(user=user)
    }
