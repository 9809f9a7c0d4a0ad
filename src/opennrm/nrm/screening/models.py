from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.screening.indicators import OUTCOMES


class Screening(models.Model):
    """One screening of a person with one ILO/EC indicator list, or two of the same age group
    (labour and sexual exploitation together: mixed cases are common), owned by the screening
    agency. The outcome is the union of the lists' outcomes.

    Usable at first contact without a registered person: the optional `subject` (a first name or
    a short description) is AES-GCM ciphertext under a per-screening data key; read and write it
    only through `opennrm.nrm.screening.subject`. The answers and the stored result hold
    indicator ids and counts, never free text. Attached to a case when one exists.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("screening agency"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("case"),
    )
    list_key = models.CharField(_("indicator list"), max_length=32)
    # The other list of a mixed screening ("" for one list); read both through `list_keys`.
    second_list_key = models.CharField(
        _("second indicator list"), max_length=32, blank=True, default=""
    )
    data_version = models.CharField(_("version of the indicator lists"), max_length=64)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24)
    # Minimal identity for first contact, encrypted (see `subject.py`).
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    subject_enc = models.BinaryField()
    # Coarse, plaintext for statistics: an HTCDS gender code.
    gender = models.CharField(_("gender"), max_length=32, default="NonSpecifiedUnknown")
    screened_at = models.DateTimeField(_("screened at"), default=timezone.now)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screened by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-screened_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [
            models.Index(fields=["agency", "-screened_at"], name="screening_agency_date_idx"),
            models.Index(fields=["agency", "outcome"], name="screening_agency_outcome_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="screening_outcome_known", condition=Q(outcome__in=list(OUTCOMES))
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.reference}"  # never the subject: str() ends up in logs

    @property
    def list_keys(self) -> list[str]:
        """The lists of this screening, the first one first."""
        return [self.list_key, *([self.second_list_key] if self.second_list_key else [])]

    @property
    def reference(self) -> str:
        """A short, non-personal reference to read out on the phone."""
        return self.id.hex[:8].upper()
