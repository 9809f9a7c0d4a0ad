"""Assistance pages: the directory with filters and referral links, plans, services, 422s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.services import change_case_status
from opennrm.nrm.assistance import services
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider, SupportPlan
from opennrm.nrm.assistance.objectives import open_objectives
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in
from tests.nrm.test_assistance_support import OBJECTIVES, add_provider, new_agency

SHELTER = "ShelterPlacement"


@pytest.fixture
def shelters(actor_a: Actor) -> tuple[ServiceProvider, ServiceProvider]:
    women = add_provider(
        actor_a,
        new_agency("Women's shelter", "Shelter"),
        [SHELTER],
        sexes=["Feminine"],
        beds_total=5,
        beds_free=2,
    )
    full = add_provider(
        actor_a, new_agency("Full shelter", "Shelter"), [SHELTER], beds_total=5, beds_free=0
    )
    return women, full


def test_directory_filters_for_a_case_and_links_to_the_referral_form(
    shevchenko_case: Case,
    caseworker: User,
    actor_a: Actor,
    shelters: tuple[ServiceProvider, ServiceProvider],
) -> None:
    women, full = shelters
    open_for_men = add_provider(
        actor_a, new_agency("Open shelter", "Shelter"), [SHELTER], beds_total=9, beds_free=4
    )
    client = logged_in(caseworker)
    base = f"/assistance/providers/?case={shevchenko_case.id}&type={SHELTER}"
    everyone = client.get(base).content.decode()
    for p in (women, full, open_for_men):
        assert p.agency.name.replace("'", "&#x27;") in everyone
    eligible = client.get(base + "&eligible=on").content.decode()
    assert "Women&#x27;s shelter" not in eligible
    assert "Full shelter" in eligible
    with_beds = client.get(base + "&eligible=on&free_beds=on")
    page = with_beds.content.decode()
    assert with_beds.status_code == 200
    assert "Full shelter" not in page
    assert "Open shelter" in page
    link = next(
        line.split('href="')[1].split('"')[0]
        for line in page.splitlines()
        if "/referrals/new/" in line
    ).replace("&amp;", "&")
    url = urlparse(link)
    assert url.path == f"/cases/{shevchenko_case.id}/referrals/new/"
    assert parse_qs(url.query) == {
        "to_agency": [str(open_for_men.agency_id)],
        "purpose": ["Shelter"],
    }
    assert (
        f"/cases/{shevchenko_case.id}/assistance/services/new/?provider={open_for_men.id}" in page
    )


def test_directory_pages_through_many_providers(caseworker: User, actor_a: Actor) -> None:
    for n in range(27):
        add_provider(actor_a, new_agency(f"Provider {n:02d}"), ["LegalAid"], oblast="UA-46")
    client = logged_in(caseworker)
    first = client.get("/assistance/providers/?oblast=UA-46")
    assert first.status_code == 200
    assert 'rel="next"' in first.content.decode()
    second = client.get("/assistance/providers/?oblast=UA-46&page=2").content.decode()
    assert "Provider 26" in second
    assert "Provider 00" not in second


def test_a_hidden_case_in_the_directory_query_is_404(shevchenko_case: Case, outsider: User) -> None:
    response = logged_in(outsider).get(f"/assistance/providers/?case={shevchenko_case.id}")
    assert response.status_code == 404


def test_adding_a_provider_rerenders_with_422_then_saves(
    agency_a: Agency, make_user: Callable[..., User]
) -> None:
    admin = logged_in(make_user("admin.a", agency_a, "agency_admin"))
    assert admin.get("/assistance/providers/new/").status_code == 200
    form = {
        "agency": str(agency_a.id),
        "services": ["LegalAid"],
        "oblast": "UA-63",
        "citizenship": "any",
        "beds_total": "4",
        "is_active": "on",
    }
    refused = admin.post("/assistance/providers/new/", form)
    assert refused.status_code == 422
    assert 'class="form-errors"' in refused.content.decode()
    form["services"] = ["LegalAid", SHELTER]
    form["beds_free"] = "4"
    saved = admin.post("/assistance/providers/new/", form)
    assert saved.status_code == 302
    provider = ServiceProvider.objects.get()
    assert (provider.beds_free, provider.agency) == (4, agency_a)
    edit = admin.post(f"/assistance/providers/{provider.id}/edit/", {**form, "beds_free": "1"})
    assert edit.status_code == 302
    provider.refresh_from_db()
    assert provider.beds_free == 1


def test_case_assistance_page_plans_delivers_and_confirms_cancelling(
    shevchenko_case: Case, caseworker: User, shelters: tuple[ServiceProvider, ServiceProvider]
) -> None:
    _, full = shelters
    client = logged_in(caseworker)
    case_url = f"/cases/{shevchenko_case.id}/assistance/"
    assert client.get(case_url).status_code == 200

    refused = client.post(f"{case_url}plans/new/", {"objectives": " "})
    assert refused.status_code == 422
    assert (
        client.post(
            f"{case_url}plans/new/", {"objectives": OBJECTIVES, "planned_end_date": "2016-09-30"}
        ).status_code
        == 302
    )
    plan = SupportPlan.objects.get()
    assert open_objectives(plan) == OBJECTIVES

    refused = client.post(f"{case_url}services/new/", {"type": SHELTER})
    assert refused.status_code == 422
    form = {
        "type": SHELTER,
        "plan": str(plan.id),
        "provider": str(full.id),
        "planned_on": "2016-03-15",
    }
    assert client.post(f"{case_url}services/new/", form).status_code == 302
    service = ServiceDelivery.objects.get()

    page = client.get(case_url).content.decode()
    assert "Зозуля" in page
    assert f'action="/assistance/services/{service.id}/cancel/"' in page
    assert '<details class="confirm">' in page
    assert AuditEvent.objects.filter(action="assistance.viewed").exists()

    deliver_url = f"/assistance/services/{service.id}/deliver/"
    assert client.get(deliver_url).status_code == 200
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert client.post(deliver_url, {"delivered_from": future}).status_code == 422
    assert client.post(deliver_url, {"delivered_from": "2016-03-16"}).status_code == 302
    service.refresh_from_db()
    assert (service.state, service.provider) == ("delivered", full)
    page = client.get(case_url).content.decode()
    assert f"/assistance/services/{service.id}/cancel/" not in page
    assert "16.03.2016" in page  # dd.mm.yyyy in Ukrainian

    second = services.plan_service(
        actor=actor_for(caseworker),
        case=shevchenko_case,
        type="Medical",
        planned_on=dt.date(2016, 4, 1),
    )
    assert client.get(f"/assistance/services/{second.id}/cancel/").status_code == 405
    assert client.post(f"/assistance/services/{second.id}/cancel/").status_code == 302
    second.refresh_from_db()
    assert second.state == "cancelled"
    again = client.post(
        deliver_url.replace(str(service.id), str(second.id)),
        {"delivered_from": "2016-04-02", "provider_agency": str(full.agency_id)},
    )
    assert again.status_code == 409


def test_editing_a_plan_records_its_end(
    shevchenko_case: Case, caseworker: User, actor_a: Actor
) -> None:
    plan = services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)
    client = logged_in(caseworker)
    url = f"/assistance/plans/{plan.id}/edit/"
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert "Зозуля" in form_page.content.decode()
    refused = client.post(url, {"objectives": OBJECTIVES, "actual_end_date": "2999-01-01"})
    assert refused.status_code == 422
    done = client.post(url, {"objectives": OBJECTIVES, "actual_end_date": "2016-10-01"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.actual_end_date == dt.date(2016, 10, 1)


def test_a_closed_case_links_to_the_case_page_and_offers_no_new_service(
    shevchenko_case: Case, caseworker: User, actor_a: Actor
) -> None:
    change_case_status(actor=actor_a, case=shevchenko_case, action="close", closure_reason="Other")
    page = logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/assistance/").content.decode()
    assert f"/cases/{shevchenko_case.id}/assistance/services/new/" not in page
    assert f'href="/cases/{shevchenko_case.id}/"' in page


def test_services_show_on_the_case_timeline_and_late_ones_on_action_needed(
    shevchenko_case: Case,
    caseworker: User,
    actor_a: Actor,
    shelters: tuple[ServiceProvider, ServiceProvider],
) -> None:
    _, full = shelters
    stay = services.plan_service(
        actor=actor_a,
        case=shevchenko_case,
        type=SHELTER,
        provider=full,
        planned_on=dt.date(2016, 3, 15),
    )
    services.record_delivery(actor=actor_a, service=stay, delivered_from=dt.date(2016, 3, 16))
    services.plan_service(
        actor=actor_a, case=shevchenko_case, type="Medical", planned_on=dt.date(2016, 4, 1)
    )
    client = logged_in(caseworker)
    page = client.get(f"/cases/{shevchenko_case.id}/timeline/").content.decode()
    assert "kind-assistanceservice_delivered" in page
    assert "Full shelter" in page
    waiting = client.get("/action-needed/").content.decode()
    assert f'href="/cases/{shevchenko_case.id}/assistance/"' in waiting


def test_own_agency_entries_are_planned_not_referred_and_the_list_has_a_query_budget(
    shevchenko_case: Case,
    caseworker: User,
    actor_a: Actor,
    agency_a: Agency,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    own = add_provider(actor_a, agency_a, ["Psychological"])
    for n in range(20):
        add_provider(actor_a, new_agency(f"Budget {n:02d}"), ["Psychological", "Medical"])
    client = logged_in(caseworker)
    client.get("/assistance/providers/")  # warm the session and code lists
    with django_assert_max_num_queries(12):
        page = client.get(f"/assistance/providers/?case={shevchenko_case.id}").content.decode()
    assert f"to_agency={agency_a.id}" not in page
    assert f"provider={own.id}" in page
    assert page.count("/referrals/new/?") == 20
