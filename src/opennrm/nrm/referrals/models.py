from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.referrals.workflow import ACTIVE, PENDING


class Referral(models.Model):
    """A case sent by its owner agency to another agency for a purpose.

    Accepted, it is an active share: the recipient sees the case, limited to the data
    categories named here and to what the purpose needs (see `access.policy`). A transfer
    hands ownership over instead.
    """

    SHARE, TRANSFER = "share", "transfer"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, related_name="referrals_made"
    )
    to_agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, related_name="referrals_received"
    )
    kind = models.CharField(_("kind"), max_length=10, default=SHARE)
    purpose = models.CharField(_("purpose"), max_length=32)
    data_categories = models.JSONField(_("data categories"), default=list)
    basis = models.ForeignKey(
        "cases.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("legal basis"),
    )
    override_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    note = models.CharField(_("note to the recipient"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=16, default=PENDING)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("why it ended"), max_length=32, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_agency", "state"], name="referral_to_state_idx"),
            models.Index(fields=["from_agency", "state"], name="referral_from_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="referral_has_basis_or_override",
                condition=Q(basis__isnull=False) | ~Q(override_reason=""),
            ),
            models.CheckConstraint(
                name="referral_to_another_agency", condition=~Q(from_agency=models.F("to_agency"))
            ),
            models.UniqueConstraint(
                fields=["case", "to_agency", "purpose"],
                condition=Q(state__in=[PENDING, ACTIVE]),
                name="referral_one_open_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.id}"

    @property
    def is_open(self) -> bool:
        return self.state in {PENDING, ACTIVE}
