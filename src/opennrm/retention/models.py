"""Legal holds on cases and the erasure ledger. Ids, dates and codes only: never a name."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalHold(models.Model):
    """A case that must not be erased while the hold is in force (a proceeding, a claim, an
    inquiry), whatever the retention schedule says. Placed and lifted with a reason code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="legal_holds", verbose_name=_("case")
    )
    reason = models.CharField(_("reason for the hold"), max_length=40)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    lifted_reason = models.CharField(_("reason for lifting"), max_length=40, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_one_active_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"legal hold {self.id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Erasure(models.Model):
    """One entry of the erasure ledger: what was erased, when and why; never what it said.

    The same entry is appended to the ledger file outside the database
    (`OPENNRM_ERASURE_LEDGER_FILE`), so a restore of an older backup can erase it again.
    `object_id` is the erased row (a person, or a screening without a case); `case_ids` are
    the cases whose statistical facts stay.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    category = models.CharField(_("data category"), max_length=32)
    object_type = models.CharField(_("object type"), max_length=32)
    object_id = models.UUIDField(_("object id"))
    case_ids = models.JSONField(_("cases"), default=list, blank=True)
    agency_id = models.UUIDField(_("agency"), null=True, blank=True)
    reason = models.CharField(_("reason for the erasure"), max_length=40)
    erased_on = models.DateField(_("erased on"))
    erased_at = models.DateTimeField(_("erased at"))
    actor_id = models.UUIDField(_("erased by"), null=True, blank=True)

    class Meta:
        ordering = ["erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        indexes = [models.Index(fields=["object_type", "object_id"], name="erasure_object_idx")]

    def __str__(self) -> str:
        return f"erasure {self.id}"
