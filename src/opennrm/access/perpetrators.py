""" "Can" and "which" for perpetrators, their identifiers, shared-identifier alerts and mutual
legal assistance requests (docs/perpetrators.md).

A perpetrator is seen only by users whose roles grant `perpetrator.view` (investigators,
prosecutors, judges; never caseworkers, whatever a share says), and then only when their unit
recorded the perpetrator or sees a proceeding the perpetrator is linked to (the prosecutor's
office and the court of that proceeding). Only the recording unit changes the record
(`perpetrator.record`). An identifier is seen with the record that carries it: a perpetrator, a
proceeding, or a case (the victim named it) that the user may link to a proceeding.

An alert goes to the investigator responsible for the older record; it names the new record only
when the recipient may see it, and otherwise says "known in another unit's record, contact the
coordinator".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opennrm.access import justice as justice_gate
from opennrm.access import policy
from opennrm.access.policy import _as_uuid
from opennrm.access.roles import MLA_MANAGE, PERPETRATOR_RECORD, PERPETRATOR_VIEW
from opennrm.cases.models import Case
from opennrm.core.entries import ActionItem
from opennrm.justice.perpetrator_services import mla_action_items
from opennrm.justice.perpetrators import Alert, Identifier, MlaRequest, Perpetrator
from opennrm.tenancy.actor import Actor


def can_view(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, PERPETRATOR_VIEW)


def can_record(actor: Actor) -> bool:
    return can_view(actor) and policy.can(actor, PERPETRATOR_RECORD)


def require_view(actor: Actor) -> None:
    if not can_view(actor):
        raise PermissionDenied(PERPETRATOR_VIEW)


def require_record(actor: Actor) -> None:
    if not can_record(actor):
        raise PermissionDenied(PERPETRATOR_RECORD)


def visible_perpetrators(actor: Actor) -> QuerySet[Perpetrator]:
    if not can_view(actor):
        return Perpetrator.objects.none()
    proceedings = justice_gate.visible_proceedings(actor).values("id")
    ids = Perpetrator.objects.filter(
        Q(agency=actor.agency) | Q(proceedings__in=proceedings)
    ).values("id")
    return Perpetrator.objects.filter(id__in=ids)


def get_perpetrator_for(
    actor: Actor, perpetrator_id: object, permission: str = PERPETRATOR_VIEW
) -> Perpetrator:
    """A perpetrator the actor sees (else 404); to change it (`perpetrator.record`) the actor's
    unit must have recorded it (else 403)."""
    perpetrator = visible_perpetrators(actor).filter(id=_as_uuid(perpetrator_id)).first()
    if perpetrator is None:
        raise Http404
    if permission != PERPETRATOR_VIEW and not (
        policy.can(actor, permission) and perpetrator.agency_id == actor.agency_id
    ):
        raise PermissionDenied(permission)
    return perpetrator


def cases_with_identifiers(actor: Actor) -> QuerySet[Case]:
    """Cases whose identifiers (what the victim named) the actor sees: with `perpetrator.view`,
    those the actor's agency owns or received for criminal proceedings."""
    if not can_view(actor):
        return Case.objects.none()
    shared = policy.active_shares(actor).filter(purpose=justice_gate.PURPOSE).values("case_id")
    return policy.visible_cases(actor).filter(Q(owner_agency=actor.agency) | Q(id__in=shared))


def visible_identifiers(actor: Actor) -> QuerySet[Identifier]:
    if not can_view(actor):
        return Identifier.objects.none()
    return Identifier.objects.filter(
        Q(perpetrator__in=visible_perpetrators(actor).values("id"))
        | Q(proceeding__in=justice_gate.visible_proceedings(actor).values("id"))
        | Q(case__in=cases_with_identifiers(actor).values("id"))
    )


def sees_record(actor: Actor, identifier: Identifier) -> bool:
    """Whether the actor may see the record an identifier belongs to."""
    return visible_identifiers(actor).filter(id=identifier.id).exists()


