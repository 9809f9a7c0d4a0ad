"""Public statistics with differential privacy: the privacy ledger, the budget, no double
spending, categories from the code lists, nothing below the threshold, the public page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import translation

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.reports import publication
from opennrm.reports.indicators import GROUPS
from opennrm.reports.models import PublicRelease
from opennrm.tenancy.actor import Actor, actor_for
from tests.conftest import logged_in, person_input


@pytest.fixture
def register(make_case: Callable[..., Case], actor_a: Actor) -> None:
    for number in range(40):
        make_case(actor_a, person_input("Петро", f"Бондар{number:02d}енко", "1980-02-11"))


@pytest.mark.usefixtures("register")
def test_a_release_is_noisy_post_processed_and_in_the_ledger(statistician: User) -> None:
    actor = actor_for(statistician)
    released, created = publication.release(actor=actor, table="sex_age", year=2016)
    assert created
    assert released.epsilon == pytest.approx(0.2)
    assert released.delta == 0
    # Categories from the code list, whatever the data holds (there are no girls).
    assert [value["code"] for value in released.values] == [code for code, _label in GROUPS]
    for value in released.values:
        assert value["count"] is None or (value["count"] >= 11 and value["count"] % 5 == 0)
    assert publication.budget(2016).spent == pytest.approx(0.2)
    event = AuditEvent.objects.get(action="stats.released")
    assert event.detail == {"table": "sex_age", "year": 2016, "epsilon": "0.2"}


@pytest.mark.usefixtures("register")
def test_the_same_table_and_year_again_spends_nothing(statistician: User) -> None:
    actor = actor_for(statistician)
    first, _ = publication.release(actor=actor, table="persons", year=2016)
    again, created = publication.release(actor=actor, table="persons", year=2016)
    assert not created
    assert again.id == first.id
    assert publication.budget(2016).spent == pytest.approx(0.2)
    assert PublicRelease.objects.count() == 1


@pytest.mark.usefixtures("register")
@override_settings(OPENNRM_DP_EPSILON_PER_TABLE=0.4)
def test_a_release_over_the_budget_is_refused(statistician: User) -> None:
    actor = actor_for(statistician)
    publication.release(actor=actor, table="persons", year=2016)
    publication.release(actor=actor, table="sex_age", year=2016)
    with translation.override("en"), pytest.raises(ValidationError, match="Nothing was released"):
        publication.release(actor=actor, table="citizenship", year=2016)
    assert PublicRelease.objects.count() == 2
    assert publication.budget(2016).spent == pytest.approx(0.8)
    # Another year has its own budget.
    publication.release(actor=actor, table="citizenship", year=2015)


def test_only_tables_with_fixed_categories_and_only_publishers(
    statistician: User, caseworker: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        publication.release(actor=actor_for(statistician), table="country", year=2016)
    assert "table" in refused.value.message_dict
    response = logged_in(caseworker).post(
        "/statistics/publish/", {"table": "persons", "year": 2016}
    )
    assert response.status_code in (403, 404)
    assert PublicRelease.objects.count() == 0


@pytest.mark.usefixtures("register")
def test_the_public_page_shows_releases_without_login(statistician: User) -> None:
    empty = Client().get("/public/statistics/")
    assert empty.status_code == 200
    client = logged_in(statistician)
    client.post("/statistics/publish/", {"table": "sex_age", "year": "2016"})
    release = PublicRelease.objects.get()
    page = Client().get("/public/statistics/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "2016" in html
    assert str(release.title) in html or "Women, men" in html
    assert "epsilon 0.2" in html
