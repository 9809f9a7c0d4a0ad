"""Status applications with their steps, the one-time payment, the reflection period.

Codes are stored without `choices` (validated by the services against `codes` and `workflow`).
The agencies of the three levels are recorded so that visibility follows the file.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.codes import REQUIRED_DOCUMENTS

_WITH_CERTIFICATE = [wf.GRANTED, wf.REVOKED, wf.EXPIRED]


class StatusApplication(models.Model):
    """An application for the status of a person affected by trafficking (Resolution No. 417)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="status_applications",
        verbose_name=_("case"),
    )
    state = models.CharField(_("state"), max_length=24, default=wf.REGISTERED)
    state_since = models.DateField(_("in this state since"))
    # The deadline of the step the current state waits for (stored when the state is entered,
    # with the rule then in force) and the overall deadline when one is configured.
    due_on = models.DateField(_("step due on"), null=True, blank=True)
    due_step = models.CharField(_("step"), max_length=24, blank=True)
    overall_due_on = models.DateField(_("procedure due on"), null=True, blank=True)

    # The three levels the personal file passes.
    receiving_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving agency"),
    )
    oblast_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oblast-level agency"),
    )
    national_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciding agency"),
    )

    # Registration.
    journal_number = models.CharField(_("journal number"), max_length=40)
    applied_on = models.DateField(_("applied on"))
    applicant = models.CharField(_("applicant"), max_length=24, default="Self")
    interpreter = models.BooleanField(_("with an interpreter"), default=False)
    documents = models.JSONField(_("documents"), default=list)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Interview or waiver.
    interview_mode = models.CharField(_("interview"), max_length=12, blank=True)
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    consent_recorded = models.BooleanField(_("consent recorded first"), default=False)
    nondisclosure_signed = models.BooleanField(_("non-disclosure undertaking"), default=False)
    waiver_reason = models.CharField(_("reason for no interview"), max_length=40, blank=True)

    # Forwarding.
    forwarded_to_oblast_on = models.DateField(_("forwarded to the oblast"), null=True, blank=True)
    forwarded_to_national_on = models.DateField(
        _("forwarded to the national level"), null=True, blank=True
    )

    # Decision and certificate.
    decision = models.CharField(_("decision"), max_length=16, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.CharField(_("reason"), max_length=40, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)

    # Appeal, revocation, withdrawal.
    appealed_on = models.DateField(_("appealed on"), null=True, blank=True)
    court_outcome = models.CharField(_("court outcome"), max_length=24, blank=True)
    court_decided_on = models.DateField(_("court decided on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=40, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_on", "-created_at"]
        verbose_name = _("status application")
        verbose_name_plural = _("status applications")
        indexes = [
            models.Index(fields=["state", "due_on"], name="status_state_due_idx"),
            models.Index(fields=["receiving_agency", "state"], name="status_receiving_idx"),
            models.Index(fields=["national_agency", "state"], name="status_national_idx"),
            models.Index(fields=["certificate_valid_until"], name="status_cert_valid_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_agency", "journal_number"],
                name="status_journal_number_unique_per_agency",
            ),
            models.UniqueConstraint(
                fields=["national_agency", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="status_certificate_number_unique",
            ),
            models.CheckConstraint(
                name="status_known_state", condition=Q(state__in=list(wf.STATES))
            ),
            models.CheckConstraint(
                name="status_granted_has_certificate",
                condition=~Q(state__in=_WITH_CERTIFICATE)
                | (
                    ~Q(certificate_number="")
                    & Q(certificate_issued_on__isnull=False)
                    & Q(certificate_valid_until__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="status_certificate_valid_after_issue",
                condition=Q(certificate_valid_until__isnull=True)
                | Q(certificate_valid_until__gt=F("certificate_issued_on")),
            ),
            models.CheckConstraint(
                name="status_decision_has_decider",
                condition=Q(decided_on__isnull=True) | Q(decided_by__isnull=False),
            ),
            models.CheckConstraint(
                name="status_interview_has_consent",
                condition=~Q(interview_mode="interview") | Q(consent_recorded=True),
            ),
        ]

    def __str__(self) -> str:
        return f"status application {self.id}"

    def agency_id_at(self, level: str | None) -> uuid.UUID | None:
        return {
            wf.RECEIVING: self.receiving_agency_id,
            wf.OBLAST: self.oblast_agency_id,
            wf.NATIONAL: self.national_agency_id,
        }.get(level or "")

    @property
    def handling_agency_id(self) -> uuid.UUID | None:
        """The agency holding the file now: it takes the next step (None when closed)."""
        return self.agency_id_at(wf.STATE_LEVEL[self.state])

    @property
    def next_due_on(self) -> dt.date | None:
        """The earliest open deadline: the step's, or the overall one before the decision."""
        dates = [self.due_on]
        if self.state in wf.BEFORE_DECISION:
            dates.append(self.overall_due_on)
        known = [d for d in dates if d is not None]
        return min(known) if known else None

    @property
    def state_label(self) -> str:
        """The state's label; a granted certificate already past its validity shows as expired
        before the daily job records the expiry."""
        if self.certificate_expired_on(timezone.localdate()):
            return wf.state_label(wf.EXPIRED)
        return wf.state_label(self.state)

    def certificate_expired_on(self, day: dt.date) -> bool:
        """Whether the status was granted and its certificate is no longer valid on `day`."""
        return (
            self.state in (wf.GRANTED, wf.EXPIRED)
            and self.certificate_valid_until is not None
            and self.certificate_valid_until < day
        )

    @property
    def missing_documents(self) -> list[str]:
        return [d for d in REQUIRED_DOCUMENTS if d not in self.documents]

    def certificate_valid_on(self, day: dt.date) -> bool:
        return (
            self.state == wf.GRANTED
            and self.certificate_issued_on is not None
            and self.certificate_valid_until is not None
            and self.certificate_issued_on <= day <= self.certificate_valid_until
        )


class StatusStep(models.Model):
    """One step of an application: who, which agency, when, and whether it met its deadline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        StatusApplication, on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveIntegerField()  # 1, 2, ... per application, in order
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    on = models.DateField(_("on"))
    at = models.DateTimeField(_("recorded at"))
    # None: a step the system took (the daily expiry job).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # The deadline the step answered (the due date stored when the previous state began).
    due_step = models.CharField(max_length=24, blank=True)
    due_on = models.DateField(null=True, blank=True)
    met_deadline = models.BooleanField(null=True)
    # A decision's outcome on the case (`cases.trafficking_status`): what the case's HTCDS
    # trafficking status and deciding organisation became with this step ("" otherwise).
    case_outcome = models.CharField(max_length=24, blank=True)
    trafficking_status = models.CharField(max_length=40, blank=True)
    status_decision_org = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="status_step_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.on}"


class CertificateExtension(models.Model):
    """An extension of a certificate: the validity before and after."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        StatusApplication, on_delete=models.CASCADE, related_name="extensions"
    )
    extended_on = models.DateField(_("extended on"))
    previous_valid_until = models.DateField(_("valid until, before"))
    valid_until = models.DateField(_("valid until"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["extended_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="status_extension_extends",
                condition=Q(valid_until__gt=F("previous_valid_until")),
            ),
        ]

    def __str__(self) -> str:
        return f"extension to {self.valid_until}"


class OneTimePayment(models.Model):
    """The one-time financial assistance (Resolution No. 660): claimed, then paid."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(
        StatusApplication, on_delete=models.PROTECT, related_name="payment"
    )
    state = models.CharField(_("state"), max_length=12, default=wf.CLAIMED)
    claimed_on = models.DateField(_("claimed on"))
    category = models.CharField(_("category"), max_length=24)
    # The amount with the table rows it was computed from.
    amount = models.DecimalField(_("amount (UAH)"), max_digits=10, decimal_places=2)
    minimum_amount = models.DecimalField(
        _("subsistence minimum (UAH)"), max_digits=10, decimal_places=2
    )
    multiplier = models.PositiveSmallIntegerField(_("number of subsistence minimums"))
    minimum_from = models.DateField(_("subsistence minimum in force from"))
    multiplier_from = models.DateField(_("multiplier in force from"))
    table_source = models.CharField(_("source"), max_length=400)
    table_verify = models.BooleanField(_("to verify against the official text"))
    due_on = models.DateField(_("to be paid by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payment recorded"), null=True, blank=True)
    met_deadline = models.BooleanField(null=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-claimed_on"]
        constraints = [
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="payment_paid_after_claim",
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("claimed_on")),
            ),
            models.CheckConstraint(
                name="payment_paid_state",
                condition=(Q(state=wf.PAID) & Q(paid_on__isnull=False))
                | (Q(state=wf.CLAIMED) & Q(paid_on__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"payment {self.id}"


class ReflectionPeriod(models.Model):
    """A recovery and reflection period for a foreign presumed victim (CETS 197 art. 13)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="reflection_periods"
    )
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    days = models.PositiveSmallIntegerField(_("days"))
    ends_on = models.DateField(_("ends on"))
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    ended_early_reason = models.CharField(_("reason"), max_length=32, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.CheckConstraint(name="reflection_at_least_30_days", condition=Q(days__gte=30)),
            models.CheckConstraint(
                name="reflection_ends_after_start", condition=Q(ends_on__gt=F("starts_on"))
            ),
            models.CheckConstraint(
                name="reflection_early_end_has_reason",
                condition=(Q(ended_early_on__isnull=True) & Q(ended_early_reason=""))
                | (Q(ended_early_on__isnull=False) & ~Q(ended_early_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"reflection period {self.id}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.ended_early_on is None and self.starts_on <= day <= self.ends_on
