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


def _near_the_threshold(threshold: int) -> Callable[[list[int], float], list[int]]:
    """Noise that lands every count just around the threshold, and some below zero."""
    pattern = [threshold - 1, threshold, threshold + 1, threshold + 2, 1, -3, 0, threshold + 3]

    def noisy(counts: list[int], epsilon: float) -> list[int]:
        return [pattern[i % len(pattern)] for i in range(len(counts))]

    return noisy


def test_post_processing_never_shows_a_count_below_the_threshold() -> None:
    for threshold in (2, 11, 13, 20):
        for value in range(-20, 80):
            shown = publication._shown(value, threshold)
            assert shown is None or (shown >= threshold and shown % 5 == 0), (threshold, value)
            assert (shown is None) == (value < threshold), (threshold, value)
    assert publication._shown(11, 11) == 15  # not 10
    assert publication._shown(12, 11) == 15
    assert publication._shown(10, 11) is None


@pytest.mark.parametrize("threshold", [11, 13])
def test_a_noisy_count_just_over_the_threshold_is_not_rounded_below_it(
    statistician: User, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    monkeypatch.setattr(publication, "_noisy", _near_the_threshold(threshold))
    with override_settings(OPENNRM_STATS_THRESHOLD=threshold):
        released, _ = publication.release(
            actor=actor_for(statistician), table="age_band", year=2016
        )
    counts = [value["count"] for value in released.values]
    assert released.threshold == threshold
    # threshold - 1, threshold, +1, +2, 1, -3, 0, +3 (both thresholds: 15 is the first
    # multiple of 5 at or above them)
    assert len(counts) >= 8
    assert counts[:8] == [None, 15, 15, 15, None, None, None, 15]
    assert all(count is None or count >= threshold for count in counts)


def test_tiny_true_counts_publish_nothing_below_the_threshold_and_say_fewer_than(
    statistician: User,
) -> None:
    """No registrations at all: every count is noise around 0, so many land between 1 and
    the threshold and some just above it (where rounding to 5 used to give 10)."""
    actor = actor_for(statistician)
    for year in range(2000, 2016):
        for table in publication.PUBLIC_TABLES:
            publication.release(actor=actor, table=table, year=year)
    published = [v["count"] for r in PublicRelease.objects.all() for v in r.values]
    assert len(published) > 300
    assert None in published
    assert all(count is None or (count >= 11 and count % 5 == 0) for count in published)
    assert not any(count == 10 for count in published)

    withheld = sum(count is None for count in published)
    english = Client()
    english.cookies["opennrm-language"] = "en"
    html = english.get("/public/statistics/").content.decode()
    assert html.count("fewer than 11") == withheld
    assert "figures below 11 are not shown" in html
    ukrainian = Client()
    ukrainian.cookies["opennrm-language"] = "uk"
    html = ukrainian.get("/public/statistics/").content.decode()
    assert html.count("менше 11<") == withheld
    assert "fewer than" not in html
    assert "показники, менші за 11, не показано" in html


@override_settings(OPENNRM_STATS_THRESHOLD=13)
def test_the_public_page_takes_the_threshold_from_the_setting(
    statistician: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publication, "_noisy", _near_the_threshold(13))
    publication.release(actor=actor_for(statistician), table="sex_age", year=2016)
    client = Client()
    client.cookies["opennrm-language"] = "en"
    html = client.get("/public/statistics/").content.decode()
    assert "fewer than 13" in html
    assert "figures below 13 are not shown" in html
    assert "fewer than 11" not in html
    assert "below 11" not in html
