from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member of an NRM partner. Never a victim: victims are `people.Person`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # An initial password (set by `opennrm add-user`, the demo or an agency admin's reset) must
    # be changed at the first login, and opens nothing after it expires.
    must_change_password = models.BooleanField(default=False)
    initial_password_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def initial_password_expired(self) -> bool:
        return (
            self.must_change_password
            and self.initial_password_expires_at is not None
            and self.initial_password_expires_at <= timezone.now()
        )


class ApiToken(models.Model):
    """An API bearer token. Only its SHA-256 digest is stored; the token is shown once.

    It expires `OPENNRM_API_TOKEN_DAYS` after it is issued; a revoked token stays revoked.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token {self.id}"

    @property
    def state(self) -> str:
        """`revoked`, `expired` or `active` (whether it may be used is the gate's answer)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"
