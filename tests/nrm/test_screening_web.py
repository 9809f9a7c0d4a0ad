"""Screening pages through Django's test client: the user story, errors, the gate, attaching."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.screening.indicators import current_set
from opennrm.nrm.screening.models import Screening
from opennrm.nrm.screening.services import record_screening
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.web.screening.forms import field_name
from tests.conftest import logged_in
from tests.nrm.test_screening_rules import CONSTRUCTION_SITE


def answers_post(answers: dict[str, str], rest: str | None = "absent") -> dict[str, Any]:
    data = {}
    if rest:
        data = {field_name(i.id): rest for i in current_set().list("adult_labour").indicators}
    data.update({field_name(k): v for k, v in answers.items()})
    return data


def in_english(user: User) -> Client:
    client = logged_in(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def screening(actor_a: Actor) -> Screening:
    return record_screening(actor=actor_a, list_key="adult_labour", subject="Тарас")


def test_caseworker_screens_the_man_from_the_construction_site(caseworker: User) -> None:
    client = in_english(caseworker)
    assert client.get("/screenings/new/").status_code == 200
    started = client.post(
        "/screenings/new/",
        {"list_key": "adult_labour", "subject": "Тарас, 41", "gender": "Masculine"},
    )
    assert started.status_code == 302
    screening = Screening.objects.get()
    assert started["Location"] == f"/screenings/{screening.id}/answers/"
    form = client.get(started["Location"])
    assert form.status_code == 200
    page = form.content.decode()
    assert page.count("<legend>") >= 6 + 67  # a legend per dimension and per indicator
    assert "Deceived about wages or earnings" in page
    saved = client.post(started["Location"], answers_post(CONSTRUCTION_SITE))
    assert saved.status_code == 302
    assert saved["Location"] == f"/screenings/{screening.id}/"
    result = client.get(saved["Location"])
    html = result.content.decode()
    assert "Presumed victim, refer" in html
    assert "not a legal finding" in html
    assert "2009-09.2" in html
    view = result.context["view"]
    assert [d["number"] for d in view["lists"][0]["dimensions"] if d["positive"]] == [1, 4, 5]
    assert view["outcome"] == "presumed_victim"
    assert view["lists"][0]["missing"] == []
    assert "Тарас, 41" in html
    screening.refresh_from_db()
    assert screening.answers["al.cd.debt_bondage"] == "present"
    assert AuditEvent.objects.filter(action="screening.viewed").exists()


def test_the_form_is_in_ukrainian_by_default(caseworker: User, screening: Screening) -> None:
    client = logged_in(caseworker)
    page = client.get(f"/screenings/{screening.id}/answers/").content.decode()
    assert "Обман щодо заробітної плати або доходів" in page


def test_new_screening_without_a_list_answers_422_with_the_error(caseworker: User) -> None:
    response = logged_in(caseworker).post("/screenings/new/", {"subject": "Тарас"})
    assert response.status_code == 422
    assert "list_key" in response.context["form"].errors
    assert Screening.objects.count() == 0


def test_an_invalid_answer_answers_422(caseworker: User, screening: Screening) -> None:
    response = logged_in(caseworker).post(
        f"/screenings/{screening.id}/answers/", {field_name("al.dr.wages"): "maybe"}
    )
    assert response.status_code == 422
    assert field_name("al.dr.wages") in response.context["form"].errors
    screening.refresh_from_db()
    assert screening.answers == {}


def test_an_incomplete_screening_says_what_is_missing(
    caseworker: User, screening: Screening
) -> None:
    answers = {k: v for k, v in CONSTRUCTION_SITE.items() if ".cd." not in k}
    data = answers_post(answers)
    for key in list(data):
        if "__cd__" in key or "__vd__" in key:
            del data[key]  # not asked yet
    client = in_english(caseworker)
    assert client.post(f"/screenings/{screening.id}/answers/", data).status_code == 302
    result = client.get(f"/screenings/{screening.id}/")
    html = result.content.decode()
    assert "Incomplete" in html
    assert "What is missing" in html
    missing = result.context["view"]["lists"][0]["missing"]
    assert [g["number"] for g in missing] == [5, 6]
    assert "Debt bondage (strong)" in html


def test_another_agency_gets_404_on_every_screening_page(
    screening: Screening, outsider: User
) -> None:
    client = logged_in(outsider)
    for path in ("", "answers/", "attach/"):
        assert client.get(f"/screenings/{screening.id}/{path}").status_code == 404
    assert client.post(f"/screenings/{screening.id}/attach/", {"reference": "x"}).status_code == 404
    listing = client.get("/screenings/")
    assert listing.status_code == 200
    assert screening.reference not in listing.content.decode()


def test_a_role_without_screening_record_gets_403_on_the_forms(
    screening: Screening, agency_a: Agency, make_user: Callable[..., User]
) -> None:
    client = logged_in(make_user("pros", agency_a, "prosecutor"))
    assert client.get("/screenings/new/").status_code == 403
    assert client.get(f"/screenings/{screening.id}/answers/").status_code == 403
    assert client.get(f"/screenings/{screening.id}/attach/").status_code == 403
    detail = client.get(f"/screenings/{screening.id}/")
    assert detail.status_code == 200
    assert detail.context["can_record"] is False
    assert client.get("/screenings/").status_code == 200


def test_roles_without_screening_view_get_403_on_the_list(
    agency_a: Agency, make_user: Callable[..., User], screening: Screening
) -> None:
    client = logged_in(make_user("stat", agency_a, "statistician"))
    assert client.get("/screenings/").status_code == 403
    assert client.get(f"/screenings/{screening.id}/").status_code == 404


def test_screening_from_the_case_page_is_attached(
    caseworker: User, shevchenko_case: Case, outsider: User
) -> None:
    client = logged_in(caseworker)
    form = client.get(f"/screenings/new/?case={shevchenko_case.id}")
    assert form.status_code == 200
    assert str(shevchenko_case.id) in form.content.decode()
    posted = client.post(
        "/screenings/new/", {"list_key": "adult_labour", "case": str(shevchenko_case.id)}
    )
    assert posted.status_code == 302
    assert Screening.objects.get().case == shevchenko_case
    assert logged_in(outsider).get(f"/screenings/new/?case={shevchenko_case.id}").status_code == 404


def test_attach_later_when_the_case_is_registered(
    caseworker: User, screening: Screening, shevchenko_case: Case
) -> None:
    client = logged_in(caseworker)
    detail = client.get(f"/screenings/{screening.id}/")
    assert detail.context["attach_form"] is not None
    wrong = client.post(f"/screenings/{screening.id}/attach/", {"reference": "00000000"})
    assert wrong.status_code == 422
    assert "reference" in wrong.context["form"].errors
    done = client.post(
        f"/screenings/{screening.id}/attach/", {"reference": shevchenko_case.reference}
    )
    assert done.status_code == 302
    screening.refresh_from_db()
    assert screening.case == shevchenko_case
    again = client.post(f"/screenings/{screening.id}/attach/", {"reference": "ffffffff"})
    assert again.status_code == 422


def test_list_filters_and_paginates_with_a_query_budget(
    caseworker: User, actor_a: Actor, shevchenko_case: Case
) -> None:
    for n in range(30):
        record_screening(
            actor=actor_a,
            list_key="adult_labour" if n % 2 else "child_labour",
            subject=f"особа {n}",
            answers=CONSTRUCTION_SITE if n % 2 else {},
            case=shevchenko_case if n == 1 else None,
        )
    client = logged_in(caseworker)
    client.get("/")  # the navigation's counts, kept in the session for a minute (test_home)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/screenings/")
    assert first.status_code == 200
    assert len(first.context["rows"]) == 25
    # 12 to read the page, 3 to append the "screening.listed" audit event (lock, insert, head),
    # 4 for the second factor's device lookups, and on PostgreSQL 1 for the row-level-security
    # scope: a fixed number whatever the rows.
    assert len(queries) <= 19 + (connection.vendor == "postgresql")
    assert client.get("/screenings/?page=2").context["rows"].__len__() == 5
    adults = client.get("/screenings/?list_key=adult_labour&outcome=presumed_victim")
    assert adults.context["page"].paginator.count == 15
    attached = client.get("/screenings/?attached=attached")
    assert attached.context["page"].paginator.count == 1
    bad = client.get("/screenings/?outcome=guilty")
    assert bad.status_code == 422


def test_anonymous_is_sent_to_login(screening: Screening) -> None:
    response = Client().get(f"/screenings/{screening.id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Expected status per role (own agency), written by hand from docs/permissions.md:
# (screening list, new-screening form, a screening's result page, its answers form).
SCREENING_MATRIX: dict[str, tuple[int, int, int, int]] = {
    "caseworker": (200, 200, 200, 200),
    "supervisor": (200, 200, 200, 200),
    "investigator": (200, 200, 200, 200),
    "border_guard": (200, 200, 200, 200),
    "prosecutor": (200, 403, 200, 403),
    "decision_maker": (200, 403, 200, 403),
    "coordinator": (200, 403, 200, 403),
    "statistician": (403, 403, 404, 404),
    "trainer": (403, 403, 404, 404),
    "agency_admin": (403, 403, 404, 404),
    "sysadmin": (403, 403, 404, 404),
}


@pytest.mark.parametrize("role", sorted(SCREENING_MATRIX))
def test_screening_permission_matrix(
    role: str, screening: Screening, agency_a: Agency, make_user: Callable[..., User]
) -> None:
    client = logged_in(make_user(f"m.{role}", agency_a, role))
    got = tuple(
        client.get(path).status_code
        for path in (
            "/screenings/",
            "/screenings/new/",
            f"/screenings/{screening.id}/",
            f"/screenings/{screening.id}/answers/",
        )
    )
    assert got == SCREENING_MATRIX[role]


def test_a_border_guard_screens_at_first_contact_without_registering(
    agency_b: Agency, make_user: Callable[..., User]
) -> None:
    client = logged_in(make_user("guard", agency_b, "border_guard"))
    started = client.post("/screenings/new/", {"list_key": "adult_labour", "subject": "Марко"})
    assert started.status_code == 302
    screening = Screening.objects.get()
    assert screening.agency == agency_b
    assert screening.case is None
    assert Case.objects.count() == 0
