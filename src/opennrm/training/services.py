"""Writes of capacity building: each validates, writes in one transaction and records an audit
event (ids, codes and counts only, never a name or a title). Who may call which is the access
gate's decision (`access/training.py`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opennrm.audit.services import record
from opennrm.core import codes
from opennrm.core.ages import add_years
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.training.models import (
    Certificate,
    Equipment,
    Participation,
    Trainee,
    Training,
    TrainingFile,
)
from opennrm.training.trainees import TraineeName, name_key, seal_name

Errors = dict[str, list[str]]
PDF = "application/pdf"
# Verification codes: 12 characters without look-alikes (0/O, 1/I/L): about 60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GENDERS = ("Feminine", "Masculine", "NonSpecifiedUnknown")


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: Errors, name: str, value: object) -> bool:
    if value in (None, "", []):
        _add(errors, name, _("This field is required."))
        return False
    return True


def _code(errors: Errors, name: str, list_name: str, value: str) -> None:
    if _required(errors, name, value) and value not in codes.code_list(list_name):
        _add(errors, name, _("“%(value)s” is not a valid choice.") % {"value": value})


def _codes(errors: Errors, name: str, list_name: str, values: list[str]) -> None:
    known = codes.code_list(list_name)
    for value in values:
        if value not in known:
            _add(errors, name, _("“%(value)s” is not a valid choice.") % {"value": value})


def _audit(actor: Actor, action: str, object_type: str, object_id: Any, **detail: Any) -> None:
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id,
        purpose="CapacityBuilding",
        detail=detail,
    )


# --- Files ------------------------------------------------------------------------------------


def check_pdf(errors: Errors, name: str, content: bytes, content_type: str) -> None:
    """A PDF by declared type and by content (its magic bytes), within the size limit."""
    limit = settings.OPENNRM_TRAINING_FILE_MAX_BYTES
    if content_type.split(";")[0].strip().lower() != PDF or not content.startswith(b"%PDF-"):
        _add(errors, name, _("Upload a PDF file."))
    if len(content) > limit:
        _add(
            errors,
            name,
            _("The file is larger than %(limit)s MB.") % {"limit": round(limit / 1048576, 1)},
        )
    if not content:
        _add(errors, name, _("The file is empty."))


def attach_file(
    *,
    actor: Actor,
    training: Training | None,
    kind: str,
    name: str,
    content: bytes,
    content_type: str,
) -> TrainingFile:
    errors: Errors = {}
    _code(errors, "kind", codes.TRAINING_FILE_KIND, kind)
    check_pdf(errors, "file", content, content_type)
    _raise(errors)
    with transaction.atomic():
        stored = TrainingFile.objects.create(
            training=training,
            kind=kind,
            name=(name or "document.pdf")[-200:],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            uploaded_by=actor.user,
        )
        _audit(
            actor,
            "training.file_attached",
            "training" if training else "training_file",
            training.id if training else stored.id,
            kind=kind,
            file=str(stored.id),
            size=len(content),
        )
    return stored


# --- Trainings --------------------------------------------------------------------------------


@dataclass
class TrainingInput:
    title: str = ""
    format: str = ""
    topics: list[str] = field(default_factory=list)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    venue_city: str = ""
    venue_oblast: str = ""
    trainers: str = ""
    funder: str = ""
    project_code: str = ""
    target_groups: list[str] = field(default_factory=list)
    planned_participants: int = 0


def _validate_training(data: TrainingInput) -> None:
    errors: Errors = {}
    _required(errors, "title", data.title.strip())
    _code(errors, "format", codes.TRAINING_FORMAT, data.format)
    if _required(errors, "topics", data.topics):
        _codes(errors, "topics", codes.TRAINING_TOPIC, data.topics)
    _codes(errors, "target_groups", codes.PROFESSION, data.target_groups)
    _required(errors, "starts_on", data.starts_on)
    _required(errors, "ends_on", data.ends_on)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        _add(errors, "ends_on", _("The last day is before the first."))
    _required(errors, "venue_city", data.venue_city.strip())
    _code(errors, "venue_oblast", codes.OBLAST, data.venue_oblast)
    if data.planned_participants < 0:
        _add(errors, "planned_participants", _("Enter a number of zero or more."))
    _raise(errors)


def create_training(*, actor: Actor, data: TrainingInput) -> Training:
    """A training organised by the actor's agency."""
    assert actor.agency is not None
    _validate_training(data)
    assert data.starts_on is not None
    assert data.ends_on is not None
    with transaction.atomic():
        training = Training.objects.create(
            title=data.title.strip(),
            format=data.format,
            topics=list(dict.fromkeys(data.topics)),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            venue_city=data.venue_city.strip(),
            venue_oblast=data.venue_oblast,
            organiser=actor.agency,
            trainers=data.trainers.strip(),
            funder=data.funder.strip(),
            project_code=data.project_code.strip(),
            target_groups=list(dict.fromkeys(data.target_groups)),
            planned_participants=data.planned_participants,
            created_by=actor.user,
        )
        _audit(
            actor,
            "training.created",
            "training",
            training.id,
            format=training.format,
            topics=training.topics,
        )
    return training


