"""The status gate: visibility follows the personal file, only the decision-maker decides, and
every status URL is guarded (anonymous: login or 401; another agency: 404)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from opennrm.access import status as gate
from opennrm.access.roles import ROLE_PERMISSIONS, STATUS_DECIDE
from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.status import workflow as wf
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency, Membership
from tests.conftest import logged_in
from tests.nrm.test_status_support import (
    World,
    application_in,
    build_world,
    perform,
    register,
    status_objects,
)
from tests.test_access import ALL_URLS, _url


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


# POST .../grant/ on a file at the national level, by role at the National Social Service.
# Written by hand from docs/permissions.md: roles without a status permission see the file
# only through the deciders' share of the case (docs/status-procedure.md), which any role of
# the deciding agency that reads cases (case.view) sees, without deciding (403); roles that read
# no cases do not see it at all (404); caseworkers and supervisors see it and may process it,
# never decide (403).
DECIDE_AT_NSS: dict[str, int] = {
    "caseworker": 403,
    "supervisor": 403,
    "investigator": 403,
    "border_guard": 403,
    "prosecutor": 403,
    "decision_maker": 302,
    "oblast_official": 403,  # processes (forwards), never decides
    "judge": 404,
    "coordinator": 403,
    "statistician": 404,
    "trainer": 404,
    "programme_officer": 404,
    "agency_admin": 404,
    "sysadmin": 404,
}


def test_decide_matrix_covers_every_role() -> None:
    assert set(DECIDE_AT_NSS) == set(ROLE_PERMISSIONS)
    assert {r for r, code in DECIDE_AT_NSS.items() if code == 302} == {
        r for r, perms in ROLE_PERMISSIONS.items() if STATUS_DECIDE in perms
    }


@pytest.mark.parametrize("role", sorted(DECIDE_AT_NSS))
def test_only_the_decision_maker_decides(
    role: str, world: World, make_user: Callable[..., User]
) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    user = make_user(f"nss.{role}", world.nss, role)
    response = logged_in(user).post(
        f"/status-applications/{app.id}/grant/",
        {
            "grant-decided_on": "2016-03-20",
            "grant-certificate_number": "X-1",
            "grant-certificate_issued_on": "2016-03-20",
            "grant-certificate_valid_until": "2017-03-20",
        },
    )
    assert response.status_code == DECIDE_AT_NSS[role]


@pytest.mark.parametrize("action", sorted(wf.DECISIONS))
def test_every_decision_needs_the_decide_permission(action: str, world: World) -> None:
    state = wf.AT_NATIONAL if action in (wf.GRANT, wf.REFUSE, wf.RETURN_INCOMPLETE) else wf.GRANTED
    app = application_in(world, state)
    clerk = actor_for(world.nss_clerk)
    with pytest.raises(PermissionDenied):
        gate.authorize_transition(clerk, app, action)
    assert gate.authorize_transition(actor_for(world.decider), app, action).action == action


def test_visibility_follows_the_personal_file(world: World) -> None:
    app = register(world)
    hromada, oblast, nss = (
        actor_for(u) for u in (world.official, world.oblast_official, world.decider)
    )

    def sees(actor: object) -> bool:
        return gate.visible_applications(actor).filter(pk=app.pk).exists()  # type: ignore[arg-type]

    assert (sees(hromada), sees(oblast), sees(nss)) == (True, False, False)
    app = perform(world, app, wf.RECORD_INTERVIEW, app.applied_on)
    app = perform(world, app, wf.FORWARD_TO_OBLAST, app.applied_on)
    assert (sees(hromada), sees(oblast), sees(nss)) == (True, True, False)
    app = perform(world, app, wf.FORWARD_TO_NATIONAL, app.applied_on)
    assert (sees(hromada), sees(oblast), sees(nss)) == (True, False, True)
    app = perform(world, app, wf.GRANT, app.applied_on)
    assert (sees(hromada), sees(oblast), sees(nss)) == (True, False, True)
    app = perform(world, app, wf.REVOKE, app.applied_on)
    assert (sees(hromada), sees(oblast), sees(nss)) == (True, False, False)


def test_the_handling_rule_needs_a_status_role(
    world: World, make_user: Callable[..., User]
) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    admin = actor_for(make_user("nss.admin", world.nss, "agency_admin"))
    assert not gate.visible_applications(admin).exists()
    with pytest.raises(Http404):
        gate.get_application_for(admin, app.id, None)


def test_visible_but_not_allowed_is_403(world: World) -> None:
    app = register(world)
    official = actor_for(world.official)
    assert gate.get_application_for(official, app.id, "status.process") == app
    with pytest.raises(PermissionDenied):
        gate.get_application_for(official, app.id, STATUS_DECIDE)
    with pytest.raises(Http404):
        gate.get_application_for(official, "not-a-uuid", None)


def test_the_agency_holding_the_file_acts_even_with_the_same_role_elsewhere(
    world: World, make_user: Callable[..., User]
) -> None:
    app = application_in(world, wf.AT_OBLAST)
    other_oblast = Agency.objects.create(
        name="Another oblast (synthetic)", kind="StateAdministration"
    )
    stranger = actor_for(make_user("other.oblast", other_oblast, "caseworker"))
    assert not gate.visible_applications(stranger).filter(pk=app.pk).exists()
    official = actor_for(world.official)  # sees it through the case, but the file moved on
    with pytest.raises(PermissionDenied):
        gate.authorize_transition(official, app, wf.FORWARD_TO_NATIONAL)
    assert gate.allowed_transitions(official, app) == []


def test_payments_are_managed_by_the_receiving_office(world: World) -> None:
    app = application_in(world, wf.GRANTED)
    gate.authorize_payment(actor_for(world.official), app)
    with pytest.raises(PermissionDenied):
        gate.authorize_payment(actor_for(world.decider), app)


# --- every status URL is guarded -------------------------------------------------------------

STATUS_URLS = [
    u
    for u in ALL_URLS
    if any(k in u[0] for k in ("status_", "payment", "reflection", "case_status_procedure"))
]


def test_every_status_url_is_in_the_generated_list() -> None:
    names = {u[0] for u in STATUS_URLS}
    for t in wf.user_transitions(wf.WORKFLOW):
        assert f"web:status_application_{t.action}" in names
        assert f"api:status_application_{t.action}" in names
    assert {"web:status_deadlines", "web:status_application_new", "api:status_payment_pay"} <= names


@pytest.fixture
def status_ids(
    shevchenko_case: Case, make_user: Callable[..., User], make_case: Callable[..., Case]
) -> dict[str, str]:
    return {"case_id": str(shevchenko_case.id), **status_objects(make_user, make_case)}


@pytest.mark.parametrize(("name", "route", "params"), STATUS_URLS, ids=[u[0] for u in STATUS_URLS])
def test_anonymous_is_sent_to_login_or_gets_401(
    name: str, route: str, params: list[str], status_ids: dict[str, str]
) -> None:
    url = _url(route, status_ids)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/"), (method, url)


@pytest.mark.parametrize(
    ("name", "route", "params"),
    [u for u in STATUS_URLS if u[2]],
    ids=[u[0] for u in STATUS_URLS if u[2]],
)
def test_user_of_another_agency_gets_404(
    name: str,
    route: str,
    params: list[str],
    status_ids: dict[str, str],
    outsider: User,
    agency_b: Agency,
) -> None:
    for role in ("supervisor", "coordinator", "decision_maker"):
        Membership.objects.create(user=outsider, agency=agency_b, role=role)
    client = logged_in(outsider)
    url = _url(route, status_ids)
    codes = [getattr(client, method)(url).status_code for method in ("get", "post")]
    assert set(codes) <= {404, 405}, (url, codes)
    assert 404 in codes, url


def test_a_shared_case_user_may_not_end_the_owners_reflection_period(
    shevchenko_case: Case, actor_a: Actor, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    import datetime as dt

    from opennrm.nrm.referrals.services import accept_referral, refer_case
    from opennrm.nrm.status.models import ReflectionPeriod
    from opennrm.nrm.status.reflection_services import start_reflection_period
    from tests.conftest import record_basis

    person = shevchenko_case.person
    person.citizenships = ["MD"]
    person.save(update_fields=["citizenships"])
    start_reflection_period(
        actor=actor_a, case=shevchenko_case, starts_on=dt.date(2016, 3, 15), days=30
    )
    period = ReflectionPeriod.objects.get()
    record_basis(actor_a, shevchenko_case, purpose="Legal")
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity"],
    )
    lawyer = make_user("b.lawyer", agency_b, "caseworker")
    accept_referral(actor=actor_for(lawyer), referral=referral)
    client = logged_in(lawyer)
    assert client.get(f"/cases/{shevchenko_case.id}/").status_code == 200
    response = client.post(f"/reflection-periods/{period.id}/end/", {})
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.ended_early_on is None
