"""Shared set-up for the status tests: the three levels' agencies and officials, and a driver
that takes an application to any state of the workflow table through the services.

(Also used by tests/test_access.py's `objects` fixture: `status_objects`.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import PersonInput
from opennrm.core.ages import PartialDate
from opennrm.nrm.status import payment_services, reflection_services, services
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.actions import ACTIONS
from opennrm.nrm.status.models import StatusApplication
from opennrm.people.identity import Identity
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency

APPLIED = dt.date(2016, 3, 15)


@dataclass
class World:
    hromada: Agency
    oblast: Agency
    nss: Agency
    official: User  # caseworker of the hromada executive body (receiving office)
    oblast_official: User
    decider: User  # decision_maker at the National Social Service
    nss_clerk: User  # caseworker at the National Social Service: processes, never decides
    case: Case

    def actor(self, user: User) -> Actor:
        return actor_for(user)

    def acting_user(self, state: str) -> User:
        """The user whose agency holds the file in a state (who acts next)."""
        level = wf.STATE_LEVEL[state]
        return {
            wf.RECEIVING: self.official,
            wf.OBLAST: self.oblast_official,
            wf.NATIONAL: self.decider,
        }.get(level or "", self.decider)


def build_world(make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    hromada = Agency.objects.create(
        name="Hromada executive body Pisochyn (synthetic)",
        kind="HromadaExecutiveBody",
        oblast="UA-63",
    )
    oblast = Agency.objects.create(
        name="Oblast state administration (synthetic)",
        kind="OblastStateAdministration",
        oblast="UA-63",
    )
    nss = Agency.objects.create(
        name="National Social Service (synthetic)", kind="NationalSocialService"
    )
    official = make_user("hanna.hromada", hromada, "caseworker")
    world = World(
        hromada=hromada,
        oblast=oblast,
        nss=nss,
        official=official,
        oblast_official=make_user("oleh.oblast", oblast, "oblast_official"),
        decider=make_user("dmytro.decider", nss, "decision_maker"),
        nss_clerk=make_user("nina.clerk", nss, "caseworker"),
        case=make_case(actor_for(official), identified_on=dt.date(2016, 3, 14)),
    )
    return world


@pytest.fixture
def world(db: Any, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


def action_kwargs(world: World, action: str, on: dt.date) -> dict[str, Any]:
    """Valid input for each transition, dated `on`."""
    return {
        wf.RECORD_INTERVIEW: {
            "interviewed_on": on,
            "consent_recorded": True,
            "nondisclosure_signed": True,
        },
        wf.WAIVE_INTERVIEW: {"waived_on": on, "reason": "IdentifiedByLawEnforcement"},
        wf.FORWARD_TO_OBLAST: {"to_agency": world.oblast, "forwarded_on": on},
        wf.FORWARD_TO_NATIONAL: {"to_agency": world.nss, "forwarded_on": on},
        wf.GRANT: {
            "decided_on": on,
            "certificate_number": f"C-{on:%Y%m%d}",
            "certificate_issued_on": on,
            "certificate_valid_until": on.replace(year=on.year + 2) - dt.timedelta(days=1),
        },
        wf.REFUSE: {"decided_on": on, "reason": "InsufficientEvidence"},
        wf.RETURN_INCOMPLETE: {"decided_on": on, "reason": "MissingDocuments"},
        wf.EXTEND: {"extended_on": on, "valid_until": on.replace(year=on.year + 2)},
        wf.REVOKE: {"revoked_on": on, "reason": "FalseInformation"},
        wf.LODGE_APPEAL: {"appealed_on": on},
        wf.COURT_ANNULS_REFUSAL: {"court_decided_on": on},
        wf.COURT_UPHOLDS_REFUSAL: {"court_decided_on": on},
        wf.WITHDRAW: {"withdrawn_on": on},
    }[action]


# A path of actions from "registered" to every state of the table.
PATHS: dict[str, list[str]] = {
    wf.REGISTERED: [],
    wf.INTERVIEWED: [wf.RECORD_INTERVIEW],
    wf.AT_OBLAST: [wf.RECORD_INTERVIEW, wf.FORWARD_TO_OBLAST],
    wf.AT_NATIONAL: [wf.RECORD_INTERVIEW, wf.FORWARD_TO_OBLAST, wf.FORWARD_TO_NATIONAL],
}
PATHS[wf.RETURNED] = [*PATHS[wf.AT_NATIONAL], wf.RETURN_INCOMPLETE]
PATHS[wf.GRANTED] = [*PATHS[wf.AT_NATIONAL], wf.GRANT]
PATHS[wf.REFUSED] = [*PATHS[wf.AT_NATIONAL], wf.REFUSE]
PATHS[wf.APPEALED] = [*PATHS[wf.REFUSED], wf.LODGE_APPEAL]
PATHS[wf.APPEAL_DISMISSED] = [*PATHS[wf.APPEALED], wf.COURT_UPHOLDS_REFUSAL]
PATHS[wf.REVOKED] = [*PATHS[wf.GRANTED], wf.REVOKE]
PATHS[wf.WITHDRAWN] = [wf.WITHDRAW]
PATHS[wf.EXPIRED] = [*PATHS[wf.GRANTED], wf.EXPIRE]


def register(
    world: World, *, journal_number: str = "17/2016", on: dt.date = APPLIED
) -> StatusApplication:
    return services.register_application(
        actor=world.actor(world.official),
        case=world.case,
        journal_number=journal_number,
        applied_on=on,
        documents=["Application", "IdentityDocumentCopy"],
    )


def perform(world: World, app: StatusApplication, action: str, on: dt.date) -> StatusApplication:
    if action == wf.EXPIRE:  # the system's: the day after the certificate's last valid day
        assert app.certificate_valid_until is not None
        services.expire_certificate(app, app.certificate_valid_until + dt.timedelta(days=1))
        return StatusApplication.objects.get(pk=app.pk)
    user = world.acting_user(app.state)
    return ACTIONS[action].service(
        actor=world.actor(user), application=app, **action_kwargs(world, action, on)
    )


def application_in(
    world: World, state: str, *, start: dt.date = APPLIED, journal_number: str = "17/2016"
) -> StatusApplication:
    """An application taken to `state` through the services, one day per step."""
    app = register(world, on=start, journal_number=journal_number)
    for index, action in enumerate(PATHS[state], start=1):
        app = perform(world, app, action, start + dt.timedelta(days=index))
    assert app.state == state
    return app


def status_objects(
    make_user: Callable[..., User], make_case: Callable[..., Case]
) -> dict[str, str]:
    """Ids for the URL parameters of the status pages (for the generated URL-guard test)."""
    world = build_world(make_user, make_case)
    app = application_in(world, wf.GRANTED)
    payment = payment_services.claim_payment(
        actor=world.actor(world.official),
        application=app,
        claimed_on=APPLIED + dt.timedelta(days=6),
        category="AbleBodied",
    )
    foreigner = PersonInput(
        identity=Identity(
            first_name="Іван", family_name="Тестовий", birth_date=PartialDate.parse("1990")
        ),
        gender="Masculine",
        citizenships=["MD"],
    )
    foreign_case = make_case(world.actor(world.official), person=foreigner)
    period = reflection_services.start_reflection_period(
        actor=world.actor(world.official), case=foreign_case, starts_on=dt.date(2016, 4, 1), days=30
    )
    return {
        "application_id": str(app.id),
        "payment_id": str(payment.id),
        "reflection_id": str(period.id),
        "form": "certificate",  # the printed forms (status-applications/<id>/print/<form>/)
    }
