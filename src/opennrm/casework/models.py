"""Notes and attachments of a case. Text and content are sealed with the person's data key
(`casework/sealing.py`); nothing here is readable without it, and erasure destroys it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a note is about.
ABOUT_CASE, ABOUT_CONTACT, ABOUT_SERVICE = "Case", "Contact", "Service"


class Note(models.Model):
    """A caseworker's note on a case, on a contact with the person, or on a service delivered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    about = models.CharField(_("about"), max_length=12, default=ABOUT_CASE)
    # A note on a service names the service (it belongs to the same case).
    service = models.ForeignKey(
        "assistance.ServiceDelivery",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    # A note on a contact: when the contact took place.
    contact_on = models.DateField(_("date of the contact"), null=True, blank=True)
    # The data category the note belongs to (access/fields.py NOTE_CATEGORIES): who reads it.
    category = models.CharField(_("data category"), max_length=16)
    text_enc = models.BinaryField()
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), auto_now_add=True)
    # Soft delete: the row stays for the audit trail; its text is cleared.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["case", "deleted_at"], name="note_case_idx")]

    def __str__(self) -> str:
        return f"note {self.id}"


class Attachment(models.Model):
    """A file of a case: PDF, JPEG or PNG, checked by content, images re-encoded without
    metadata; the content and the thumbnail sealed with the person's data key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="attachments")
    # A signed consent form belongs to its consent record (and, like consents, to the owner).
    consent = models.ForeignKey(
        "cases.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("consent"),
    )
    category = models.CharField(_("data category"), max_length=16)
    content_type = models.CharField(_("type"), max_length=32)
    size = models.PositiveIntegerField(_("size"))
    title_enc = models.BinaryField()
    content_enc = models.BinaryField()
    thumbnail_enc = models.BinaryField(blank=True, default=b"")
    agency = models.ForeignKey("tenancy.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["case", "deleted_at"], name="attachment_case_idx")]

    def __str__(self) -> str:
        return f"attachment {self.id}"
