"""The criminal-justice chain: proceedings registered in the ERDR, their legal qualification
(with its history), stage steps, victims and witnesses taking part (through their cases),
suspects, hearings, judgments, protection, compensation and non-punishment.

Code fields hold codes of `core/data/justice_code_lists.csv`; suspects' identities are
AES-GCM ciphertext under a per-suspect data key (`justice/suspects.py`). Write only through
`justice/services.py`, which records audit events.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.justice.workflow import REGISTERED


class Proceeding(models.Model):
    """One criminal proceeding, as entered in the Unified Register of Pre-trial Investigations."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    erdr_number = models.CharField(_("ERDR number"), max_length=17, unique=True)
    registered_on = models.DateField(_("date of registration in the ERDR"))
    registering_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="registered_proceedings",
        verbose_name=_("registering unit"),
    )
    prosecution_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prosecuted_proceedings",
        verbose_name=_("prosecutor's office"),
    )
    court = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tried_proceedings",
        verbose_name=_("court"),
    )
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investigator in charge"),
    )
    prosecutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prosecutor in charge"),
    )
    article = models.CharField(_("legal qualification"), max_length=16)
    stage = models.CharField(_("stage"), max_length=32, default=REGISTERED)
    stage_since = models.DateField(_("in this stage since"))
    suspicion_notified_on = models.DateField(_("notice of suspicion"), null=True, blank=True)
    closure_ground = models.CharField(_("ground for closing"), max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-registered_on", "erdr_number")
        indexes = [models.Index(fields=["registered_on"]), models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return f"proceeding {self.erdr_number}"


class Qualification(models.Model):
    """The legal qualification from a date: it can change during the investigation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="qualifications"
    )
    article = models.CharField(_("legal qualification"), max_length=16)
    since = models.DateField(_("since"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("since", "recorded_at")

    def __str__(self) -> str:
        return f"qualification {self.id}"


class StageStep(models.Model):
    """One transition of the stage table, dated, with who recorded it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=32)
    from_stage = models.CharField(max_length=32)
    to_stage = models.CharField(max_length=32)
    on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("on", "recorded_at")

    def __str__(self) -> str:
        return f"stagestep {self.id}"


class Participant(models.Model):
    """A victim or witness taking part in a proceeding, through the case that holds them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.CASCADE, related_name="participants"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="proceeding_roles"
    )
    role = models.CharField(_("procedural role"), max_length=16)
    willing_to_testify = models.BooleanField(_("willing to testify"), null=True, blank=True)
    questioned_on = models.DateField(_("questioned on"), null=True, blank=True)
    questioning_mode = models.CharField(_("questioned"), max_length=24, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "case"], name="one_role_per_case")
        ]

    def __str__(self) -> str:
        return f"participant {self.id}"


class Suspect(models.Model):
    """A suspect, accused or convicted person of a proceeding. The identity is encrypted like a
    person's (`justice/suspects.py`); only law-enforcement and prosecution roles see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="suspects")
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    identity_enc = models.BinaryField()
    gender = models.CharField(_("gender"), max_length=32, default="NonSpecifiedUnknown")
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    role = models.CharField(_("role in the crime"), max_length=16)
    status = models.CharField(_("status"), max_length=16, default="Suspect")
    added_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"suspect {self.id}"  # never the name: str() ends up in logs


class Hearing(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="hearings")
    on = models.DateField(_("date of the hearing"))
    outcome = models.CharField(_("outcome"), max_length=16, default="Scheduled")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("on",)

    def __str__(self) -> str:
        return f"hearing {self.id}"


class Judgment(models.Model):
    """The judgment on one accused: conviction or acquittal, the sentence, confiscation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="judgments")
    suspect = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="judgments")
    decided_on = models.DateField(_("date of the judgment"))
    verdict = models.CharField(_("verdict"), max_length=16)
    sentence_type = models.CharField(_("sentence"), max_length=24, blank=True)
    sentence_months = models.PositiveIntegerField(_("term (months)"), null=True, blank=True)
    confiscation = models.BooleanField(_("confiscation of property"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"judgment {self.id}"


class ProtectionMeasure(models.Model):
    """A protection measure for a participant under Law No. 3782-XII."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="protection"
    )
    measure = models.CharField(_("measure"), max_length=24)
    requested_on = models.DateField(_("requested on"))
    decision = models.CharField(_("decision"), max_length=16, default="Requested")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"protectionmeasure {self.id}"


class Compensation(models.Model):
    """Compensation claimed by a participant: the route, amounts claimed, awarded and paid."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="compensation"
    )
    route = models.CharField(_("route"), max_length=32)
    claimed_uah = models.DecimalField(_("claimed (UAH)"), max_digits=12, decimal_places=2)
    awarded_uah = models.DecimalField(
        _("awarded (UAH)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_uah = models.DecimalField(
        _("paid (UAH)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"compensation {self.id}"


class NonPunishment(models.Model):
    """A charge or administrative case against the victim for an act compelled by the
    trafficking, and the request to release them from liability (CoE Convention art. 26)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="non_punishment")
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    liability = models.CharField(_("kind of liability"), max_length=16)
    requested_on = models.DateField(_("request filed on"))
    outcome = models.CharField(_("outcome"), max_length=16, default="Pending")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"nonpunishment {self.id}"


# Perpetrators, identifiers, alerts and MLA requests live in their own module (issue 14).
from opennrm.justice.perpetrators import (  # noqa: E402, F401
    Alert,
    Identifier,
    MlaRequest,
    Perpetrator,
)
from opennrm.justice.transnational import TransnationalReferral  # noqa: E402, F401
