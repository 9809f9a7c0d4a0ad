"""The agency admin in the browser: add a user, change roles, disable and enable; the hub page.
Never another agency's users, never a protected account, never a protected role."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from opennrm.access import users as users_gate
from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.audit.models import AuditEvent
from opennrm.nrm.assistance.services import ProviderInput, add_provider
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency, Membership
from tests.conftest import logged_in as logged_in_uk

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    """A signed-in browser that asks for English (the messages are checked in English)."""
    client = logged_in_uk(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def agency_admin(make_user: Callable[..., User], agency_a: Agency) -> User:
    return make_user("anna.admin", agency_a, "agency_admin")


def active_roles(user: User) -> set[str]:
    return set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))


def test_the_grantable_roles_never_include_admin_or_national_roles(agency_a: Agency) -> None:
    police = Agency.objects.create(name="Police unit (synthetic)", kind="NationalPolice")
    codes = {code for code, _label in users_gate.grantable_choices(police)}
    assert codes == set(users_gate.grantable_roles(police))
    assert codes <= set(users_gate.GRANTABLE_ROLES)
    assert "caseworker" in codes
    assert "investigator" in codes
    assert not codes & {"agency_admin", "sysadmin", "coordinator", "statistician"}
    # An NGO's admin may give no role of a state power (police, prosecution, courts, borders,
    # the status decision and the oblast level).
    ngo = {code for code, _label in users_gate.grantable_choices(agency_a)}
    assert "caseworker" in ngo
    assert not ngo & {
        "investigator",
        "prosecutor",
        "judge",
        "border_guard",
        "decision_maker",
        "oblast_official",
    }


def test_an_ngo_admin_cannot_make_an_investigator(agency_admin: User) -> None:
    admin = logged_in(agency_admin)
    form = admin.get("/accounts/users/new/").content.decode()
    assert 'value="investigator"' not in form
    refused = admin.post(
        "/accounts/users/new/", {"username": "fake.police", "roles": ["investigator"]}
    )
    assert refused.status_code == 422  # not a choice of this agency's form
    assert not User.objects.filter(username="fake.police").exists()


def test_the_agency_admin_adds_a_user_who_changes_the_password_at_first_login(
    agency_admin: User, agency_a: Agency
) -> None:
    admin = logged_in(agency_admin)
    assert admin.get("/accounts/users/new/").status_code == 200
    response = admin.post(
        "/accounts/users/new/",
        {"username": "nova.worker", "email": "nova@example.org", "roles": ["caseworker"]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'id="initial-password"[^>]*>([a-z0-9-]+)<', html)
    assert found is not None
    one_time = found.group(1)
    user = User.objects.get(username="nova.worker")
    assert user.email == "nova@example.org"
    assert user.must_change_password
    assert user.initial_password_expires_at is not None
    assert user.check_password(one_time)
    assert active_roles(user) == {"caseworker"}
    assert actor_for(user).agency == agency_a
    # Audited with ids and codes only: never the password, never the e-mail.
    created = AuditEvent.objects.get(action="user.created", object_id=str(user.id))
    assert (str(created.actor_id), str(created.agency_id)) == (
        str(agency_admin.id),
        str(agency_a.id),
    )
    granted = AuditEvent.objects.get(action="membership.granted", object_id=str(user.id))
    assert granted.detail == {"role": "caseworker"}
    details = str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert one_time not in details
    assert "nova@example.org" not in details
    # The first login: the one-time password, then its change before anything else.
    client = Client()
    client.post("/accounts/login/", {"username": "nova.worker", "password": one_time})
    assert client.get("/cases/")["Location"].startswith("/accounts/password/")


def test_a_protected_role_or_a_taken_username_is_refused(
    agency_admin: User, caseworker: User
) -> None:
    admin = logged_in(agency_admin)
    for role in ("agency_admin", "sysadmin", "coordinator", "statistician"):
        response = admin.post("/accounts/users/new/", {"username": "x.y", "roles": [role]})
        assert response.status_code == 422, role
        assert "x.y" not in User.objects.values_list("username", flat=True)
    taken = admin.post(
        "/accounts/users/new/", {"username": caseworker.username.upper(), "roles": ["caseworker"]}
    )
    assert taken.status_code == 422
    assert "A user with this username already exists." in taken.content.decode()
    assert admin.post("/accounts/users/new/", {"username": "no.roles"}).status_code == 422
    assert not User.objects.filter(username="no.roles").exists()


def test_the_agency_admin_changes_roles(agency_admin: User, caseworker: User) -> None:
    admin = logged_in(agency_admin)
    page = admin.get(f"/accounts/users/{caseworker.id}/")
    assert 'name="roles" value="caseworker"' in page.content.decode()
    response = admin.post(
        f"/accounts/users/{caseworker.id}/roles/", {"roles": ["supervisor", "trainer"]}
    )
    assert response.status_code == 302
    assert active_roles(caseworker) == {"supervisor", "trainer"}
    event = AuditEvent.objects.get(action="membership.changed", object_id=str(caseworker.id))
    assert event.detail == {"granted": ["supervisor", "trainer"], "ended": ["caseworker"]}
    shown = admin.get(f"/accounts/users/{caseworker.id}/").content.decode()
    assert "The roles of olena.caseworker were changed." in shown
    # Back again: the old membership comes back to life.
    admin.post(f"/accounts/users/{caseworker.id}/roles/", {"roles": ["caseworker"]})
    assert active_roles(caseworker) == {"caseworker"}
    # A protected role, or none at all, is refused and changes nothing.
    assert (
        admin.post(
            f"/accounts/users/{caseworker.id}/roles/", {"roles": ["coordinator"]}
        ).status_code
        == 422
    )
    assert admin.post(f"/accounts/users/{caseworker.id}/roles/", {}).status_code == 422
    assert active_roles(caseworker) == {"caseworker"}


def test_the_agency_admin_disables_and_enables_a_user(agency_admin: User, caseworker: User) -> None:
    working = logged_in(caseworker)
    admin = logged_in(agency_admin)
    response = admin.post(f"/accounts/users/{caseworker.id}/disable/")
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.is_active is False
    assert working.get("/cases/")["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="user.disabled", object_id=str(caseworker.id))
    assert (str(event.actor_id), event.detail) == (str(agency_admin.id), {"sessions_ended": 1})
    page = admin.get(f"/accounts/users/{caseworker.id}/").content.decode()
    assert "olena.caseworker was disabled and logged out everywhere" in page
    assert "Enable the account" in page
    assert admin.post(f"/accounts/users/{caseworker.id}/enable/").status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.is_active is True
    assert AuditEvent.objects.filter(action="user.enabled", object_id=str(caseworker.id)).exists()


def test_the_admin_never_touches_another_agency_or_a_protected_account(
    agency_admin: User,
    outsider: User,
    make_user: Callable[..., User],
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    admin = logged_in(agency_admin)
    other_admin = make_user("b.admin", agency_b, "agency_admin")
    coordinator = make_user("a.coordinator", agency_a, "coordinator")
    peer = make_user("a.admin2", agency_a, "agency_admin")
    for action in ("roles", "disable", "enable"):
        # Agency B's users are missing for agency A's admin.
        response = admin.post(f"/accounts/users/{outsider.id}/{action}/", {"roles": ["judge"]})
        assert response.status_code == 404, action
        for protected in (coordinator, peer, agency_admin):
            response = admin.post(
                f"/accounts/users/{protected.id}/{action}/", {"roles": ["caseworker"]}
            )
            assert response.status_code == 403, (action, protected.username)
    # Agency B's admin cannot see agency A's users either.
    assert logged_in(other_admin).get(f"/accounts/users/{agency_admin.id}/").status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    assert active_roles(outsider) == {"investigator"}
    assert active_roles(coordinator) == {"coordinator"}
    assert not AuditEvent.objects.filter(
        action__in=["membership.changed", "user.disabled", "user.enabled"]
    ).exists()


def test_only_an_agency_admin_adds_users(caseworker: User, sysadmin: User) -> None:
    for user in (caseworker, sysadmin):
        client = logged_in(user)
        assert client.get("/accounts/users/new/").status_code == 403
        assert client.post("/accounts/users/new/", {"username": "z.z"}).status_code == 403
        assert client.get("/accounts/agency/").status_code == 403
    assert not User.objects.filter(username="z.z").exists()


def test_the_hub_links_users_providers_and_the_agencys_tokens(
    agency_admin: User, caseworker: User, outsider: User, agency_a: Agency, agency_b: Agency
) -> None:
    add_provider(
        actor=actor_for(agency_admin),
        data=ProviderInput(agency=agency_a, services=["ShelterPlacement"], oblast="UA-46"),
    )
    add_provider(
        actor=actor_for(agency_admin),
        data=ProviderInput(
            agency=agency_a, name="Other site", services=["Medical"], oblast="UA-63"
        ),
    )
    issue_api_token(user=caseworker)
    issue_api_token(user=outsider)
    response = logged_in(agency_admin).get("/accounts/agency/")
    assert response.status_code == 200
    html = response.content.decode()
    for link in ("/accounts/users/", "/accounts/users/new/", "/assistance/providers/new/"):
        assert f'href="{link}"' in html
    assert html.count("/edit/") == 2
    assert caseworker.username in html
    assert outsider.username not in html
    assert AuditEvent.objects.filter(
        action="agency.administration_viewed", object_id=str(agency_a.id)
    ).exists()
    # The navigation leads there.
    assert (
        'href="/accounts/agency/"'
        in logged_in(agency_admin).get("/accounts/users/").content.decode()
    )


def test_the_new_users_second_factor_setup_follows_the_password(agency_admin: User) -> None:
    response = logged_in(agency_admin).post(
        "/accounts/users/new/", {"username": "p.trainer", "roles": ["trainer"]}
    )
    one_time = re.search(r'id="initial-password"[^>]*>([a-z0-9-]+)<', response.content.decode())
    assert one_time is not None
    user = User.objects.get(username="p.trainer")
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": one_time.group(1)})
    new = "a-long-own-passphrase-2016"
    client.post(
        "/accounts/password/",
        {"old_password": one_time.group(1), "new_password1": new, "new_password2": new},
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/trainings/")["Location"].startswith("/accounts/totp/setup/")