def get_case_to_name(actor: Actor, case_id: object) -> Case:
    """A case whose victim named a perpetrator or an identifier: one the actor may link to a
    proceeding (404 when hidden, 403 otherwise), with `perpetrator.record`."""
    require_record(actor)
    return justice_gate.get_case_to_link(actor, case_id)


def visible_alerts(actor: Actor) -> QuerySet[Alert]:
    """The actor's own alerts (to the user, while they may see perpetrators)."""
    if not can_view(actor):
        return Alert.objects.none()
    return Alert.objects.filter(recipient=actor.user)


def alerts_to_mark(actor: Actor, alert_ids: Iterable[object] | None = None) -> QuerySet[Alert]:
    """The actor's own unseen alerts to mark as seen: those named (ids that are not the actor's
    alerts are ignored), or all of them."""
    unseen = visible_alerts(actor).filter(seen_at=None)
    if alert_ids is None:
        return unseen
    return unseen.filter(id__in=[_as_uuid(i) for i in alert_ids])  # a malformed id: 404


# --- mutual legal assistance ---------------------------------------------------------------


def can_manage_mla(actor: Actor) -> bool:
    return actor.agency is not None and policy.can(actor, MLA_MANAGE)


def require_mla(actor: Actor) -> None:
    if not can_manage_mla(actor):
        raise PermissionDenied(MLA_MANAGE)


def visible_mla_requests(actor: Actor) -> QuerySet[MlaRequest]:
    """The requests the actor's unit recorded, and those of proceedings it sees."""
    if not can_manage_mla(actor):
        return MlaRequest.objects.none()
    proceedings = justice_gate.visible_proceedings(actor).values("id")
    return MlaRequest.objects.filter(Q(agency=actor.agency) | Q(proceeding__in=proceedings))


def get_mla_request_for(actor: Actor, mla_id: object, *, change: bool = False) -> MlaRequest:
    request = visible_mla_requests(actor).filter(id=_as_uuid(mla_id)).first()
    if request is None:
        raise Http404
    if change and request.agency_id != actor.agency_id:
        raise PermissionDenied(MLA_MANAGE)
    return request


def action_items(actor: Actor) -> list[ActionItem]:
    """The MLA part of "action needed": requests past their deadline that the actor's unit
    recorded (only it may record the answer on the request's page)."""
    if not can_manage_mla(actor):
        return []
    overdue = visible_mla_requests(actor).filter(
        agency=actor.agency, answered_on=None, due_on__lt=timezone.localdate()
    )
    return mla_action_items(overdue)


@dataclass(frozen=True)
class AlertView:
    """What an alert may say to its recipient: each record by type and id where the recipient
    sees it, else None (the other unit's record is not named)."""

    alert: Alert
    known: tuple[str, uuid.UUID] | None
    new: tuple[str, uuid.UUID] | None

    @property
    def other_unit(self) -> bool:
        return self.new is None


def describe_alerts(actor: Actor, alerts: Iterable[Alert]) -> list[AlertView]:
    alerts = list(alerts)
    wanted = {a.known_id for a in alerts} | {a.new_id for a in alerts}
    seen = set(visible_identifiers(actor).filter(id__in=wanted).values_list("id", flat=True))
    views = []
    for alert in alerts:
        known, new = alert.known, alert.new
        views.append(
            AlertView(
                alert,
                (known.record_type, known.record_id) if known.id in seen else None,
                (new.record_type, new.record_id) if new.id in seen else None,
            )
        )
    return views


# --- HTCDS exchange ----------------------------------------------------------------------------

HTCDS_SECTION = "per_Perpetrators"


def htcds_writable(actor: Actor) -> frozenset[str]:
    """The gated HTCDS sections an import by the actor writes: the perpetrators a victim named
    (`per_Perpetrators`) only for a user who records perpetrators; anyone else's import names
    them in `not_kept` and stores nothing of them."""
    return frozenset({HTCDS_SECTION}) if can_record(actor) else frozenset()
