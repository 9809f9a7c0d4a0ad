"""Personas of capacity building: IOM's trainer, programme officer and admin; another agency's
trainer; a police unit whose staff are trained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from opennrm.training.models import Training
from opennrm.training.services import ParticipantInput, TrainingInput, create_training


@pytest.fixture
def iom(db: Any) -> Agency:
    return Agency.objects.create(
        name="IOM (synthetic)", kind="InternationalOrganisation", oblast="UA-30"
    )


@pytest.fixture
def other_org(db: Any) -> Agency:
    return Agency.objects.create(name="Another NGO (synthetic)", kind="NGO", oblast="UA-63")


@pytest.fixture
def police_unit(db: Any) -> Agency:
    return Agency.objects.create(
        name="Police unit, Donetsk (synthetic)", kind="NationalPolice", oblast="UA-14"
    )


@pytest.fixture
def trainer(make_user: Callable[..., User], iom: Agency) -> Actor:
    return actor_for(make_user("t.trainer", iom, "trainer"))


def training_input(**overrides: Any) -> TrainingInput:
    values: dict[str, Any] = {
        "title": "Detection and documentation (synthetic)",
        "format": "Workshop",
        "topics": ["DetectionDocumentation", "PretrialAndCourt"],
        "starts_on": dt.date(2016, 11, 8),
        "ends_on": dt.date(2016, 11, 9),
        "venue_city": "Odesa",
        "venue_oblast": "UA-51",
        "funder": "US DoS J/TIP",
        "project_code": "CT.0999",
        "target_groups": ["PoliceOfficer", "Investigator"],
        "planned_participants": 25,
    }
    values.update(overrides)
    return TrainingInput(**values)


def participant(**overrides: Any) -> ParticipantInput:
    values: dict[str, Any] = {
        "family_name": "Шевченко",
        "first_name": "Тарас",
        "gender": "Masculine",
        "profession": "PoliceOfficer",
        "agency_name": "Police of Donetsk oblast (synthetic)",
        "oblast": "UA-14",
    }
    values.update(overrides)
    return ParticipantInput(**values)


@pytest.fixture
def training(trainer: Actor) -> Training:
    return create_training(actor=trainer, data=training_input())
