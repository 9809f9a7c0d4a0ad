"""Transnational referral and assisted return of a victim (issue 14, point 7): the case's owner
sends a foreign partner agency (an agency with a `country` other than Ukraine) a minimal HTCDS
packet, only with the person's explicit consent naming that partner, and only the data
categories that consent names; the partner's acknowledgement is recorded.

The packet is kept as sent, encrypted under a data key of its own row (`vault/columns.py`
registration `justice_transnationalreferral`, rotated by `rotate-keys`), with its SHA-256
digest. Write only through `justice/transnational_services.py`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransnationalReferral(models.Model):
    """A referral or an assisted return to a partner agency abroad, with the packet sent."""

    REFERRAL, RETURN = "TransnationalReferral", "AssistedReturn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    from_agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner agency abroad"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    purpose = models.CharField(_("purpose"), max_length=32)
    consent = models.ForeignKey("cases.Consent", on_delete=models.PROTECT, related_name="+")
    data_categories = models.JSONField(_("data categories"), default=list)
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    packet_enc = models.BinaryField()
    packet_sha256 = models.CharField(_("SHA-256 of the packet"), max_length=64)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    acknowledgement_reference = models.CharField(
        _("the partner's reference"), max_length=100, blank=True
    )
    acknowledgement_recorded_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"transnationalreferral {self.id}"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_on is not None
