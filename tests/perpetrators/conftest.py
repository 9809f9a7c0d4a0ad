"""Fixtures of the perpetrator tests: the justice personas (a police unit, a prosecutor's office,
a court, their investigator, prosecutor and judge) and a second police unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from opennrm.accounts.models import User
from opennrm.justice.models import Proceeding
from opennrm.justice.services import register_proceeding
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """The messages asserted here are the English ones (Ukrainian is the default language;
    `test_pages.test_refusals_are_in_ukrainian_by_default` checks the translation)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def police(db: Any) -> Agency:
    return Agency.objects.create(
        name="Counter-trafficking unit, Kharkiv (synthetic)", kind="NationalPolice", oblast="UA-63"
    )


@pytest.fixture
def prosecutors(db: Any) -> Agency:
    return Agency.objects.create(
        name="Kharkiv oblast prosecutor's office (synthetic)", kind="ProsecutorsOffice"
    )


@pytest.fixture
def court(db: Any) -> Agency:
    return Agency.objects.create(name="Kyivskyi district court (synthetic)", kind="Court")


@pytest.fixture
def justice_users(
    make_user: Callable[..., User], police: Agency, prosecutors: Agency, court: Agency
) -> dict[str, User]:
    return {
        "investigator": make_user("i.investigator", police, "investigator"),
        "prosecutor": make_user("p.prosecutor", prosecutors, "prosecutor"),
        "judge": make_user("j.judge", court, "judge"),
    }


@pytest.fixture
def other_police(db: Any) -> Agency:
    return Agency.objects.create(
        name="Counter-trafficking unit, Sumy (synthetic)", kind="NationalPolice", oblast="UA-59"
    )


@pytest.fixture
def other_investigator(make_user: Callable[..., User], other_police: Agency) -> User:
    return make_user("o.investigator", other_police, "investigator")


@pytest.fixture
def proceeding(justice_users: dict[str, User], prosecutors: Agency) -> Proceeding:
    return register_proceeding(
        actor=actor_for(justice_users["investigator"]),
        erdr_number="12016220000000123",
        registered_on=dt.date(2016, 4, 1),
        article="149.2",
        prosecution_agency=prosecutors,
    )
