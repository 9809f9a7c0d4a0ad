"""Report jobs: a period report produced in the worker, kept for download.

A report holds protected aggregates only (no personal data): the file is stored in the database
with its job. Who asked for it, when and for what period is the job (and the audit trail).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
