"""Perpetrators, the identifiers that tie records together, the alerts a shared identifier
raises, and mutual legal assistance requests (issue 14).

A perpetrator's identity is AES-GCM ciphertext under a data key of its own, each identifier's
value too; an identifier is found through its blind-index digest (`perpetrator_vault.py`).
Code fields hold codes of `core/data/perpetrators_code_lists.csv` and HTCDS lists. Write only
through `justice/perpetrator_services.py`, which records audit events (ids and codes only).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Perpetrator(models.Model):
    """A person (or an organisation's representative) who trafficked or tried to: recruiter,
    broker, transporter, exploiter... Recorded by a law-enforcement or prosecution unit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="perpetrators",
        verbose_name=_("recording unit"),
    )
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    identity_enc = models.BinaryField()
    gender = models.CharField(_("gender"), max_length=32, default="NonSpecifiedUnknown")
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    roles = models.JSONField(_("roles in the crime"), default=list)
    modus_operandi = models.JSONField(_("modus operandi"), default=list)
    organised_group = models.BooleanField(_("member of an organised group"), default=False)
    relation_to_victim = models.CharField(_("relation to the victim"), max_length=32, blank=True)
    proceedings = models.ManyToManyField(
        "justice.Proceeding", related_name="perpetrators", blank=True
    )
    cases = models.ManyToManyField("cases.Case", related_name="named_perpetrators", blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-recorded_at",)

    def __str__(self) -> str:
        return f"perpetrator {self.id}"  # never the name: str() ends up in logs


class Identifier(models.Model):
    """One identifier of one record (a perpetrator, a case or a proceeding): its kind, its
    value encrypted, and the blind-index digest of its normal form."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind of identifier"), max_length=16)
    digest = models.CharField(max_length=64)
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    value_enc = models.BinaryField()
    perpetrator = models.ForeignKey(
        Perpetrator,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proceeding = models.ForeignKey(
        "justice.Proceeding",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identifiers",
    )
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("kind", "recorded_at")
        indexes = [models.Index(fields=["kind", "digest"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(perpetrator__isnull=False, case__isnull=True, proceeding__isnull=True)
                    | Q(perpetrator__isnull=True, case__isnull=False, proceeding__isnull=True)
                    | Q(perpetrator__isnull=True, case__isnull=True, proceeding__isnull=False)
                ),
                name="identifier_of_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"identifier {self.id}"

    @property
    def record_type(self) -> str:
        if self.perpetrator_id:
            return "perpetrator"
        return "case" if self.case_id else "proceeding"

    @property
    def record_id(self) -> uuid.UUID:
        value = self.perpetrator_id or self.case_id or self.proceeding_id
        assert value is not None
        return value


class Alert(models.Model):
    """An identifier of a new record is already known in an older one: the investigator
    responsible for the older record is told (`access.perpetrators` decides what the alert
    may name)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind of identifier"), max_length=16)
    known = models.ForeignKey(Identifier, on_delete=models.CASCADE, related_name="+")
    new = models.ForeignKey(Identifier, on_delete=models.CASCADE, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-raised_at",)
        constraints = [
            models.UniqueConstraint(fields=["recipient", "known", "new"], name="one_alert_per_pair")
        ]

    def __str__(self) -> str:
        return f"alert {self.id}"


class MlaRequest(models.Model):
    """A mutual legal assistance request, outgoing or incoming, with its dates and deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, related_name="mla_requests"
    )
    proceeding = models.ForeignKey(
        "justice.Proceeding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mla_requests",
    )
    direction = models.CharField(_("direction"), max_length=16)
    request_type = models.CharField(_("type of request"), max_length=32)
    country = models.CharField(_("country"), max_length=2)
    partner_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foreign authority"),
    )
    central_authority = models.CharField(_("central authority"), max_length=32)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-recorded_at",)

    def __str__(self) -> str:
        return f"mlarequest {self.id}"
