"""The web UI through Django's test client: register, search, view, edit; errors; hardening."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.people.identity import open_identity
from opennrm.tenancy.models import Agency
from tests.conftest import PASSWORD, logged_in


def registration(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "family_name": "Шевченко",
        "first_name": "Олександр",
        "middle_name": "Петрович",
        "birth_date": "1987",
        "gender": "Masculine",
        "citizenships": ["UA"],
        "identified_on": "2016-03-14",
        "identification_country": "UA",
        "identification_oblast": "UA-63",
        "channel": "NGOOutreach",
        "trafficking_status": "PossibleVictimOfTrafficking",
        "ua_exploitation": ["LabourExploitation"],
        "labour_industry": ["F_Construction"],
        "recruitment": ["ThroughAnOnlineAdvertisement"],
        "status": "Active",
        "events-TOTAL_FORMS": "3",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "12",
        "events-0-type": "Exploitation",
        "events-0-country": "RU",
        "events-0-started_on": "2015-05-01",
        "events-0-ended_on": "2016-02-01",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_caseworker_registers_finds_views_and_edits_a_case(caseworker: User) -> None:
    client = logged_in(caseworker)
    response = client.post("/cases/new/", registration())
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.id}/"
    assert case.codes_of("vic_TypeOfExploitation") == ["ForcedLabour"]
    assert case.age_at_identification == 28
    assert list(case.events.values_list("type", "country")) == [("Exploitation", "RU")]

    for query in ("Oleksandr Shevchenko", "шевченко"):
        found = client.post("/cases/", {"q": query}, follow=True)
        assert found.status_code == 200
        assert case.reference in found.content.decode(), query

    detail = client.get(f"/cases/{case.id}/")
    assert "Шевченко Олександр Петрович" in detail.content.decode()

    edit = registration(first_name="Олексій", channel="Hotline")
    edit.update({"events-TOTAL_FORMS": "2", "events-INITIAL_FORMS": "1"})
    assert client.post(f"/cases/{case.id}/edit/", edit).status_code == 302
    case.refresh_from_db()
    assert case.channel == "Hotline"
    assert open_identity(case.person).first_name == "Олексій"
    changed = AuditEvent.objects.get(action="case.changed")
    assert changed.detail["fields"] == ["channel", "person.first_name"]

    closing = {"action": "close", "closure_reason": "GoalsAchieved"}
    assert client.post(f"/cases/{case.id}/status/", closing).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("Closed", "GoalsAchieved")
    assert AuditEvent.objects.filter(action="case.close").count() == 1


def test_illegal_case_transition_is_refused_with_a_message(
    shevchenko_case: Case, caseworker: User
) -> None:
    client = logged_in(caseworker)
    response = client.post(
        f"/cases/{shevchenko_case.id}/status/", {"action": "reopen"}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("reopen" in m for m in messages)
    shevchenko_case.refresh_from_db()
    assert shevchenko_case.status == "Active"


def test_closing_needs_a_reason(shevchenko_case: Case, caseworker: User) -> None:
    logged_in(caseworker).post(f"/cases/{shevchenko_case.id}/status/", {"action": "close"})
    shevchenko_case.refresh_from_db()
    assert shevchenko_case.status == "Active"


def test_other_agency_finds_nothing_and_gets_404(shevchenko_case: Case, outsider: User) -> None:
    client = logged_in(outsider)
    found = client.post("/cases/", {"q": "Shevchenko"}, follow=True)
    assert found.status_code == 200
    assert shevchenko_case.reference not in found.content.decode()
    assert client.get(f"/cases/{shevchenko_case.id}/").status_code == 404


def test_search_is_audited_without_the_search_term(shevchenko_case: Case, caseworker: User) -> None:
    logged_in(caseworker).post("/cases/", {"q": "Shevchenko"}, follow=True)
    event = AuditEvent.objects.get(action="case.searched")
    assert event.detail == {"results": 1}
    assert event.actor_id == caseworker.id


def test_viewing_a_case_is_audited(shevchenko_case: Case, caseworker: User) -> None:
    logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/")
    event = AuditEvent.objects.get(action="case.viewed")
    assert event.object_id == str(shevchenko_case.id)
    assert event.agency_id == shevchenko_case.owner_agency_id


def test_empty_registration_answers_422_with_errors_next_to_fields(caseworker: User) -> None:
    response = logged_in(caseworker).post(
        "/cases/new/",
        {"events-TOTAL_FORMS": "1", "events-INITIAL_FORMS": "0", "events-MAX_NUM_FORMS": "12"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) >= {"identified_on", "channel", "ua_exploitation", "family_name"}
    assert Case.objects.count() == 0


def test_service_rule_error_is_shown_on_its_field(caseworker: User) -> None:
    response = logged_in(caseworker).post(
        "/cases/new/", registration(identification_country="PL", identification_oblast="UA-63")
    )
    assert response.status_code == 422
    assert "identification_oblast" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_bad_event_row_is_reported_on_the_row(caseworker: User) -> None:
    response = logged_in(caseworker).post(
        "/cases/new/", registration(**{"events-0-ended_on": "2014-01-01"})
    )
    assert response.status_code == 422
    assert "ended_on" in response.context["events"].forms[0].errors


def test_names_never_enter_urls(shevchenko_case: Case, caseworker: User) -> None:
    client = logged_in(caseworker)
    response = client.post("/cases/", {"q": "Шевченко"})
    assert response.status_code == 303  # to a GET address that names the search by its id only
    assert "Шевченко" not in unquote(response["Location"])
    assert 'method="post"' in client.get(response["Location"]).content.decode()
    # A name in the query string is ignored, so bookmarks and logs never need one.
    listed = client.get("/cases/?q=Коваленко")
    assert shevchenko_case.reference in listed.content.decode()


@pytest.mark.parametrize("path", ["/cases/?q=%ED%A0%80", "/cases/?page=%ED%B0%80"])
def test_lone_surrogate_in_query_answers_400(path: str, caseworker: User) -> None:
    assert logged_in(caseworker).get(path).status_code == 400


def test_lone_surrogate_in_form_answers_400(caseworker: User) -> None:
    response = logged_in(caseworker).post(
        "/cases/new/", "family_name=%ED%A0%80", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_login_and_failed_login_are_audited(caseworker: User) -> None:
    client = Client()
    bad = client.post("/accounts/login/", {"username": caseworker.username, "password": "wrong"})
    assert bad.status_code == 200
    good = client.post("/accounts/login/", {"username": caseworker.username, "password": PASSWORD})
    assert good.status_code == 302
    actions = list(AuditEvent.objects.values_list("action", "object_id"))
    assert actions == [
        ("user.login_failed", str(caseworker.id)),
        ("user.logged_in", str(caseworker.id)),
    ]


def test_unknown_user_and_wrong_password_get_the_same_answer(caseworker: User) -> None:
    unknown = Client().post("/accounts/login/", {"username": "nobody", "password": "x" * 12})
    wrong = Client().post("/accounts/login/", {"username": caseworker.username, "password": "x"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].errors == wrong.context["form"].errors


def test_five_failed_logins_lock_the_account(caseworker: User) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": caseworker.username, "password": "wrong"})
    locked = client.post(
        "/accounts/login/", {"username": caseworker.username, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_clears_site_data(caseworker: User) -> None:
    response = logged_in(caseworker).post("/accounts/logout/")
    assert response.status_code == 302
    assert '"cookies"' in response["Clear-Site-Data"]


def test_private_pages_are_not_cached_and_carry_a_strict_csp(caseworker: User) -> None:
    response = logged_in(caseworker).get("/cases/")
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp


def test_ukrainian_by_default_english_on_request(caseworker: User) -> None:
    client = logged_in(caseworker)
    assert "Справи" in client.get("/cases/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    assert "<h1>Cases</h1>" in client.get("/cases/").content.decode()


def test_empty_state_says_what_to_do_first(caseworker: User) -> None:
    page = logged_in(caseworker).get("/cases/").content.decode()
    assert 'href="/cases/new/"' in page
    assert "Почніть із реєстрації" in page


def test_empty_state_does_not_ask_a_role_that_cannot_register_to_register(
    make_user: Callable[..., User], agency_b: Agency
) -> None:
    coordinator = make_user("coordinator.empty", agency_b, "coordinator")
    response = logged_in(coordinator).get("/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ваша роль не реєструє справ" in page
    assert "Почніть із реєстрації" not in page
    assert 'href="/cases/new/"' not in page


def test_consent_can_be_recorded_and_withdrawn(shevchenko_case: Case, caseworker: User) -> None:
    client = logged_in(caseworker)
    response = client.post(
        f"/cases/{shevchenko_case.id}/consents/new/",
        {
            "legal_basis": "Consent",
            "purposes": ["StatusApplication"],
            "data_categories": ["Identity", "CaseFacts"],
            "given_on": "2016-03-15",
        },
    )
    assert response.status_code == 302
    consent = shevchenko_case.consents.get()
    assert consent.purposes == ["StatusApplication"]
    assert client.post(f"/consents/{consent.id}/withdraw/").status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
