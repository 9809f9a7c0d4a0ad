"""The gate of case work: who reads and writes which notes and attachments of a case.

Reading: the case must be visible (`policy.get_case_for` with `case.view`: hidden is 404), and
each note or attachment shows only where its data category shows to the actor on that case
(`FieldScope`: the owner sees every category, a share only its categories, and without
`person.view` none of the person's categories). A hidden note or attachment is 404, like a
missing one.

Writing: `case.change` (the owner's staff) or `assistance.manage` on the case (the owner, or an
agency the case is shared with for assistance), into a category the writer sees and the kind of
note allows (`access.fields.NOTE_CATEGORIES`). Attachments: the owner's staff with
`case.change`; a signed consent form with `consent.manage` (it is `OwnerOnly`, like the
consent). Deleting (soft): the writer's agency with the same right.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.fields import (
    ATTACHMENT_CATEGORIES,
    CASE,
    CASE_FACTS,
    DOCUMENTS,
    IDENTITY,
    NOTE_CATEGORIES,
    OWNER_ONLY,
)
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import ASSISTANCE_MANAGE, CASE_CHANGE, CASE_VIEW, CONSENT_MANAGE
from opennrm.access.scope import FieldScope, field_scope
from opennrm.cases.models import Case, Consent
from opennrm.casework.models import Attachment, Note
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import Actor

WRITE_PERMISSIONS = frozenset({CASE_CHANGE, ASSISTANCE_MANAGE})


def get_case(actor: Actor, case_id: object) -> Case:
    """The case (visible with case.view, else 404) whose notes and files the actor opens."""
    return policy.get_case_for(actor, case_id, CASE_VIEW)


def shown_categories(actor: Actor, case: Case) -> frozenset[str]:
    return field_scope(actor, [case.id]).categories(case)


def visible_notes(actor: Actor, case: Case) -> QuerySet[Note]:
    """The case's notes whose category shows to the actor (deleted ones left out)."""
    return Note.objects.filter(
        case=case, deleted_at__isnull=True, category__in=sorted(shown_categories(actor, case))
    ).select_related("service", "agency")


def visible_attachments(actor: Actor, case: Case) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        case=case, deleted_at__isnull=True, category__in=sorted(shown_categories(actor, case))
    ).select_related("agency")


def may_write(actor: Actor, case: Case) -> bool:
    return bool(WRITE_PERMISSIONS & policy.case_access(actor, case).permissions)


def note_categories(actor: Actor, case: Case, about: str) -> list[str]:
    """The categories the actor may file a note about `about` under (none: may not write)."""
    if not may_write(actor, case):
        return []
    shown = shown_categories(actor, case)
    return [c for c in NOTE_CATEGORIES.get(about, ()) if c in shown]


def authorize_note(actor: Actor, case: Case, about: str, category: str) -> None:
    if category not in note_categories(actor, case, about):
        raise PermissionDenied("note.write")


def may_upload(actor: Actor, case: Case) -> bool:
    access = policy.case_access(actor, case)
    return access.is_owner and CASE_CHANGE in access.permissions


def attachment_categories(actor: Actor, case: Case) -> list[str]:
    if not may_upload(actor, case):
        return []
    shown = shown_categories(actor, case)
    return [c for c in ATTACHMENT_CATEGORIES if c in shown]


def authorize_upload(actor: Actor, case: Case, category: str) -> None:
    if category not in attachment_categories(actor, case):
        raise PermissionDenied("attachment.add")


def may_attach_consent_form(actor: Actor, case: Case) -> bool:
    access = policy.case_access(actor, case)
    return access.is_owner and CONSENT_MANAGE in access.permissions


def may_delete_note(actor: Actor, case: Case, note: Note) -> bool:
    """A note of the actor's agency, on a case they may still write on."""
    return note.agency_id == actor.agency_id and may_write(actor, case)


def may_delete_attachment(actor: Actor, case: Case, attachment: Attachment) -> bool:
    """A file of the actor's agency they may still add: a consent form with `consent.manage`,
    any other file with the owner's `case.change`."""
    allowed = (
        may_attach_consent_form(actor, case)
        if attachment.category == OWNER_ONLY
        else may_upload(actor, case)
    )
    return attachment.agency_id == actor.agency_id and allowed


def _visible_case_of(actor: Actor, case_id: uuid.UUID) -> Case:
    case = policy.visible_cases(actor).filter(id=case_id).first()
    if case is None:
        raise Http404
    return case


def get_note_for(actor: Actor, note_id: object, *, delete: bool = False) -> Note:
    """A note the actor sees (else 404); with `delete`, one their agency wrote and may still
    write (else 403)."""
    note = Note.objects.filter(id=_as_uuid(note_id), deleted_at__isnull=True).first()
    if note is None:
        raise Http404
    case = _visible_case_of(actor, note.case_id)
    if note.category not in shown_categories(actor, case):
        raise Http404
    note.case = case
    if delete and not may_delete_note(actor, case, note):
        raise PermissionDenied("note.delete")
    return note


def get_attachment_for(actor: Actor, attachment_id: object, *, delete: bool = False) -> Attachment:
    """An attachment the actor sees (else 404); with `delete`, one their agency uploaded and
    may still upload to (else 403)."""
    attachment = Attachment.objects.filter(
        id=_as_uuid(attachment_id), deleted_at__isnull=True
    ).first()
    if attachment is None:
        raise Http404
    case = _visible_case_of(actor, attachment.case_id)
    if attachment.category not in shown_categories(actor, case):
        raise Http404
    attachment.case = case
    if delete and not may_delete_attachment(actor, case, attachment):
        raise PermissionDenied("attachment.delete")
    return attachment


def consent_of(actor: Actor, case: Case, consent_id: object) -> Consent:
    """A consent of the case whose signed form the actor may attach (else 404/403)."""
    consent = case.consents.filter(id=_as_uuid(consent_id)).first()
    if consent is None:
        raise Http404
    if not may_attach_consent_form(actor, case):
        raise PermissionDenied(CONSENT_MANAGE)
    return consent


# --- the status decision: what the personal file holds ---------------------------------------

# What the decision page shows of the file, to anyone it shows at all: who the person is, their
# documents and the facts of the case (the categories of the decider's share,
# nrm/referrals/status_shares.py). Health, psycho-social, contact and justice data never.
FILE_CATEGORIES = frozenset({IDENTITY, DOCUMENTS, CASE_FACTS, CASE})


@dataclass(frozen=True)
class FileScope(FieldScope):
    """A field scope cut down to the categories of the status file."""

    limit: frozenset[str] = FILE_CATEGORIES

    def categories(self, case: Case) -> frozenset[str]:
        return super().categories(case) & self.limit


@dataclass(frozen=True)
class ApplicationFile:
    case: Case
    scope: FileScope
    attachments: list[Attachment]


def application_file(actor: Actor, application: StatusApplication) -> ApplicationFile | None:
    """The file of a status application as the deciders read it: None unless the actor's agency
    is the application's deciding agency and the case is visible to it (through the share the
    forward opened, or as owner); then only the file's categories the actor's scope shows.
    Other viewers of the application (the receiving office, the owner) read the case page."""
    if actor.agency_id is None or application.national_agency_id != actor.agency_id:
        return None
    case = policy.visible_cases(actor).filter(pk=application.case_id).first()
    if case is None:
        return None
    base = field_scope(actor, [case.id])
    scope = FileScope(actor, base.shared)
    shown = sorted(scope.categories(case))
    attachments = list(
        Attachment.objects.filter(case=case, deleted_at__isnull=True, category__in=shown)
    )
    return ApplicationFile(case, scope, attachments)
