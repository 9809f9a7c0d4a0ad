"""The assistance gate: plans and services go with their case; shares by purpose; the directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from opennrm.access import assistance as gate
from opennrm.access.roles import ASSISTANCE_MANAGE, PROVIDER_MANAGE
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.assistance import services
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in
from tests.nrm.test_assistance_support import OBJECTIVES, add_provider, new_agency, share_case


@pytest.fixture
def service(shevchenko_case: Case, actor_a: Actor) -> ServiceDelivery:
    return services.plan_service(
        actor=actor_a, case=shevchenko_case, type="Medical", planned_on=dt.date(2016, 3, 15)
    )


@pytest.fixture
def shelter_staff(make_user: Callable[..., User]) -> User:
    return make_user("shelter.worker", new_agency("Shelter Poltava", "Shelter"), "caseworker")


@pytest.fixture
def police(make_user: Callable[..., User]) -> User:
    return make_user("police.officer", new_agency("Police unit", "NationalPolice"), "investigator")


def test_another_agency_sees_no_service_and_gets_404(
    shevchenko_case: Case, service: ServiceDelivery, outsider: User
) -> None:
    them = actor_for(outsider)
    with pytest.raises(Http404):
        gate.get_service_for(them, service.id, ASSISTANCE_MANAGE)
    assert not gate.visible_services(them).exists()
    client = logged_in(outsider)
    assert client.get(f"/cases/{shevchenko_case.id}/assistance/").status_code == 404
    assert client.get(f"/assistance/services/{service.id}/deliver/").status_code == 404
    assert client.post(f"/assistance/services/{service.id}/cancel/").status_code == 404
    assert ServiceDelivery.objects.get(pk=service.pk).state == "planned"


def test_a_shelter_share_may_record_a_delivery(
    shevchenko_case: Case, actor_a: Actor, service: ServiceDelivery, shelter_staff: User
) -> None:
    share_case(actor_a, shevchenko_case, shelter_staff, "Shelter")
    client = logged_in(shelter_staff)
    response = client.post(
        f"/assistance/services/{service.id}/deliver/",
        {
            "delivered_from": "2016-03-20",
            "provider_agency": str(actor_for(shelter_staff).agency_id),
        },
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.state == "delivered"
    assert service.delivery_recorded_by == shelter_staff


def test_a_criminal_proceedings_share_may_not_record_a_delivery(
    shevchenko_case: Case, actor_a: Actor, service: ServiceDelivery, police: User
) -> None:
    share_case(actor_a, shevchenko_case, police, "CriminalProceedings")
    client = logged_in(police)
    # Purpose separation: a justice-purpose share never sees health or psycho-social help.
    assert client.get(f"/cases/{shevchenko_case.id}/assistance/").status_code == 403
    response = client.post(
        f"/assistance/services/{service.id}/deliver/", {"delivered_from": "2016-03-20"}
    )
    assert response.status_code == 403
    assert client.post(f"/assistance/services/{service.id}/cancel/").status_code == 403
    assert client.get(f"/cases/{shevchenko_case.id}/assistance/services/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        gate.get_service_for(actor_for(police), service.id, ASSISTANCE_MANAGE)
    assert ServiceDelivery.objects.get(pk=service.pk).state == "planned"


def test_objectives_show_only_with_psychosocial_notes_and_only_readers_write_plans(
    shevchenko_case: Case, actor_a: Actor, caseworker: User, shelter_staff: User
) -> None:
    plan = services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)
    share_case(actor_a, shevchenko_case, shelter_staff, "Shelter")
    them = logged_in(shelter_staff)
    page = them.get(f"/cases/{shevchenko_case.id}/assistance/").content.decode()
    assert "Зозуля" not in page
    assert them.get(f"/cases/{shevchenko_case.id}/assistance/plans/new/").status_code == 403
    assert them.get(f"/assistance/plans/{plan.id}/edit/").status_code == 403
    owner_page = logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/assistance/")
    assert "Зозуля" in owner_page.content.decode()


def test_a_share_with_psychosocial_notes_shows_the_objectives(
    shevchenko_case: Case, actor_a: Actor, shelter_staff: User
) -> None:
    services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)
    share_case(actor_a, shevchenko_case, shelter_staff, "Psychological", ("Psychosocial",))
    page = logged_in(shelter_staff).get(f"/cases/{shevchenko_case.id}/assistance/")
    assert "Зозуля" in page.content.decode()


# --- the provider directory ------------------------------------------------------------------


@pytest.fixture
def entry(actor_a: Actor, agency_a: Agency) -> ServiceProvider:
    return add_provider(actor_a, agency_a, ["LegalAid"])


def test_every_user_with_an_agency_sees_the_directory(
    entry: ServiceProvider, outsider: User, make_user: Callable[..., User], agency_a: Agency
) -> None:
    response = logged_in(outsider).get("/assistance/providers/")
    assert response.status_code == 200
    assert str(entry.agency.name) in response.content.decode()
    nobody = make_user("no.agency", None)
    assert logged_in(nobody).get("/assistance/providers/").status_code == 403
    assert logged_in(nobody).get(f"/assistance/providers/{entry.id}/edit/").status_code == 404
    with pytest.raises(Http404):
        gate.get_provider_for(actor_for(nobody), entry.id)


@pytest.mark.parametrize(
    ("role", "own_agency", "expected"),
    [
        ("agency_admin", True, 200),
        ("agency_admin", False, 403),
        ("coordinator", False, 200),
        ("caseworker", True, 403),
        ("sysadmin", True, 403),
    ],
)
def test_who_may_edit_a_directory_entry(
    role: str,
    own_agency: bool,
    expected: int,
    entry: ServiceProvider,
    agency_a: Agency,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    user = make_user(f"dir.{role}", agency_a if own_agency else agency_b, role)
    assert logged_in(user).get(f"/assistance/providers/{entry.id}/edit/").status_code == expected


def test_an_agency_admin_adds_entries_for_their_agency_only(
    agency_a: Agency, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    admin = actor_for(make_user("admin.a", agency_a, "agency_admin"))
    assert list(gate.provider_agencies(admin)) == [agency_a]
    with pytest.raises(PermissionDenied):
        gate.authorize_provider_agency(admin, agency_b)
    coordinator = actor_for(make_user("coord", agency_b, "coordinator"))
    assert set(gate.provider_agencies(coordinator)) >= {agency_a, agency_b}
    assert gate.keeps_national_directory(coordinator)
    assert not gate.keeps_national_directory(admin)


def test_inactive_entries_are_seen_only_by_who_may_edit_them(
    actor_a: Actor, agency_a: Agency, outsider: User, make_user: Callable[..., User]
) -> None:
    hidden = add_provider(actor_a, agency_a, ["Medical"], is_active=False)
    assert not gate.visible_providers(actor_for(outsider)).filter(pk=hidden.pk).exists()
    with pytest.raises(Http404):
        gate.get_provider_for(actor_for(outsider), hidden.id)
    admin = actor_for(make_user("admin.a", agency_a, "agency_admin"))
    assert gate.get_provider_for(admin, hidden.id, PROVIDER_MANAGE) == hidden
