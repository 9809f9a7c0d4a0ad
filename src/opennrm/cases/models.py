from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opennrm.core import codes

# Multi-valued HTCDS facts of a case, each stored as rows of `CaseCode`.
MULTI_CODE_LISTS = (
    codes.EXPLOITATION,
    codes.UA_EXPLOITATION,
    codes.LABOUR_INDUSTRY,
    codes.SEX_EXPLOITATION,
    codes.CONTROL,
    codes.RECRUITMENT,
    codes.VULNERABILITIES,
    codes.RECRUITMENT_WEBSITES,
    codes.EXPLOITATION_WEBSITES,
)


class Case(models.Model):
    """One identification of a person as a possible victim, owned by one agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    owner_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("owner agency"),
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caseworker"),
    )
    # The identification event.
    identified_on = models.DateField(_("date of identification"))
    identification_country = models.CharField(
        _("country of identification"),
        max_length=2,
    )
    identification_oblast = models.CharField(
        _("oblast of identification"),
        max_length=8,
        blank=True,
    )
    identifying_agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="identified_cases",
        verbose_name=_("identifying agency"),
    )
    channel = models.CharField(
        _("channel of identification"),
        max_length=32,
    )
    # HTCDS victim context.
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        default="PossibleVictimOfTrafficking",
    )
    status_decision_org = models.CharField(
        _("organisation that decided the trafficking status"),
        max_length=40,
        blank=True,
    )
    relationship_to_recruiter = models.CharField(
        _("relationship to the recruiter"),
        max_length=20,
        blank=True,
    )
    age_at_identification = models.PositiveSmallIntegerField(
        _("age at identification"), null=True, blank=True
    )
    age_band = models.CharField(_("age band (CTDC)"), max_length=8, blank=True)
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when first trafficked"), null=True, blank=True
    )
    # HTCDS referral details as a partner's record gives them (organisations by name, reasons
    # as codes); referrals inside OpenNRM are nrm.referrals.Referral.
    referring_organisation = models.CharField(
        _("referring organisation"), max_length=200, blank=True
    )
    incoming_referral_date = models.DateField(_("incoming referral date"), null=True, blank=True)
    incoming_referral_reason = models.CharField(
        _("reason for the incoming referral"), max_length=40, blank=True
    )
    referred_organisation = models.CharField(
        _("organisation referred to"), max_length=200, blank=True
    )
    outgoing_referral_date = models.DateField(_("outgoing referral date"), null=True, blank=True)
    outgoing_referral_reason = models.CharField(
        _("reason for the outgoing referral"), max_length=40, blank=True
    )
    # Case management.
    status = models.CharField(
        _("case status"),
        max_length=20,
        default="Active",
    )
    closure_reason = models.CharField(
        _("reason for closure"),
        max_length=32,
        blank=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-identified_on", "-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["owner_agency", "-identified_on"], name="case_owner_date_idx"),
            models.Index(fields=["identified_on"], name="case_identified_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_closed_has_reason",
                condition=Q(status__in=["Active", "FollowUp"]) | ~Q(closure_reason=""),
            ),
            models.CheckConstraint(
                name="case_open_has_no_reason",
                condition=Q(status__in=["Closed", "ClosedReferred"]) | Q(closure_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.reference}"

    @property
    def reference(self) -> str:
        """A short, non-personal reference to read out on the phone."""
        return self.id.hex[:8].upper()

    def codes_of(self, list_name: str) -> list[str]:
        """The codes of one multi-valued list (uses prefetched `codes` when present)."""
        return sorted(c.code for c in self.codes.all() if c.list == list_name)


class CaseCode(models.Model):
    """One value of a multi-valued code list for a case (e.g. one form of exploitation).

    No index of its own on `case`: the unique index over (case, list, code) starts with it and
    serves every read by case (a second index on the same column was written on each of the
    three or four rows a case gets, an import's work for nothing)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="codes", db_index=False)
    list = models.CharField(max_length=48)
    code = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "list", "code"], name="case_code_unique"),
        ]
        indexes = [models.Index(fields=["list", "code"], name="case_code_list_idx")]

    def __str__(self) -> str:
        return f"{self.list}={self.code}"


class TraffickingEvent(models.Model):
    """An HTCDS historic trafficking event: recruitment, transit or exploitation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(
        _("type"),
        max_length=16,
    )
    country = models.CharField(
        _("country"),
        max_length=2,
    )
    oblast = models.CharField(
        _("oblast"),
        max_length=8,
        blank=True,
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "type"]
        constraints = [
            models.CheckConstraint(
                name="event_dates_in_order",
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.country}"


class Consent(models.Model):
    """A recorded legal basis for processing or sharing a case's data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=32,
    )
    purposes = models.JSONField(_("purposes"), default=list)
    data_categories = models.JSONField(_("data categories"), default=list)
    recipient = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient agency"),
    )
    given_on = models.DateField(_("given on"))
    # Who gave a consent (code list `consent_giver`): the person, or for a child the legal
    # representative or the guardianship authority; "" for other legal bases and older records.
    given_by = models.CharField(_("given by"), max_length=32, blank=True, default="")
    # The legal representative's role (code list `representative_role`), "" otherwise.
    representative_role = models.CharField(
        _("role of the representative"), max_length=32, blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawal recorded"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"consent {self.id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class SavedSearch(models.Model):
    """A user's named filters of the case list (status, facts, dates, sort). Never a name:
    the name terms of a search stay in the session for half an hour (web/cases/searches.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name of the search"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_name_unique"),
        ]

    def __str__(self) -> str:
        return f"saved search {self.id}"
