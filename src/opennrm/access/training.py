""" "Can" and "which" for capacity building.

- `training.view` (trainer, agency admin): the trainings the agency organised, with their
  participants' names, certificates and files, and the equipment the agency gave;
- `training.manage` (trainer): create trainings, add and import participants, record results,
  issue and revoke certificates, record equipment, for the agency's own trainings;
- `training.report` (trainer, programme officer, coordinator, statistician): counts over the
  agency's trainings, or every agency's with `stats.national`; never a name.

Participants' personal data are staff data: only the organising agency's trainers and admin see
names; everyone else gets counts. A training of another agency is 404, like a missing one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import (
    STATS_NATIONAL,
    STATS_VIEW,
    TRAINING_MANAGE,
    TRAINING_REPORT,
    TRAINING_VIEW,
)
from opennrm.cases.models import Case
from opennrm.tenancy.actor import Actor
from opennrm.training.models import Certificate, Equipment, Participation, Training, TrainingFile
from opennrm.training.queries import Scope, empty_scope


def can_view(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, TRAINING_VIEW)


def can_manage(actor: Actor) -> bool:
    return can_view(actor) and policy.can(actor, TRAINING_MANAGE)


def can_report(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, TRAINING_REPORT)


def require_view(actor: Actor) -> None:
    if not can_view(actor):
        raise Http404


def require_manage(actor: Actor) -> None:
    require_view(actor)
    if not can_manage(actor):
        raise PermissionDenied(TRAINING_MANAGE)


def require_report(actor: Actor) -> None:
    if not can_report(actor):
        raise Http404


def visible_trainings(actor: Actor) -> QuerySet[Training]:
    if not can_view(actor):
        return Training.objects.none()
    return Training.objects.filter(organiser=actor.agency)


def get_training_for(
    actor: Actor, training_id: object, permission: str = TRAINING_VIEW
) -> Training:
    """A training of the actor's agency (else 404) they may act on with `permission` (403)."""
    training = visible_trainings(actor).filter(id=_as_uuid(training_id)).first()
    if training is None:
        raise Http404
    if not policy.can(actor, permission):
        raise PermissionDenied(permission)
    return training


def get_participation_for(
    actor: Actor, training: Training, participation_id: object
) -> Participation:
    participation = (
        Participation.objects.filter(training=training, id=_as_uuid(participation_id))
        .select_related("training", "trainee")
        .first()
    )
    if participation is None:
        raise Http404
    return participation


def get_certificate_for(
    actor: Actor, certificate_id: object, permission: str = TRAINING_VIEW
) -> Certificate:
    certificate = (
        Certificate.objects.filter(
            participation__training__in=visible_trainings(actor), id=_as_uuid(certificate_id)
        )
        .select_related("participation__training", "participation__trainee")
        .first()
    )
    if certificate is None:
        raise Http404
    if not policy.can(actor, permission):
        raise PermissionDenied(permission)
    return certificate


def visible_equipment(actor: Actor) -> QuerySet[Equipment]:
    if not can_view(actor):
        return Equipment.objects.none()
    return Equipment.objects.filter(given_by=actor.agency)


def get_file_for(actor: Actor, file_id: object) -> TrainingFile:
    """An agenda, materials or handover document of the agency's trainings or equipment."""
    require_view(actor)
    found = TrainingFile.objects.filter(id=_as_uuid(file_id)).first()
    if found is None:
        raise Http404
    if found.training_id is not None:
        visible = visible_trainings(actor).filter(id=found.training_id).exists()
    else:
        visible = visible_equipment(actor).filter(handover_document=found).exists() or (
            found.uploaded_by_id == actor.user.id
        )
    if not visible:
        raise Http404
    return found


def trainings_in_scope(actor: Actor) -> QuerySet[Training]:
    """The trainings an actor's training figures count (counts only)."""
    require_report(actor)
    if policy.can(actor, STATS_NATIONAL):
        return Training.objects.all()
    return Training.objects.filter(organiser=actor.agency)


def equipment_in_scope(actor: Actor) -> QuerySet[Equipment]:
    require_report(actor)
    if policy.can(actor, STATS_NATIONAL):
        return Equipment.objects.all()
    return Equipment.objects.filter(given_by=actor.agency)


def report_scope(actor: Actor) -> Scope:
    """What a donor report counts (`training.report`): every agency's trainings and equipment
    with `stats.national`, else the agency's own."""
    return Scope(trainings_in_scope(actor), equipment_in_scope(actor))


def statistics_scope(actor: Actor) -> Scope:
    """The trainings the statistics dashboard's training family counts (counts only): every
    agency's for national statistics, the agency's own for a reader of its statistics or
    training reports, none otherwise."""
    if actor.agency is None:
        return empty_scope()
    if policy.can(actor, STATS_NATIONAL):
        return Scope(Training.objects.all(), Equipment.objects.all())
    if can_report(actor) or policy.can(actor, STATS_VIEW):
        return Scope(
            Training.objects.filter(organiser=actor.agency),
            Equipment.objects.filter(given_by=actor.agency),
        )
    return empty_scope()


def followed_cases(actor: Actor) -> QuerySet[Case]:
    """The cases whose identifications and referrals a donor report's "what followed" counts
    (counts only, protected): every case with `stats.national`, else the cases the actor's
    agency may see."""
    require_report(actor)
    if policy.can(actor, STATS_NATIONAL):
        return Case.objects.all()
    return policy.visible_cases(actor)
