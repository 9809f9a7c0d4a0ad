"""Dates as Ukrainians write them: dd.mm.yyyy typed and shown in Ukrainian (ISO in English,
ISO accepted in both), birth dates in the future or before 1900 refused on their field, one
time zone (Europe/Kyiv) named where times show, date-only timeline steps without "00:00"."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.cases.models import Case
from opennrm.core.ages import PartialDate, YearOutOfRange, birth_date_problem
from opennrm.core.entries import TimelineEntry
from opennrm.people.identity import open_identity
from opennrm.tenancy.actor import Actor
from opennrm.web.cases.forms import CaseFilterForm, DateInput
from opennrm.web.dates import partial_date
from tests.conftest import logged_in, person_input
from tests.test_web import registration

FUTURE = "The date of birth cannot be in the future."
BEFORE_1900 = "The date of birth cannot be before 1900."
AFTER_IDENTIFICATION = "The date of birth cannot be after the date of identification."


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("31.12.1990", "1990-12-31"),
        ("1.2.1990", "1990-02-01"),
        ("12.1990", "1990-12"),
        ("1990-12-31", "1990-12-31"),
        ("1990", "1990"),
    ],
)
def test_a_birth_date_is_typed_either_way(text: str, iso: str) -> None:
    assert PartialDate.parse(text).isoformat() == iso


@pytest.mark.parametrize("text", ["31.12.90", "32.12.1990", "31/12/1990", ".1990", "1.2.3.1990"])
def test_a_malformed_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the form's, tested below
        PartialDate.parse(text)


def test_a_year_out_of_range_says_which_year() -> None:
    with pytest.raises(YearOutOfRange) as caught:
        PartialDate.parse("01.01.1850")
    assert caught.value.year == 1850


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2031", "future"),
        ("2026-12", ""),  # the month of "today" below: it may have begun
        ("2027-01", "future"),
        ("2026-12-05", "future"),
        ("2026-12-04", ""),
        ("1900", ""),
        ("1990-12-31", ""),
    ],
)
def test_birth_date_problems(text: str, problem: str) -> None:
    today = dt.date(2026, 12, 4)
    assert birth_date_problem(PartialDate.parse(text), today=today) == problem


def test_a_birth_after_the_identification_is_a_problem() -> None:
    birth = PartialDate.parse("2016-04-01")
    assert (
        birth_date_problem(birth, today=dt.date(2026, 1, 1), identified_on=dt.date(2016, 3, 14))
        == "after_identification"
    )


# --- the web form -----------------------------------------------------------------------------


def _errors_in_english(client: Client, **fields: Any) -> dict[str, list[str]]:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/cases/new/", registration(**fields))
    assert response.status_code == 422
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_the_form_takes_31_12_1990_and_keeps_iso(caseworker: User) -> None:
    response = logged_in(caseworker).post("/cases/new/", registration(birth_date="31.12.1990"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert open_identity(case.person).birth_date.isoformat() == "1990-12-31"
    assert case.age_at_identification == 25


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2031", FUTURE), ("01.01.2031", FUTURE), ("1850", BEFORE_1900), ("2200", FUTURE)],
)
def test_the_form_refuses_an_impossible_birth_date_on_its_field(
    typed: str, message: str, caseworker: User
) -> None:
    errors = _errors_in_english(logged_in(caseworker), birth_date=typed)
    assert errors["birth_date"] == [message]
    assert Case.objects.count() == 0


def test_the_form_refuses_a_birth_after_the_identification(caseworker: User) -> None:
    errors = _errors_in_english(
        logged_in(caseworker), birth_date="01.04.2016", identified_on="2016-03-14"
    )
    assert errors["birth_date"] == [AFTER_IDENTIFICATION]


def test_the_refusal_in_ukrainian(caseworker: User) -> None:
    response = logged_in(caseworker).post("/cases/new/", registration(birth_date="2031"))
    assert response.status_code == 422
    assert response.context["form"].errors["birth_date"] == [
        "Дата народження не може бути в майбутньому."
    ]


def test_date_fields_take_dd_mm_yyyy_and_iso_in_both_languages() -> None:
    for language in ("uk", "en"):
        with translation.override(language):
            for typed in ("14.03.2016", "2016-03-14"):
                form = CaseFilterForm({"identified_from": typed})
                assert form.is_valid(), (language, typed, form.errors)
                assert form.cleaned_data["identified_from"] == dt.date(2016, 3, 14)


def test_a_date_picker_gets_its_value_in_iso_in_ukrainian() -> None:
    with translation.override("uk"):
        html = DateInput().render("d", dt.date(2016, 3, 14))
    assert 'value="2016-03-14"' in html
    assert 'type="date"' in html


# --- the API and the HTCDS import -----------------------------------------------------------


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.parametrize(("typed", "message"), [("2031-01-01", FUTURE), ("1850", BEFORE_1900)])
def test_the_api_refuses_an_impossible_birth_date_on_its_field(
    typed: str, message: str, caseworker: User
) -> None:
    from tests.test_api_writes import new_case

    body = new_case()
    body["person"]["birth_date"] = typed
    response = _post(_api(caseworker), "/api/v1/cases/", body)
    assert response.status_code == 400
    fields = dict(response.json()["error"]["fields"])
    assert fields["person.birth_date"] == [message]


def test_the_api_takes_31_12_1990(caseworker: User) -> None:
    from tests.test_api_writes import new_case

    body = new_case()
    body["person"]["birth_date"] = "31.12.1990"
    response = _post(_api(caseworker), "/api/v1/cases/", body)
    assert response.status_code == 201, response.content
    assert response.json()["person"]["birth_date"] == "1990-12-31"


@pytest.mark.parametrize(("typed", "message"), [("2031-05-01", FUTURE), ("1850", BEFORE_1900)])
def test_the_htcds_import_names_prs_birthdate(typed: str, message: str, caseworker: User) -> None:
    from tests.test_htcds_records import standard_only

    response = _post(_api(caseworker), "/api/v1/htcds/", [standard_only(prs_Birthdate=typed)])
    assert response.status_code == 400, response.content
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert "prs_Birthdate" in json.dumps(response.json())
    assert Case.objects.count() == 0


# --- display and time zone ------------------------------------------------------------------


def test_dates_show_dd_mm_yyyy_in_ukrainian_and_iso_in_english() -> None:
    day = dt.date(2016, 3, 14)
    with translation.override("uk"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "14.03.2016"
        assert date_format(day) == "14.03.2016"
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "2016-03-14"
        assert date_format(day) == "2016-03-14"


@pytest.mark.parametrize(
    ("text", "uk", "en"),
    [
        ("", "", ""),
        ("1971", "1971", "1971"),
        ("1971-11", "11.1971", "1971-11"),
        ("1971-11-23", "23.11.1971", "1971-11-23"),
    ],
)
def test_a_partial_birth_date_shows_in_the_order_of_the_language(
    text: str, uk: str, en: str
) -> None:
    birth = PartialDate.parse(text)
    assert birth.dotted() == uk  # also the status forms' PDF, always Ukrainian
    with translation.override("uk"):
        assert partial_date(birth) == uk
    with translation.override("en"):
        assert partial_date(birth) == en


def test_one_time_zone_kyiv_named_on_every_page(caseworker: User) -> None:
    assert settings.TIME_ZONE == "Europe/Kyiv"
    assert settings.USE_TZ
    client = logged_in(caseworker)
    assert "Час — київський." in client.get("/cases/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Times are Kyiv time (Europe/Kyiv)." in client.get("/cases/").content.decode()


def test_a_date_only_step_is_a_day_and_a_recorded_one_is_not() -> None:
    kyiv = timezone.get_current_timezone()
    day = TimelineEntry(
        at=dt.datetime.combine(dt.date(2016, 3, 14), dt.time.min, tzinfo=kyiv),
        kind="case.identified",
        label="",
    )
    recorded = TimelineEntry(
        at=dt.datetime(2016, 3, 14, 12, 5, 3, 120, tzinfo=dt.UTC), kind="x", label=""
    )
    assert day.date_only
    assert not recorded.date_only


def test_the_timeline_shows_a_date_only_step_without_00_00(
    make_case: Callable[..., Case], actor_a: Actor, caseworker: User
) -> None:
    case = make_case(actor_a, person_input())
    page = logged_in(caseworker).get(f"/cases/{case.id}/timeline/").content.decode()
    assert ">14.03.2016</time>" in page  # identified on that day: no time
    assert "14.03.2016 00:00" not in page
    registered = timezone.localtime(case.created_at).strftime("%d.%m.%Y %H:%M")
    assert f">{registered}</time>" in page  # registered: date and time, Kyiv time
    assert "Час — київський." in page


def test_the_audit_page_shows_kyiv_time(
    shevchenko_case: Case, sysadmin: User, caseworker: User
) -> None:
    from opennrm.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="case.registered")
    page = logged_in(sysadmin).get("/audit/").content.decode()
    kyiv = timezone.localtime(event.at)
    utc = event.at.astimezone(dt.UTC)
    assert kyiv.utcoffset() != dt.timedelta(0)  # the check below can tell them apart
    assert kyiv.strftime("%H:%M") in page
    assert f"{utc:%Y-%m-%d %H:%M}" not in page
    assert "Europe/Kyiv" in page
