"""Issue 9, point 6: the reflection period is a policy setting (CETS 197 art. 13), not Ukrainian
law: labelled so with its source, on by default, and refused when a deployment switches it off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import PersonInput
from opennrm.core.ages import PartialDate
from opennrm.nrm.status import reflection_services
from opennrm.nrm.status.models import ReflectionPeriod
from opennrm.people.identity import Identity
from opennrm.tenancy.actor import actor_for
from tests.conftest import logged_in
from tests.nrm.test_status_support import World, build_world


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


@pytest.fixture
def foreign_case(world: World, make_case: Callable[..., Case]) -> Case:
    person = PersonInput(
        identity=Identity(
            first_name="Іон", family_name="Тестовий", birth_date=PartialDate.parse("1991")
        ),
        gender="Masculine",
        citizenships=["MD"],
    )
    return make_case(actor_for(world.official), person=person)


def test_on_by_default() -> None:
    assert settings.OPENNRM_REFLECTION_PERIOD_ENABLED is True
    assert reflection_services.enabled()


def test_the_page_labels_it_a_policy_setting_with_its_source(
    world: World, foreign_case: Case
) -> None:
    page = logged_in(world.official).get(
        f"/cases/{foreign_case.id}/status-procedure/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Policy setting" in text
    assert "not Ukrainian law" in text
    assert "Council of Europe Convention on Action against Trafficking in Human Beings" in text
    assert "art. 13" in text
    assert "Offered in this deployment." in text
    assert "reflection-days" in text  # the form is offered


@override_settings(OPENNRM_REFLECTION_PERIOD_ENABLED=False)
def test_switched_off_no_new_period_is_recorded(world: World, foreign_case: Case) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        reflection_services.start_reflection_period(
            actor=actor_for(world.official),
            case=foreign_case,
            starts_on=dt.date(2016, 4, 1),
            days=30,
        )
    # The operator's message names the setting; the Ukrainian one says it in words.
    assert "OPENNRM_REFLECTION_PERIOD_ENABLED" in str(refused.value)
    assert not ReflectionPeriod.objects.exists()
    page = logged_in(world.official).get(
        f"/cases/{foreign_case.id}/status-procedure/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert "Switched off in this deployment" in text
    assert "reflection-days" not in text  # no form
