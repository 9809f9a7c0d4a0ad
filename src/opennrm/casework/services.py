"""Writes of case work: each atomic, sealed with the person's data key and audited with ids and
codes only (never the text, the title or the file). Callers fetch the case, note or attachment
through `opennrm.access.casework`, which decides who may write which category."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.cases import services as case_services
from opennrm.cases.models import Case, Consent
from opennrm.casework import files, sealing
from opennrm.casework.models import (
    ABOUT_CASE,
    ABOUT_CONTACT,
    ABOUT_SERVICE,
    Attachment,
    Note,
)
from opennrm.core.codes import DATA_CATEGORY, code_list
from opennrm.people.identity import is_erased
from opennrm.tenancy.actor import Actor

MAX_NOTE = 8000
MAX_TITLE = 200
OWNER_ONLY = "OwnerOnly"
ABOUT = (ABOUT_CASE, ABOUT_CONTACT, ABOUT_SERVICE)


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))  # None is "None": not a UUID
    except ValueError:
        return False
    return True


def known_categories() -> frozenset[str]:
    return frozenset(code_list(DATA_CATEGORY).values) | {OWNER_ONLY}


def _audit(actor: Actor, action: str, case: Case, **detail: object) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type="case",
        object_id=case.id,
        detail=dict(detail),
    )


def _refuse_erased(case: Case) -> None:
    if is_erased(case.person):
        raise ValidationError(_("This person's data was erased: nothing can be added."))


def write_note(
    *,
    actor: Actor,
    case: Case,
    about: str,
    category: str,
    text: str,
    service_id: object | None = None,
    contact_on: dt.date | None = None,
) -> Note:
    errors: dict[str, list[str]] = {}
    text = text.strip()
    if not text:
        errors.setdefault("text", []).append(_("This field is required."))
    elif len(text) > MAX_NOTE:
        errors.setdefault("text", []).append(_("At most %(n)d characters.") % {"n": MAX_NOTE})
    if about not in ABOUT:
        errors.setdefault("about", []).append(_("Choose what the note is about."))
    if category not in known_categories():
        errors.setdefault("category", []).append(_("Choose a data category."))
    service = None
    if about == ABOUT_SERVICE:
        # The assistance service model by its relation (assistance sits beside this package).
        services: Any = Note._meta.get_field("service").related_model
        service = (
            services.objects.filter(case=case, id=service_id).first()
            if _is_uuid(service_id)
            else None
        )
        if service is None:
            errors.setdefault("service", []).append(_("Choose a service of this case."))
    if about == ABOUT_CONTACT:
        if contact_on is None:
            errors.setdefault("contact_on", []).append(_("This field is required."))
        elif contact_on > timezone.localdate():
            errors.setdefault("contact_on", []).append(_("The date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_erased(case)
        note = Note(
            case=case,
            about=about,
            service=service,
            contact_on=contact_on if about == ABOUT_CONTACT else None,
            category=category,
            agency=actor.agency,
            written_by=actor.user,
        )
        sealing.seal_note(note, case.person, text)
        note.save()
        _audit(actor, "note.written", case, note=str(note.id), about=about, category=category)
    return note


def delete_note(*, actor: Actor, note: Note) -> Note:
    """Soft delete: the row stays (the audit trail names it), the sealed text is cleared."""
    with transaction.atomic():
        note = Note.objects.select_for_update().select_related("case").get(pk=note.pk)
        if note.deleted_at is None:
            note.deleted_at = timezone.now()
            note.deleted_by = actor.user
            note.text_enc = b""
            note.save(update_fields=["deleted_at", "deleted_by", "text_enc"])
            _audit(actor, "note.deleted", note.case, note=str(note.id), category=note.category)
    return note


def add_attachment(
    *,
    actor: Actor,
    case: Case,
    category: str,
    title: str,
    content: bytes,
    consent: Consent | None = None,
) -> Attachment:
    """Check the file by its content (files.check), seal it and its thumbnail, audit."""
    errors: dict[str, list[str]] = {}
    title = title.strip()[:MAX_TITLE]
    if category not in known_categories():
        errors.setdefault("category", []).append(_("Choose a data category."))
    if consent is not None and consent.case_id != case.id:
        errors.setdefault("consent", []).append(_("Choose a consent of this case."))
    try:
        checked = files.check(content)
    except files.FileRefused as exc:
        errors.setdefault("file", []).append(str(exc))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_erased(case)
        attachment = Attachment(
            case=case,
            consent=consent,
            category=OWNER_ONLY if consent is not None else category,
            content_type=checked.content_type,
            size=len(checked.content),
            agency=actor.agency,
            uploaded_by=actor.user,
        )
        sealing.seal_attachment(
            attachment,
            case.person,
            title=title,
            content=checked.content,
            thumbnail=checked.thumbnail,
        )
        attachment.save()
        _audit(
            actor,
            "attachment.added",
            case,
            attachment=str(attachment.id),
            category=attachment.category,
            kind=files.EXTENSION[attachment.content_type],
            size=attachment.size,
            consent=str(consent.id) if consent is not None else None,
        )
    return attachment


def delete_attachment(*, actor: Actor, attachment: Attachment) -> Attachment:
    """Soft delete: the row stays for the audit trail; the sealed title, file and thumbnail
    are cleared."""
    with transaction.atomic():
        row = Attachment.objects.select_for_update().select_related("case").get(pk=attachment.pk)
        if row.deleted_at is None:
            row.deleted_at = timezone.now()
            row.deleted_by = actor.user
            row.title_enc = row.content_enc = row.thumbnail_enc = b""
            row.save(
                update_fields=[
                    "deleted_at",
                    "deleted_by",
                    "title_enc",
                    "content_enc",
                    "thumbnail_enc",
                ]
            )
            _audit(actor, "attachment.deleted", row.case, attachment=str(row.id))
    return row


def shred_for_cases(cases: QuerySet[Case]) -> int:
    """Erasure (retention): clear the sealed text and files of the cases' notes and
    attachments. The person's data key is destroyed too, so even a copy of the old ciphertext
    (a backup) opens with no key that exists once the old key-encryption keys are retired.
    Returns how many rows were cleared."""
    notes = Note.objects.filter(case__in=cases).update(text_enc=b"")
    attachments = Attachment.objects.filter(case__in=cases).update(
        title_enc=b"", content_enc=b"", thumbnail_enc=b""
    )
    return int(notes) + int(attachments)


def record_consent_with_form(
    *, actor: Actor, case: Case, signed_form: bytes | None, **consent: Any
) -> Consent:
    """Record a consent (cases.services.record_consent) and, when given, its signed form as an
    attachment of the consent, OwnerOnly like it: both or neither."""
    with transaction.atomic():
        recorded = case_services.record_consent(actor=actor, case=case, **consent)
        if signed_form:
            add_attachment(
                actor=actor,
                case=case,
                category=OWNER_ONLY,
                title=_("Signed consent form"),
                content=signed_form,
                consent=recorded,
            )
    return recorded
