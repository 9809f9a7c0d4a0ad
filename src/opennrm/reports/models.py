"""Report jobs: a period report produced in the worker, kept for download.

A report holds protected aggregates only (no personal data): the file is stored in the database
with its job. Who asked for it, when and for what period is the job (and the audit trail).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opennrm.core.disclosure import configured_threshold


class ReportJob(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    national = models.BooleanField(_("all agencies"), default=False)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    oblast = models.CharField(max_length=8, blank=True)
    agency_kind = models.CharField(max_length=48, blank=True)
    language = models.CharField(_("language"), max_length=2, default="uk")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    step = models.CharField(max_length=80, blank=True)
    content = models.BinaryField(default=b"")
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report {self.id}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        period = f"{self.start.isoformat()}-{self.end.isoformat()}"
        return f"opennrm-report-{period}-{self.language}.{self.format}"


class ContextDataset(models.Model):
    """A CTDC global dataset read for context: kept apart from case records (no link to any
    case or person), to put the national figures beside the global picture."""

    class Format(models.TextChoices):
        KANON_2017 = "ctdc-2017", _("CTDC k-anonymised global dataset (2017-2020)")
        SYNTHETIC_2024 = "ctdc-2024", _("CTDC global synthetic dataset (2024)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    report = models.JSONField(_("validation report"), default=dict)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.name


class ContextRecord(models.Model):
    """One victim record of a context dataset (CTDC categories, ISO alpha-3 countries)."""

    dataset = models.ForeignKey(ContextDataset, on_delete=models.CASCADE, related_name="records")
    year = models.PositiveSmallIntegerField(null=True)
    gender = models.CharField(max_length=40, blank=True)
    age_broad = models.CharField(max_length=8, blank=True)
    citizenship = models.CharField(max_length=3, blank=True)
    country_of_exploitation = models.CharField(max_length=3, blank=True)
    is_forced_labour = models.BooleanField(default=False)
    is_sexual_exploit = models.BooleanField(default=False)
    is_other_exploit = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["dataset", "year"], name="context_year_idx")]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.year}"


class PublicRelease(models.Model):
    """One table released to the public page with differential privacy: the privacy ledger.

    ``values`` holds the published (noisy, post-processed) counts only; ``count`` None means
    "fewer than the threshold".
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    table = models.CharField(_("table"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    epsilon = models.FloatField(_("epsilon"))
    delta = models.FloatField(_("delta"), default=0.0)
    mechanism = models.CharField(_("mechanism"), max_length=80)
    values = models.JSONField(_("published values"), default=list)
    threshold = models.PositiveSmallIntegerField(default=configured_threshold)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "table"]
        constraints = [
            models.UniqueConstraint(fields=["table", "year"], name="public_release_once"),
            models.CheckConstraint(
                condition=models.Q(epsilon__gt=0), name="release_epsilon_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.year}"


class PersonFact(models.Model):
    """One person (the registrations linkage joins at the match threshold) with what the
    indicators count, kept by the worker for national statistics (``reports.facts``).

    Codes, dates and case ids only: no name, no identity. Rebuilt from the cases and the
    linkage pairs, so nothing here is a source: erasing a person removes its row on the next
    refresh (the figures are counted from the cases until then)."""

    key = models.CharField(max_length=36, primary_key=True)  # the cluster's smallest person id
    first_identified = models.DateField(db_index=True)
    gender = models.CharField(max_length=32)
    age = models.PositiveSmallIntegerField(null=True)
    age_band = models.CharField(max_length=8, blank=True)
    citizenship = models.CharField(max_length=8, blank=True)
    origin_oblast = models.CharField(max_length=8, blank=True)
    identification_oblast = models.CharField(max_length=8, blank=True)
    is_idp = models.BooleanField(default=False)
    agency_kind = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=64, blank=True)
    registrations = models.PositiveIntegerField(default=0)
    # Sets of codes (and of case ids) as text, joined by "|" (read far quicker than JSON).
    forms = models.TextField(blank=True)
    industries = models.TextField(blank=True)
    countries = models.TextField(blank=True)
    means = models.TextField(blank=True)
    sex_types = models.TextField(blank=True)
    relationships = models.TextField(blank=True)
    first_country = models.CharField(max_length=8, blank=True)
    exploitation_months = models.IntegerField(null=True)
    case_ids = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"person facts {self.key}"


class PersonFactCode(models.Model):
    """One code of a kept person's set (a form of exploitation, a labour sector of a person in
    labour exploitation, a country of exploitation) with the person's first identification:
    the tables of sets are counted in the database (``GROUP BY code``) without reading the
    persons, and without a join (``reports.facts``)."""

    class List(models.TextChoices):
        FORMS = "forms", "forms"
        LABOUR_SECTORS = "labour_sectors", "labour_sectors"
        COUNTRIES = "countries", "countries"

    key = models.CharField(max_length=36)  # the person's ``PersonFact.key``
    list = models.CharField(max_length=16, choices=List.choices)
    code = models.CharField(max_length=64)
    first_identified = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["list", "first_identified", "code"], name="person_fact_code_idx"),
            # What a refresh deletes (no second index for LIKE, as db_index would add).
            models.Index(fields=["key"], name="person_fact_code_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.list} {self.code}"


class PersonFactBand(models.Model):
    """A person at the band's lower or higher threshold (more or fewer pairs taken as
    matches) and when it was first identified: the count's band without counting again."""

    class Threshold(models.TextChoices):
        LOWER = "lower", "lower"
        HIGHER = "higher", "higher"

    threshold = models.CharField(max_length=6, choices=Threshold.choices)
    key = models.CharField(max_length=36)
    first_identified = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["threshold", "first_identified"], name="person_fact_band_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["threshold", "key"], name="person_fact_band_once")
        ]

    def __str__(self) -> str:
        return f"{self.threshold} {self.key}"


class PersonFactMember(models.Model):
    """Which kept person (at each threshold) a registered person belongs to: what a refresh
    replaces when a person's cases or pairs change."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    lower = models.CharField(max_length=36, db_index=True)
    match = models.CharField(max_length=36)
    higher = models.CharField(max_length=36)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.match}"


class FactsState(models.Model):
    """How current the kept facts are: built over every case up to audit event ``seq`` with
    the linkage thresholds ``thresholds``. One row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    built = models.BooleanField(default=False)  # a full build has finished
    seq = models.BigIntegerField(default=0)
    thresholds = models.JSONField(default=list)
    refreshed_at = models.DateTimeField(null=True)
    full_at = models.DateTimeField(null=True)  # the last full build
    persons = models.PositiveIntegerField(default=0)
    last_full_seconds = models.FloatField(default=0.0)
    # The layout the facts were built in (`reports.facts.FORMAT`): facts built by older code
    # (a worker not yet replaced after an upgrade) leave it as it was and are not read.
    format = models.PositiveSmallIntegerField(default=0, db_default=0)

    def __str__(self) -> str:
        return f"facts up to {self.seq}"
