from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An audit event may be written once and never changed or deleted."""


class AuditEvent(models.Model):
    """One audited action. `seq` is gap-free; `hash` chains each event to the one before."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("time (UTC)"))
    actor_id = models.UUIDField(_("actor"), null=True, blank=True)
    agency_id = models.UUIDField(_("agency"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=32, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=32, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["agency_id", "at"], name="audit_agency_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditHead(models.Model):
    """The single row that holds the last sequence number and hash; locked while appending."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.seq}"
