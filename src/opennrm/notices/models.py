"""Notifications to users and each user's choice of kinds and channels.

A notification says what kind of event happened, which agency it came from and which object
it is about (by type and UUID, for the link): never a name, a date of birth or any free text.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=48)  # a code of notices.kinds.KINDS
    agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=32)
    object_id = models.UUIDField()
    # What tells two notifications of one kind apart, never personal: the case's reference
    # (`Case.reference`), a status journal number; and a purpose code for referrals.
    reference = models.CharField(max_length=48, blank=True)
    purpose = models.CharField(max_length=32, blank=True)
    # What makes the event unique beside the object (an audit sequence number, a deadline):
    # the same event never notifies a user twice.
    key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id", "key"], name="notice_once_per_event"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread_idx")]

    def __str__(self) -> str:
        return f"notification {self.id}"


class NotificationPreference(models.Model):
    """A user's choice for one kind: shown in the application, sent by e-mail (no row: both)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=48)
    in_app = models.BooleanField(_("in the application"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.in_app}/{self.by_email}"


class NoticeCursor(models.Model):
    """How far the producer has read the audit chain (one row)."""

    name = models.CharField(max_length=32, primary_key=True)
    seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.seq}"
