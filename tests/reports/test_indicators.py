"""Indicators count persons, scoped by the gate; what leaves the system is protected."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import override_settings

from opennrm.access import statistics as gate
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.linkage import services as linkage
from opennrm.reports.indicators import Filters, compute
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, person_input

YEAR = Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31))


@pytest.fixture
def police(make_user: Callable[..., User], agency_b: Agency) -> Actor:
    return actor_for(make_user("olha.police", agency_b, "investigator"))


def _link() -> None:
    linkage.execute_run(linkage.start_run(actor=None, enqueue=False).id)


def test_a_person_registered_by_two_agencies_counts_once(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, statistician: User
) -> None:
    make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05", middle_name="Петрович"))
    make_case(
        police,
        person_input("Oleksandr", "Shevchenko", "1987-03-05"),
        identified_on=dt.date(2016, 5, 2),
    )
    make_case(actor_a, person_input("Наталія", "Коваленко", "1990-01-21", "Feminine"))
    cases = gate.cases_in_scope(actor_for(statistician))
    before = compute(cases, YEAR)
    assert (before.persons, before.registrations) == (3, 3)  # not linked yet
    _link()
    after = compute(cases, YEAR)
    assert (after.persons, after.registrations) == (2, 3)
    sex = after.table("sex_age")
    assert {row.code: row.count for row in sex.rows}["men"] == 1
    assert {row.code: row.count for row in sex.rows}["women"] == 1
    # The person counts in the period of their first identification (14 March, by the NGO).
    spring = compute(cases, Filters(dt.date(2016, 3, 1), dt.date(2016, 3, 31)))
    assert spring.persons == 2
    may = compute(cases, Filters(dt.date(2016, 5, 1), dt.date(2016, 5, 31)))
    assert may.persons == 0


def test_breakdowns_come_from_the_code_lists_and_union_over_registrations(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, statistician: User
) -> None:
    make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05"))
    make_case(
        police,
        person_input("Oleksandr", "Shevchenko", "1987-03-05"),
        multi={"ua_exploitation": ["SexualExploitation"]},
    )
    _link()
    result = compute(gate.cases_in_scope(actor_for(statistician)), YEAR)
    forms = {row.code: row.count for row in result.table("exploitation").rows}
    # Every form of the code list is a row; the person counts in both forms registered.
    assert forms["LabourExploitation"] == forms["SexualExploitation"] == 1
    assert forms["OrganRemoval"] == 0
    assert result.table("exploitation").total == 1
    countries = {row.code: row.count for row in result.table("country").rows}
    assert countries == {"RU": 1}
    oblasts = result.table("identification_oblast")
    assert len(oblasts.rows) == 27  # every oblast, Kyiv and Sevastopol, zeros included
    assert {row.code: row.count for row in oblasts.rows}["UA-63"] == 1


def test_an_agency_dashboard_never_counts_cases_it_may_not_see(
    make_case: Callable[..., Case], actor_a: Actor, police: Actor, caseworker: User
) -> None:
    make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05"))
    for number in range(3):
        make_case(police, person_input("Петро", f"Бондар{number}ук", "1970-02-11"))
    _link()
    mine = compute(gate.cases_in_scope(actor_a), YEAR)
    assert mine.registrations == 1
    assert mine.persons == 1
    assert not gate.is_national(actor_a)
    national = compute(gate.cases_in_scope(police), YEAR)
    assert national.registrations == 3  # the police sees its own three, not the NGO's


def test_dashboard_shows_exact_counts_to_the_statistician_and_protected_ones_to_others(
    make_case: Callable[..., Case], actor_a: Actor, statistician: User, caseworker: User
) -> None:
    make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05"))
    url = "/statistics/?start=2016-01-01&end=2016-12-31"
    exact = logged_in(statistician).get(url)
    assert exact.status_code == 200
    assert "<strong>1</strong>" in exact.content.decode()
    protected = logged_in(caseworker).get(url).content.decode()
    assert "<strong>1</strong>" not in protected
    assert "<strong>—</strong>" in protected  # one person: withheld
    assert AuditEvent.objects.filter(action="stats.viewed").count() == 2


def test_roles_without_statistics_get_404(sysadmin: User) -> None:
    assert logged_in(sysadmin).get("/statistics/").status_code == 404
    assert (
        logged_in(sysadmin).get("/api/v1/stats/?from=2016-01-01&to=2016-12-31").status_code == 404
    )


def test_csv_download_is_protected_and_audited(
    make_case: Callable[..., Case], actor_a: Actor, statistician: User
) -> None:
    for number in range(12):
        make_case(actor_a, person_input("Петро", f"Бондар{number}енко", "1970-02-11"))
    make_case(actor_a, person_input("Олена", "Мельник", "1990-02-11", "Feminine"))
    response = logged_in(statistician).get(
        "/statistics/sex_age.csv?start=2016-01-01&end=2016-12-31"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="opennrm-sex_age-')
    rows = {row[0]: row[2] for row in csv.reader(io.StringIO(response.content.decode())) if row}
    # Even the statistician's download leaves the system: 12 men rounded, 1 woman withheld
    # with the next smallest cell (the zeros stay).
    assert rows["men"] == ""
    assert rows["women"] == ""
    assert rows["girls"] == "0"
    assert rows["total"] == "15"
    assert AuditEvent.objects.filter(action="stats.downloaded").count() == 1


def test_api_gives_protected_figures_and_names_bad_parameters(
    make_case: Callable[..., Case], actor_a: Actor, statistician: User
) -> None:
    for number in range(14):
        make_case(actor_a, person_input("Петро", f"Бондар{number}енко", "1970-02-11"))
    client = logged_in(statistician)
    body = client.get("/api/v1/stats/?from=2016-01-01&to=2016-12-31").json()
    assert body["scope"] == "national"
    assert body["persons"] == 15  # 14 rounded to the nearest 5
    sex = next(t for t in body["tables"] if t["key"] == "sex_age")
    assert {r["code"]: r["persons"] for r in sex["rows"]}["men"] == 15
    for table in body["tables"]:
        for row in table["rows"]:
            assert row["persons"] is None or row["persons"] == 0 or row["persons"] >= 10
    bad = client.get("/api/v1/stats/?from=2016-12-31&to=2016-01-01")
    assert bad.status_code == 400
    assert "to" in bad.json()["error"]["fields"]
    missing = client.get("/api/v1/stats/?to=2016-01-01")
    assert "from" in missing.json()["error"]["fields"]


@override_settings(OPENNRM_STATS_CACHE_SECONDS=300)
def test_figures_are_kept_a_few_minutes_and_can_be_counted_again(
    make_case: Callable[..., Case], actor_a: Actor, statistician: User
) -> None:
    cache.clear()
    make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05"))
    client = logged_in(statistician)
    url = "/statistics/?start=2016-01-01&end=2016-12-31"
    assert "<strong>1</strong>" in client.get(url).content.decode()
    make_case(actor_a, person_input("Наталія", "Коваленко", "1990-01-21", "Feminine"))
    assert "<strong>1</strong>" in client.get(url).content.decode()  # kept
    assert "<strong>2</strong>" in client.get(url + "&fresh=1").content.decode()  # recounted
    assert "<strong>2</strong>" in client.get(url).content.decode()
