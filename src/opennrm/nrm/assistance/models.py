from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opennrm.nrm.assistance.workflow import CANCELLED, DELIVERED, PLANNED

# Who a provider takes, by citizenship (a closed rule, not a code list that grows).
ANY_CITIZENSHIP, UKRAINIAN_ONLY, FOREIGN_ONLY = "any", "ukrainian", "foreign"
CITIZENSHIP_RULES = (ANY_CITIZENSHIP, UKRAINIAN_ONLY, FOREIGN_ONLY)


class ServiceProvider(models.Model):
    """An entry of the directory of service providers: what an agency offers, where, to whom.

    Not personal data: visible to every signed-in user with an agency. Lists hold codes:
    `services` assistance types (`assistance.types`), `sexes` HTCDS `prs_Gender` codes (empty:
    any). Beds are only meaningful for shelter placement.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="provider_entries",
        verbose_name=_("agency"),
    )
    name = models.CharField(_("site or service name"), max_length=200, blank=True)
    services = models.JSONField(_("services offered"), default=list)
    oblast = models.CharField(_("oblast"), max_length=8)
    sexes = models.JSONField(_("takes persons of gender"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=12, default=ANY_CITIZENSHIP)
    beds_total = models.PositiveSmallIntegerField(_("beds in total"), null=True, blank=True)
    beds_free = models.PositiveSmallIntegerField(_("beds free"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["oblast", "name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        indexes = [
            models.Index(fields=["is_active", "oblast"], name="provider_active_oblast_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="provider_citizenship_rule",
                condition=Q(citizenship__in=list(CITIZENSHIP_RULES)),
            ),
            models.CheckConstraint(
                name="provider_ages_in_order",
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
            ),
            models.CheckConstraint(
                name="provider_free_beds_within_total",
                condition=Q(beds_free__isnull=True)
                | Q(beds_total__isnull=False, beds_free__lte=F("beds_total")),
            ),
        ]

    def __str__(self) -> str:
        return f"provider {self.id}"

    @property
    def display_name(self) -> str:
        return (
            f"{self.agency.display_name} — {self.name}" if self.name else self.agency.display_name
        )


class SupportPlan(models.Model):
    """An HTCDS support plan (`spl_`) of a case. Its objectives are free text about the person:
    AES-GCM ciphertext under a per-plan data key; read and write them only through
    `opennrm.nrm.assistance.objectives`. Its HTCDS types are those of its services.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="support_plans")
    agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency that made the plan"),
    )
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    objectives_enc = models.BinaryField()
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    actual_end_date = models.DateField(_("actual end date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return f"support plan {self.id}"  # never the objectives: str() ends up in logs

    @property
    def is_open(self) -> bool:
        return self.actual_end_date is None


class ServiceDelivery(models.Model):
    """One service of a case: planned, then delivered (with dates and provider) or cancelled.

    The provider is a directory entry or, when the agency is not listed, an agency; with an
    entry, `provider_agency` is the entry's agency. No free text: codes, dates and ids only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="assistance_services"
    )
    plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("support plan"),
    )
    type = models.CharField(_("type of assistance"), max_length=40)
    provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("provider"),
    )
    provider_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider agency"),
    )
    planned_on = models.DateField(_("planned start"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    delivered_from = models.DateField(_("delivered from"), null=True, blank=True)
    delivered_until = models.DateField(_("delivered until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, default=PLANNED)
    agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency that planned the service"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_recorded_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "recorded_at"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["case", "state"], name="service_case_state_idx"),
            models.Index(fields=["state", "planned_on"], name="service_state_planned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="service_state_known",
                condition=Q(state__in=[PLANNED, DELIVERED, CANCELLED]),
            ),
            models.CheckConstraint(
                name="service_delivered_has_start",
                condition=~Q(state=DELIVERED) | Q(delivered_from__isnull=False),
            ),
            models.CheckConstraint(
                name="service_delivery_dates_in_order",
                condition=Q(delivered_until__isnull=True)
                | Q(delivered_from__isnull=False, delivered_until__gte=F("delivered_from")),
            ),
            models.CheckConstraint(
                name="service_planned_dates_in_order",
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=F("planned_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"service {self.id}"

    @property
    def planned_until(self) -> dt.date:
        """The date by which the service should have been delivered."""
        return self.planned_end_on or self.planned_on
