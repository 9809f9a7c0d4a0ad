"""Linkage runs, the candidate pairs they find, reviewers' decisions and national person ids.

Nothing here holds a name or a date: a run keeps its parameters and trained model (numbers and
SQL), a pair keeps the two person ids, its score and an explanation made of field names and
agreement levels. A person's national id (``NationalLink``) ties registrations of one person
across agencies without moving or copying them; merges and unmerges are events
(``MergeEvent``) that keep the ids before and after, so every merge can be undone.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkageRun(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("all persons")
        NEW = "new", _("new registrations")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FULL)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    step = models.CharField(_("step"), max_length=80, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    model = models.JSONField(_("trained model"), default=dict, blank=True)
    base_run = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("model taken from"),
    )
    persons_until = models.DateTimeField(_("persons registered until"), null=True)
    record_count = models.PositiveIntegerField(_("registrations"), default=0)
    pair_count = models.PositiveIntegerField(_("candidate pairs"), default=0)
    match_count = models.PositiveIntegerField(_("matches"), default=0)
    timings = models.JSONField(_("timings"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.id}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class CandidatePair(models.Model):
    """Two registrations the model scored at or above the possible-match threshold.

    ``left`` is the person with the smaller id. The latest run's score replaces an earlier
    one; a reviewer's decision stays.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("not reviewed")
        SAME = "same", _("same person")
        DIFFERENT = "different", _("different persons")
        UNSURE = "unsure", _("unsure")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="pairs")
    left = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    weight = models.FloatField(_("match weight"))
    explanation = models.JSONField(_("explanation"), default=list)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-probability"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="linkage_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="linkage_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["decision", "-probability"], name="linkage_queue_idx")]

    def __str__(self) -> str:
        return f"pair {self.id}"


class NationalLink(models.Model):
    """The national person id of a registration; a person without a row is its own."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True, related_name="national_link"
    )
    national_id = models.UUIDField(_("national person id"), db_index=True)

    def __str__(self) -> str:
        return f"{self.person_id} -> {self.national_id}"


class MergeEvent(models.Model):
    class Kind(models.TextChoices):
        MERGE = "merge", _("merged")
        UNMERGE = "unmerge", _("merge undone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="merges")
    undoes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )
    # {person id: national id} before and after, for every person whose id changed.
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"
