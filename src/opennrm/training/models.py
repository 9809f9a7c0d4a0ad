"""Capacity building: training events, the training register of persons trained (trainees),
their participation in each event (profession, agency, oblast, attendance, test scores,
feedback), certificates with a public verification code, files (agenda, materials, handover
documents) and equipment given to agencies.

Code fields hold codes of `core/data/training_code_lists.csv`. A trainee's name is AES-GCM
ciphertext under a per-trainee data key (`training/trainees.py`); `name_key` is a blind index
that matches one person trained several times. Write only through `training/services.py`, which
records audit events.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Training(models.Model):
    """One training event (a workshop, a training of trainers, a study visit, an online course)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=300)
    format = models.CharField(_("format"), max_length=32)
    topics = models.JSONField(_("curriculum topics"), default=list)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue_city = models.CharField(_("city"), max_length=100)
    venue_oblast = models.CharField(_("oblast"), max_length=8)
    organiser = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("organiser"),
    )
    trainers = models.CharField(_("trainers"), max_length=500, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    project_code = models.CharField(_("project code"), max_length=64, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list)
    planned_participants = models.PositiveIntegerField(_("planned participants"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-starts_on", "title")
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return f"training {self.id}"


class Trainee(models.Model):
    """A person in the training register: one row however many trainings they attend."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    identity_enc = models.BinaryField()
    # HMAC of the normalised, transliterated family and first name (training/trainees.py).
    name_key = models.CharField(max_length=64, db_index=True)
    gender = models.CharField(_("sex"), max_length=32, default="NonSpecifiedUnknown")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"trainee {self.id}"  # never the name: str() ends up in logs


class Participation(models.Model):
    """A trainee in one training: who they were then (profession, agency, oblast), which days
    they attended, their scores before and after, their feedback."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="participations")
    profession = models.CharField(_("profession"), max_length=32)
    agency = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency in the system"),
    )
    agency_name = models.CharField(_("agency"), max_length=200, blank=True)
    oblast = models.CharField(_("oblast"), max_length=8)
    days_attended = models.JSONField(_("days attended"), default=list)  # ISO dates
    pre_score = models.PositiveSmallIntegerField(_("pre-test score"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("post-test score"), null=True, blank=True)
    feedback_rating = models.PositiveSmallIntegerField(_("feedback (1-5)"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("added_at",)
        constraints = [
            models.UniqueConstraint(fields=["training", "trainee"], name="training_trainee_once")
        ]

    def __str__(self) -> str:
        return f"participation {self.id}"

    @property
    def gain(self) -> int | None:
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score


class Certificate(models.Model):
    """A certificate of one participation; anyone holding its code can check it (/verify/CODE)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participation = models.OneToOneField(
        Participation, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason"), max_length=32, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"certificate {self.id}"


class TrainingFile(models.Model):
    """An agenda, materials or a handover document: a PDF, checked by content and size."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=16)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"training file {self.id}"


class Equipment(models.Model):
    """Equipment or technical assistance given to an agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.CharField(_("item"), max_length=200)
    recipient = models.ForeignKey(
        "tenancy.Agency",
        on_delete=models.PROTECT,
        related_name="equipment_received",
        verbose_name=_("recipient agency"),
    )
    given_by = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, related_name="equipment_given"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    given_on = models.DateField(_("date of handover"))
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    project_code = models.CharField(_("project code"), max_length=64, blank=True)
    handover_document = models.OneToOneField(
        TrainingFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
        verbose_name=_("handover document"),
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-given_on",)

    def __str__(self) -> str:
        return f"equipment {self.id}"
