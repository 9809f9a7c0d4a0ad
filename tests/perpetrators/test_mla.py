"""Mutual legal assistance requests: dates checked, the default deadline, overdue, the gate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opennrm.accounts.models import User
from opennrm.justice.perpetrator_services import (
    MLA_DEFAULT_DAYS,
    MlaInput,
    mla_overdue,
    record_mla_answer,
    record_mla_request,
)
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in


def test_outgoing_request_gets_a_deadline_and_shows_overdue(
    justice_users: dict[str, User],
) -> None:
    actor = actor_for(justice_users["investigator"])
    partner = Agency.objects.create(
        name="Prokuratura Krajowa (synthetic)", kind="ProsecutorsOffice", country="PL"
    )
    request = record_mla_request(
        actor=actor,
        data=MlaInput(
            direction="Outgoing",
            request_type="WitnessQuestioning",
            country="PL",
            central_authority="ProsecutorGeneral",
            partner_agency=partner,
            sent_on=dt.date(2016, 5, 10),
        ),
    )
    assert request.due_on == dt.date(2016, 5, 10) + dt.timedelta(days=MLA_DEFAULT_DAYS)
    assert mla_overdue(request, dt.date(2016, 12, 1))
    record_mla_answer(actor=actor, request=request, answered_on=dt.date(2016, 11, 2))
    assert not mla_overdue(request, dt.date(2016, 12, 1))
    body = logged_in(justice_users["investigator"]).get("/api/v1/mla-requests/").json()
    assert body["results"][0]["answered_on"] == "2016-11-02"
    assert body["results"][0]["partner_agency"]["country"] == "PL"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "UA"}, "country"),
        ({"country": "XX"}, "country"),
        ({"request_type": "Torture"}, "request_type"),
        ({"sent_on": None}, "sent_on"),
        ({"answered_on": dt.date(2016, 1, 1)}, "answered_on"),
        ({"sent_on": dt.date(2999, 1, 1)}, "sent_on"),
    ],
)
def test_bad_requests_are_refused_by_field(
    justice_users: dict[str, User], changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {
        "direction": "Outgoing",
        "request_type": "Extradition",
        "country": "RU",
        "central_authority": "ProsecutorGeneral",
        "sent_on": dt.date(2016, 3, 1),
        **changes,
    }
    with pytest.raises(ValidationError) as exc:
        record_mla_request(
            actor=actor_for(justice_users["investigator"]),
            data=MlaInput(**values),  # type: ignore[arg-type]
        )
    assert field in exc.value.message_dict


def test_only_law_enforcement_and_prosecution_see_requests(
    justice_users: dict[str, User], caseworker: User, other_investigator: User
) -> None:
    record_mla_request(
        actor=actor_for(justice_users["investigator"]),
        data=MlaInput(
            direction="Incoming",
            request_type="Documents",
            country="RU",
            central_authority="Foreign",
            received_on=dt.date(2016, 2, 1),
        ),
    )
    assert logged_in(caseworker).get("/api/v1/mla-requests/").status_code == 403
    assert logged_in(other_investigator).get("/api/v1/mla-requests/").json()["results"] == []
    created = logged_in(justice_users["prosecutor"]).post(
        "/api/v1/mla-requests/",
        {
            "direction": "Outgoing",
            "request_type": "JointInvestigationTeam",
            "country": "PL",
            "central_authority": "ProsecutorGeneral",
            "sent_on": "2016-04-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["due_on"] == "2016-06-30"
