"""The data-subject access export: everything held on a person, decrypted, as JSON (in a ZIP).

What is exported: the person's identity (decrypted) and coarse facts, each of their cases with
every row that refers to the case, and the rows that refer to those (consents, referrals,
screenings with their decrypted subject, support plans with their decrypted objectives,
services, the status procedure, proceedings in which the case takes part, legal holds,
erasures, notes with their decrypted text, attachments with their title and file in base64).
Rows about third parties (suspects, perpetrators and their identifiers, alerts, linkage pairs
naming another person) are left out: they are not the person's data. Encrypted
columns are decrypted only for the person's own tables (`OWN_TABLES`); ids of users and
agencies are given as ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
import zipfile
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from opennrm.audit.models import AuditEvent
from opennrm.audit.services import record
from opennrm.cases.models import Case
from opennrm.casework import sealing
from opennrm.casework.models import Attachment, Note
from opennrm.people.identity import is_erased, open_identity
from opennrm.people.models import Person
from opennrm.retention.models import Erasure
from opennrm.tenancy.actor import Actor
from opennrm.vault.columns import KEY_FIELD, SUFFIX, EncryptedTable, registered

FORMAT = "opennrm-subject-access-1"
# Encrypted tables holding the person's own data (decrypted in the export).
OWN_TABLES = frozenset({"screening.Screening", "assistance.SupportPlan"})
# Related rows that are about someone else, or search keys: never exported.
THIRD_PARTY = frozenset(
    {
        "people.PersonSearchKey",
        "justice.Suspect",
        "justice.Perpetrator",
        "justice.Identifier",
        "justice.Alert",
        "linkage.CandidatePair",
        "linkage.MergeEvent",
    }
)
MAX_DEPTH = 2


def _value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _entry(model: type[models.Model]) -> EncryptedTable | None:
    return next((e for e in registered() if e.model is model), None)


def _row(row: models.Model, depth: int, seen: set[tuple[str, Any]]) -> dict[str, Any]:
    label = str(row._meta.label)
    seen.add((label, row.pk))
    data: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.name == "kek_id" or field.name == KEY_FIELD or field.name.endswith(SUFFIX):
            continue
        data[field.attname] = _value(getattr(row, field.attname))
    entry = _entry(type(row))
    if entry is not None and label in OWN_TABLES:
        if entry.is_shredded(row):
            data["erased"] = True
        else:
            for column, plain in entry.open(row, entry.columns).items():
                data[column] = plain.decode("utf-8")
    data.update(_casework(row))
    if depth < MAX_DEPTH:
        related = _related(row, depth + 1, seen)
        if related:
            data["related"] = related
    return data


def _casework(row: models.Model) -> dict[str, Any]:
    """A note's text, an attachment's title and file (base64), decrypted with the person's key
    (nothing once erased or deleted)."""
    if isinstance(row, Note):
        return {"text": sealing.open_note(row, row.case.person)}
    if isinstance(row, Attachment) and not is_erased(row.case.person):
        person = row.case.person
        content = sealing.open_attachment(row, person, "content")
        return {
            "title": sealing.attachment_title(row, person),
            "content_base64": base64.b64encode(content).decode("ascii"),
        }
    return {}


def _related(obj: models.Model, depth: int, seen: set[tuple[str, Any]]) -> dict[str, Any]:
    """Rows of other tables that refer to `obj` by a foreign key (one level more)."""
    out: dict[str, Any] = {}
    for rel in obj._meta.related_objects:
        model: Any = rel.related_model
        label = str(model._meta.label)
        if label in THIRD_PARTY or rel.many_to_many:
            continue
        entry = _entry(model)
        if entry is not None and label not in OWN_TABLES:
            continue  # another encrypted table: someone else's data
        manager: Any = model._default_manager
        rows = [
            _row(r, depth, seen)
            for r in manager.filter(**{rel.field.name: obj}).order_by("pk")
            if (label, r.pk) not in seen
        ]
        if rows:
            out[f"{label}.{rel.field.name}"] = rows
    return out


def subject_access(*, actor: Actor, person: Person) -> dict[str, Any]:
    """Everything held on the person (audited: who exported which person, how many rows)."""
    seen: set[tuple[str, Any]] = {("people.Person", person.pk)}
    identity = open_identity(person)
    cases = list(Case.objects.filter(person=person).order_by("pk"))
    payload: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "person": {
            "id": str(person.id),
            "agency_id": str(person.agency_id),
            "erased": is_erased(person),
            "identity": identity._columns(),
            "gender": person.gender,
            "citizenships": list(person.citizenships),
            "is_idp": person.is_idp,
            "origin_oblast": person.origin_oblast,
            "marital_status": person.marital_status,
            "primary_language": person.primary_language,
            "secondary_language": person.secondary_language,
            "education": person.education,
            "created_at": _value(person.created_at),
            "updated_at": _value(person.updated_at),
        },
        "cases": [_row(case, 0, seen) for case in cases],
        "audit_events": [
            {"seq": e.seq, "at": _value(e.at), "action": e.action, "agency_id": _value(e.agency_id)}
            for e in AuditEvent.objects.filter(
                object_id__in=[str(person.id), *(str(c.pk) for c in cases)]
            ).order_by("seq")
        ],
        "erasures": [
            {k: _value(v) for k, v in row.items()}
            for row in Erasure.objects.filter(object_id=person.id).values()
        ],
    }
    with transaction.atomic():
        record(
            action="person.subject_access",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="person",
            object_id=person.id,
            detail={"cases": len(payload["cases"]), "rows": len(seen)},
        )
    return payload


def as_json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def as_zip(payload: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"person-{payload['person']['id']}.json", as_json(payload))
    return buffer.getvalue()