def update_training(*, actor: Actor, training: Training, data: TrainingInput) -> Training:
    """The facts of a training (its organiser stays). Days already recorded as attended stay
    valid: the new dates must cover them."""
    _validate_training(data)
    assert data.starts_on is not None
    assert data.ends_on is not None
    outside = [
        day
        for days in training.participants.values_list("days_attended", flat=True)
        for day in days
        if not data.starts_on.isoformat() <= day <= data.ends_on.isoformat()
    ]
    if outside:
        raise ValidationError(
            {
                "ends_on": [
                    _("Participants attended on %(day)s: keep that day.") % {"day": outside[0]}
                ]
            }
        )
    fields = {
        "title": data.title.strip(),
        "format": data.format,
        "topics": list(dict.fromkeys(data.topics)),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "venue_city": data.venue_city.strip(),
        "venue_oblast": data.venue_oblast,
        "trainers": data.trainers.strip(),
        "funder": data.funder.strip(),
        "project_code": data.project_code.strip(),
        "target_groups": list(dict.fromkeys(data.target_groups)),
        "planned_participants": data.planned_participants,
    }
    changed = sorted(name for name, value in fields.items() if getattr(training, name) != value)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(training, name, value)
        training.save()
        _audit(actor, "training.updated", "training", training.id, fields=changed)
    return training


# --- Participants -----------------------------------------------------------------------------


@dataclass
class ParticipantInput:
    family_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    gender: str = "NonSpecifiedUnknown"
    profession: str = ""
    agency: Agency | None = None
    agency_name: str = ""
    oblast: str = ""
    days_attended: list[dt.date] | None = None  # None: every day of the training
    pre_score: int | None = None
    post_score: int | None = None
    feedback_rating: int | None = None
    feedback: str = ""


