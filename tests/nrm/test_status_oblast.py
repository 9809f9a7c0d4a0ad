"""The oblast level of the status procedure (issue 9, point 3): the file of a hromada goes to the
administration of its own oblast, agency kinds tell a raion administration from an oblast one,
and the oblast official who forwards is not a decision-maker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from opennrm.access import status as gate
from opennrm.access.roles import ROLE_PERMISSIONS, STATUS_DECIDE, STATUS_PROCESS
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.demo.cast import AGENCY_BY_KEY
from opennrm.nrm.status import services
from opennrm.nrm.status import workflow as wf
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.nrm.test_status_support import APPLIED, World, application_in, build_world, register


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


ON = APPLIED + dt.timedelta(days=2)


def test_forward_to_another_oblasts_administration_is_refused_naming_the_oblast(
    world: World,
) -> None:
    app = application_in(world, wf.INTERVIEWED)
    donetsk = Agency.objects.create(
        name="Donetsk oblast administration (synthetic)",
        kind="OblastStateAdministration",
        oblast="UA-14",
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.forward_to_oblast(
            actor=actor_for(world.official), application=app, to_agency=donetsk, forwarded_on=ON
        )
    message = caught.value.message_dict["to_agency"][0]
    assert "Kharkivska oblast" in message  # the hromada's own oblast (UA-63)
    assert "Donetska oblast" in message
    app.refresh_from_db()
    assert (app.state, app.oblast_agency_id) == (wf.INTERVIEWED, None)
    done = services.forward_to_oblast(
        actor=actor_for(world.official), application=app, to_agency=world.oblast, forwarded_on=ON
    )
    assert (done.state, done.oblast_agency_id) == (wf.AT_OBLAST, world.oblast.id)


def test_the_api_answers_the_oblast_error_by_field(world: World) -> None:
    from rest_framework.test import APIClient

    from opennrm.accounts.services import issue_api_token

    app = application_in(world, wf.INTERVIEWED)
    lviv = Agency.objects.create(
        name="Lviv oblast administration (synthetic)",
        kind="OblastStateAdministration",
        oblast="UA-46",
    )
    client = APIClient()
    token = issue_api_token(user=world.official)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        f"/api/v1/status-applications/{app.id}/forward-to-oblast/",
        {"to_agency": str(lviv.id), "forwarded_on": ON.isoformat()},
        format="json",
    )
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert "Kharkivska oblast" in fields["to_agency"][0]
    assert "Lvivska oblast" in fields["to_agency"][0]


def test_a_raion_administration_receives_and_cannot_be_the_oblast_level(
    world: World, make_user: Callable[..., User]
) -> None:
    raion = Agency.objects.create(
        name="Chuhuiv raion administration (synthetic)",
        kind="RaionStateAdministration",
        oblast="UA-63",
    )
    clerk = make_user("raion.clerk", raion, "caseworker")
    assert gate.may_register(actor_for(clerk))
    app = application_in(world, wf.INTERVIEWED)
    with pytest.raises(ValidationError) as caught:
        services.forward_to_oblast(
            actor=actor_for(world.official), application=app, to_agency=raion, forwarded_on=ON
        )
    assert "to_agency" in caught.value.message_dict
    # An oblast administration is not a receiving office.
    oblast_clerk = make_user("oblast.clerk", world.oblast, "caseworker")
    assert not gate.may_register(actor_for(oblast_clerk))
    assert world.oblast.kind == "OblastStateAdministration"
    assert "OblastStateAdministration" not in wf.agency_kinds(wf.RECEIVING)
    assert "RaionStateAdministration" not in wf.agency_kinds(wf.OBLAST)


def test_the_level_not_recorded_kind_still_works_within_its_oblast(world: World) -> None:
    legacy = Agency.objects.create(
        name="Kharkiv state administration, older entry (synthetic)",
        kind="StateAdministration",
        oblast="UA-63",
    )
    app = application_in(world, wf.INTERVIEWED)
    done = services.forward_to_oblast(
        actor=actor_for(world.official), application=app, to_agency=legacy, forwarded_on=ON
    )
    assert done.oblast_agency_id == legacy.id


def test_the_oblast_official_forwards_and_never_decides(world: World) -> None:
    assert ROLE_PERMISSIONS["oblast_official"] == frozenset({STATUS_PROCESS})
    assert STATUS_DECIDE not in ROLE_PERMISSIONS["oblast_official"]
    app = application_in(world, wf.AT_OBLAST)
    official = actor_for(world.oblast_official)
    assert official.roles == frozenset({"oblast_official"})
    assert [t.action for t in gate.allowed_transitions(official, app)] == [
        wf.FORWARD_TO_NATIONAL,
        wf.WITHDRAW,
    ]
    done = services.forward_to_national(
        actor=official, application=app, to_agency=world.nss, forwarded_on=ON
    )
    assert done.state == wf.AT_NATIONAL
    with pytest.raises(PermissionDenied):
        gate.authorize_transition(official, done, wf.GRANT)
    # The oblast level sees the files it holds, never the case behind them.
    assert not gate.policy.visible_cases(official).exists()


def test_the_demo_hromada_forwards_to_its_own_oblast() -> None:
    hromada, oda = AGENCY_BY_KEY["hromada"], AGENCY_BY_KEY["oda"]
    assert (hromada.oblast, oda.oblast) == ("UA-14", "UA-14")  # Kramatorsk: Donetsk oblast
    assert oda.kind == "OblastStateAdministration"
    assert {role: user for user, role in oda.users} == {"oblast_official": "oda.official"}


def test_register_keeps_working_for_the_hromada(world: World) -> None:
    assert register(world).receiving_agency_id == world.hromada.id
