"""Who is notified of what, and whose notifications a user may see (docs/notifications.md).

Recipients are the users of the agency that must act who may act there: the same roles the
pages behind the link require (an active membership in exactly one agency, as `actor_for`).
A user sees, opens and marks read only their own notifications; anyone else's is 404. The
notifications themselves live in `opennrm.notices` (above this package), so the functions
here take its queryset rather than import it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Final, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from opennrm.access import policy
from opennrm.access import status as status_gate
from opennrm.access.roles import (
    MLA_MANAGE,
    PERPETRATOR_VIEW,
    REFERRAL_CREATE,
    REFERRAL_RESPOND,
    STATUS_PROCESS,
)
from opennrm.accounts.models import User
from opennrm.nrm.status import workflow as status_workflow
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Membership

M = TypeVar("M", bound=Model)

# The permission a user needs to receive each kind of notification: the recipient functions
# below ask the same ones. The kind codes are `opennrm.notices.kinds`' (a package above this
# one); tests/test_notices.py holds the two lists equal, so a new kind cannot be forgotten here.
RECEIVES: Final[dict[str, str]] = {
    "referral.received": REFERRAL_RESPOND,
    "referral.answered": REFERRAL_CREATE,
    "status.deadline_near": STATUS_PROCESS,
    "status.deadline_missed": STATUS_PROCESS,
    "status.file_returned": STATUS_PROCESS,
    "perpetrator.alert": PERPETRATOR_VIEW,
    "mla.deadline_missed": MLA_MANAGE,
}


def may_open(actor: Actor) -> bool:
    """Every logged-in user has notifications (their own)."""
    return actor.user.is_authenticated


def may_receive(actor: Actor, kind: str) -> bool:
    """Whether the actor's permissions can ever bring them a notification of `kind` (an
    unknown kind: never). What the preferences page offers and accepts."""
    permission = RECEIVES.get(kind)
    return permission is not None and may_open(actor) and policy.can(actor, permission)


def receivable(actor: Actor, kinds: Iterable[str]) -> list[str]:
    """The kinds among `kinds` (in their order) the actor may receive."""
    return [kind for kind in kinds if may_receive(actor, kind)]


def own(actor: Actor, notifications: QuerySet[M]) -> QuerySet[M]:
    """The actor's own notifications among `notifications` (never another user's)."""
    if not may_open(actor):
        return notifications.none()
    return notifications.filter(user_id=actor.user.id)


def get_own(actor: Actor, notifications: QuerySet[M], notification_id: object) -> M:
    """One of the actor's own notifications, else 404 (the same as a missing one)."""
    try:
        wanted = uuid.UUID(str(notification_id))
    except ValueError as exc:
        raise Http404 from exc
    found = own(actor, notifications).filter(pk=wanted).first()
    if found is None:
        raise Http404
    return found


def _acting_users(agency_id: uuid.UUID | None, permission: str) -> list[User]:
    """Active users whose actor acts for `agency_id` with `permission`."""
    if agency_id is None:
        return []
    users = User.objects.filter(
        is_active=True,
        id__in=Membership.objects.filter(
            agency_id=agency_id, is_active=True, agency__is_active=True
        ).values("user_id"),
    ).order_by("username")
    out = []
    for user in users:
        actor = actor_for(user)
        if actor.agency_id == agency_id and policy.can(actor, permission):
            out.append(user)
    return out


def referral_recipients(to_agency_id: uuid.UUID) -> list[User]:
    """Who answers a referral received: the receiving agency's users with `referral.respond`."""
    return _acting_users(to_agency_id, REFERRAL_RESPOND)


def referral_answer_recipients(from_agency_id: uuid.UUID) -> list[User]:
    """Who hears the answer: the sending agency's users who refer (`referral.create`)."""
    return _acting_users(from_agency_id, REFERRAL_CREATE)


def status_file_recipients(application: StatusApplication) -> list[User]:
    """Who acts on a status file now: the users of the agency holding it for whom the
    procedure's table allows a next step (the deciders decide, a clerk who only processes is
    not told of a decision due; withdrawing is not the step a deadline asks for)."""
    return [
        u
        for u in _acting_users(application.handling_agency_id, STATUS_PROCESS)
        if any(
            t.action != status_workflow.WITHDRAW
            for t in status_gate.allowed_transitions(actor_for(u), application)
        )
    ]


def alert_recipients(recipient: User) -> list[User]:
    """A perpetrator alert goes to its recipient while they may still see perpetrators."""
    actor = actor_for(recipient)
    return [recipient] if policy.can(actor, PERPETRATOR_VIEW) else []


def mla_recipients(agency_id: uuid.UUID) -> list[User]:
    """An MLA request past its deadline: the recording unit's users who manage requests."""
    return _acting_users(agency_id, MLA_MANAGE)
