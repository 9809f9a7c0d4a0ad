""" "Can" and "which" for group identification operations, stops at the border and incidents.

An operation, a stop or an incident is seen by its recording agency only, by users whose roles
grant `operation.record` (border guards, investigators: operations and stops) or
`incident.record` (incidents: also caseworkers, who record what their clients lived through).
The cases an operation opened are ordinary cases of that agency (`access.policy`); its
perpetrators show only to those who see perpetrators (`access.perpetrators`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import INCIDENT_RECORD, OPERATION_RECORD
from opennrm.borders.models import Incident, Operation, Stop
from opennrm.tenancy.actor import Actor


def can_record_operations(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, OPERATION_RECORD)


def can_record_incidents(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, INCIDENT_RECORD)


def require_operations(actor: Actor) -> None:
    if not can_record_operations(actor):
        raise PermissionDenied(OPERATION_RECORD)


def require_incidents(actor: Actor) -> None:
    if not can_record_incidents(actor):
        raise PermissionDenied(INCIDENT_RECORD)


def visible_operations(actor: Actor) -> QuerySet[Operation]:
    if not can_record_operations(actor):
        return Operation.objects.none()
    return Operation.objects.filter(agency=actor.agency)


def get_operation_for(actor: Actor, operation_id: object) -> Operation:
    operation = visible_operations(actor).filter(id=_as_uuid(operation_id)).first()
    if operation is None:
        raise Http404
    return operation


def visible_stops(actor: Actor) -> QuerySet[Stop]:
    if not can_record_operations(actor):
        return Stop.objects.none()
    return Stop.objects.filter(agency=actor.agency)


def visible_incidents(actor: Actor) -> QuerySet[Incident]:
    if not can_record_incidents(actor):
        return Incident.objects.none()
    return Incident.objects.filter(agency=actor.agency)


def get_incident_for(actor: Actor, incident_id: object) -> Incident:
    incident = visible_incidents(actor).filter(id=_as_uuid(incident_id)).first()
    if incident is None:
        raise Http404
    return incident
