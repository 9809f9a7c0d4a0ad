"""Personas of the justice chain: a police unit, a prosecutor's office, a court, one user each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency


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
def people(
    make_user: Callable[..., User], police: Agency, prosecutors: Agency, court: Agency
) -> dict[str, Actor]:
    return {
        "investigator": actor_for(make_user("i.investigator", police, "investigator")),
        "prosecutor": actor_for(make_user("p.prosecutor", prosecutors, "prosecutor")),
        "judge": actor_for(make_user("j.judge", court, "judge")),
    }