def _score(errors: Errors, name: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= 100:
        _add(errors, name, _("Enter a score from 0 to 100."))


def participant_errors(training: Training, data: ParticipantInput) -> Errors:
    errors: Errors = {}
    _required(errors, "family_name", data.family_name.strip())
    _required(errors, "first_name", data.first_name.strip())
    if data.gender not in GENDERS:
        _add(errors, "gender", _("“%(value)s” is not a valid choice.") % {"value": data.gender})
    _code(errors, "profession", codes.PROFESSION, data.profession)
    _code(errors, "oblast", codes.OBLAST, data.oblast)
    if data.agency is None and not data.agency_name.strip():
        _add(errors, "agency_name", _("This field is required."))
    for day in data.days_attended or []:
        if not training.starts_on <= day <= training.ends_on:
            _add(errors, "days_attended", _("%(day)s is not a day of the training.") % {"day": day})
    _score(errors, "pre_score", data.pre_score)
    _score(errors, "post_score", data.post_score)
    if data.feedback_rating is not None and not 1 <= data.feedback_rating <= 5:
        _add(errors, "feedback_rating", _("Enter a rating from 1 to 5."))
    return errors


def training_days(training: Training) -> list[dt.date]:
    days = (training.ends_on - training.starts_on).days + 1
    return [training.starts_on + dt.timedelta(days=n) for n in range(days)]


def _trainee(name: TraineeName, gender: str) -> tuple[Trainee, bool]:
    """The register's person with this name key, or a new one (True when created)."""
    key = name_key(name)
    found = Trainee.objects.filter(name_key=key).order_by("created_at").first()
    if found is not None:
        if found.gender == "NonSpecifiedUnknown" and gender != found.gender:
            found.gender = gender
            found.save(update_fields=["gender"])
        return found, False
    trainee = Trainee(name_key=key, gender=gender)
    seal_name(trainee, name)
    trainee.save()
    return trainee, True


def _write_participant(training: Training, data: ParticipantInput) -> tuple[Participation, bool]:
    name = TraineeName(data.family_name.strip(), data.first_name.strip(), data.middle_name.strip())
    trainee, new = _trainee(name, data.gender)
    days = training_days(training) if data.days_attended is None else sorted(data.days_attended)
    participation = Participation.objects.create(
        training=training,
        trainee=trainee,
        profession=data.profession,
        agency=data.agency,
        agency_name="" if data.agency else data.agency_name.strip(),
        oblast=data.oblast,
        days_attended=[d.isoformat() for d in days],
        pre_score=data.pre_score,
        post_score=data.post_score,
        feedback_rating=data.feedback_rating,
        feedback=data.feedback.strip(),
    )
    return participation, new


def _already(training: Training, data: ParticipantInput) -> bool:
    key = name_key(TraineeName(data.family_name.strip(), data.first_name.strip()))
    return training.participants.filter(trainee__name_key=key).exists()


def add_participant(*, actor: Actor, training: Training, data: ParticipantInput) -> Participation:
    """A participant, matched with the register (one person trained several times is one)."""
    errors = participant_errors(training, data)
    if not errors and _already(training, data):
        _add(errors, "family_name", _("This person is already a participant of this training."))
    _raise(errors)
    with transaction.atomic():
        participation, new = _write_participant(training, data)
        _audit(
            actor,
            "training.participant_added",
            "training",
            training.id,
            participation=str(participation.id),
            trainee=str(participation.trainee_id),
            new_trainee=new,
            profession=data.profession,
        )
    return participation


def import_participants(
    *, actor: Actor, training: Training, rows: list[ParticipantInput], row_errors: list[Errors]
) -> list[Participation]:
    """All rows or none: any error (read from the file, or found here) names its row and field
    (`"row 3: profession"`) and nothing is written."""
    errors: Errors = {}
    seen: dict[str, int] = {}
    if not rows and not any(row_errors):
        _add(errors, "file", _("The file holds no participants."))
    limit = settings.OPENNRM_TRAINING_IMPORT_MAX_ROWS
    if len(rows) > limit:
        _add(errors, "file", _("At most %(limit)s rows at a time.") % {"limit": limit})
    for number, (data, read_errors) in enumerate(zip(rows, row_errors, strict=True), start=2):
        problems = dict(read_errors)
        for name, messages in participant_errors(training, data).items():
            if name not in problems:
                problems[name] = messages
        if not problems:
            key = name_key(TraineeName(data.family_name.strip(), data.first_name.strip()))
            if key in seen:
                _add(
                    problems,
                    "family_name",
                    _("The same person as row %(row)s.") % {"row": seen[key]},
                )
            elif training.participants.filter(trainee__name_key=key).exists():
                _add(problems, "family_name", _("Already a participant of this training."))
            seen[key] = number
        for name, messages in problems.items():
            for message in messages:
                _add(errors, f"row {number}: {name}", message)
    _raise(errors)
    created: list[Participation] = []
    new_trainees = 0
    with transaction.atomic():
        for data in rows:
            participation, new = _write_participant(training, data)
            created.append(participation)
            new_trainees += int(new)
        _audit(
            actor,
            "training.participants_imported",
            "training",
            training.id,
            rows=len(created),
            new_trainees=new_trainees,
        )
    return created


def record_results(
    *,
    actor: Actor,
    participation: Participation,
    pre_score: int | None,
    post_score: int | None,
    days_attended: list[dt.date] | None = None,
    feedback_rating: int | None = None,
) -> Participation:
    """Test scores, attendance by day and feedback of one participant."""
    training = participation.training
    errors: Errors = {}
    _score(errors, "pre_score", pre_score)
    _score(errors, "post_score", post_score)
    for day in days_attended or []:
        if not training.starts_on <= day <= training.ends_on:
            _add(errors, "days_attended", _("%(day)s is not a day of the training.") % {"day": day})
    if feedback_rating is not None and not 1 <= feedback_rating <= 5:
        _add(errors, "feedback_rating", _("Enter a rating from 1 to 5."))
    _raise(errors)
    with transaction.atomic():
        participation.pre_score = pre_score
        participation.post_score = post_score
        if days_attended is not None:
            participation.days_attended = [d.isoformat() for d in sorted(days_attended)]
        if feedback_rating is not None:
            participation.feedback_rating = feedback_rating
        participation.save()
        _audit(
            actor,
            "training.results_recorded",
            "training",
            training.id,
            participation=str(participation.id),
            days=len(participation.days_attended),
            post_score=post_score is not None,
        )
    return participation


# --- Certificates -----------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed (lower case, spaces, dashes) in its stored form."""
    return "".join(ch for ch in text.upper() if ch in CODE_ALPHABET)


def eligible(participation: Participation) -> bool:
    """A certificate is for a participant who attended every day of the training."""
    days = {d.isoformat() for d in training_days(participation.training)}
    return days <= set(participation.days_attended)


def issue_certificates(
    *, actor: Actor, training: Training, issued_on: dt.date | None = None
) -> list[Certificate]:
    """A certificate for every participant who attended every day and has none yet."""
    issued_on = issued_on or timezone.localdate()
    if issued_on < training.ends_on:
        raise ValidationError({"issued_on": [_("Certificates are issued after the training.")]})
    years = settings.OPENNRM_CERTIFICATE_VALID_YEARS
    valid_until = add_years(issued_on, years) if years else None
    certificates: list[Certificate] = []
    with transaction.atomic():
        for participation in training.participants.select_related("training").filter(
            certificate__isnull=True
        ):
            if not eligible(participation):
                continue
            code = new_code()
            while Certificate.objects.filter(code=code).exists():  # pragma: no cover
                code = new_code()
            certificates.append(
                Certificate.objects.create(
                    participation=participation,
                    code=code,
                    issued_on=issued_on,
                    valid_until=valid_until,
                    issued_by=actor.user,
                )
            )
        _audit(
            actor, "training.certificates_issued", "training", training.id, count=len(certificates)
        )
    return certificates


def revoke_certificate(
    *, actor: Actor, certificate: Certificate, reason: str, on: dt.date | None = None
) -> Certificate:
    errors: Errors = {}
    _code(errors, "reason", codes.CERTIFICATE_REVOCATION, reason)
    if certificate.revoked_on is not None:
        _add(errors, "reason", _("The certificate is already revoked."))
    _raise(errors)
    with transaction.atomic():
        certificate.revoked_on = on or timezone.localdate()
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_on", "revocation_reason"])
        _audit(
            actor,
            "training.certificate_revoked",
            "training",
            certificate.participation.training_id,
            certificate=str(certificate.id),
            reason=reason,
        )
    return certificate


def certificate_validity(certificate: Certificate, today: dt.date | None = None) -> str:
    """ "valid", "revoked" or "expired"."""
    today = today or timezone.localdate()
    if certificate.revoked_on is not None:
        return "revoked"
    if certificate.valid_until is not None and certificate.valid_until < today:
        return "expired"
    return "valid"


# --- Equipment --------------------------------------------------------------------------------


@dataclass
class EquipmentInput:
    item: str = ""
    recipient: Agency | None = None
    quantity: int = 0
    value: Decimal | None = None
    currency: str = "UAH"
    given_on: dt.date | None = None
    funder: str = ""
    project_code: str = ""


def record_equipment(
    *, actor: Actor, data: EquipmentInput, handover: TrainingFile | None = None
) -> Equipment:
    """Equipment or technical assistance the actor's agency gave to another agency."""
    assert actor.agency is not None
    errors: Errors = {}
    _required(errors, "item", data.item.strip())
    _required(errors, "recipient", data.recipient)
    if data.quantity < 1:
        _add(errors, "quantity", _("Enter a number of one or more."))
    if data.value is None or data.value < 0:
        _add(errors, "value", _("Enter a value of zero or more."))
    _code(errors, "currency", codes.CURRENCY, data.currency)
    if _required(errors, "given_on", data.given_on):
        assert data.given_on is not None
        if data.given_on > timezone.localdate():
            _add(errors, "given_on", _("The date cannot be in the future."))
    _raise(errors)
    assert data.recipient is not None
    assert data.value is not None
    assert data.given_on is not None
    with transaction.atomic():
        equipment = Equipment.objects.create(
            item=data.item.strip(),
            recipient=data.recipient,
            given_by=actor.agency,
            quantity=data.quantity,
            value=data.value,
            currency=data.currency,
            given_on=data.given_on,
            funder=data.funder.strip(),
            project_code=data.project_code.strip(),
            handover_document=handover,
            recorded_by=actor.user,
        )
        _audit(
            actor,
            "training.equipment_recorded",
            "equipment",
            equipment.id,
            recipient=str(data.recipient.id),
            quantity=data.quantity,
            currency=data.currency,
        )
    return equipment


@dataclass(frozen=True)
class Upload:
    """A file as uploaded: its name, its bytes, its declared type."""

    name: str
    content: bytes
    content_type: str


def record_equipment_with_document(
    *, actor: Actor, data: EquipmentInput, document: Upload | None
) -> Equipment:
    """Equipment with its handover document (a PDF), both or neither."""
    with transaction.atomic():
        handover = (
            attach_file(
                actor=actor,
                training=None,
                kind="Handover",
                name=document.name,
                content=document.content,
                content_type=document.content_type,
            )
            if document is not None
            else None
        )
        return record_equipment(actor=actor, data=data, handover=handover)
