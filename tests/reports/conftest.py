"""Fixtures of the statistics tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from opennrm.accounts.models import User
from opennrm.tenancy.models import Agency


@pytest.fixture
def msp(db: object) -> Agency:
    return Agency.objects.create(
        name="Ministry of Social Policy (synthetic)", kind="MinistryOfSocialPolicy"
    )


@pytest.fixture
def statistician(make_user: Callable[..., User], msp: Agency) -> User:
    """The national statistician: all agencies' cases, exact counts, publishing."""
    return make_user("msp.statistician", msp, "statistician")
