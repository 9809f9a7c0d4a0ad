"""The access gate: a table-driven permission matrix and a generated test of every URL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from opennrm.access import policy
from opennrm.access.roles import ALL_PERMISSIONS, ROLE_PERMISSIONS
from opennrm.accounts.models import ApiToken, User
from opennrm.accounts.services import issue_api_token, token_digest
from opennrm.cases.models import Case, SavedSearch
from opennrm.cases.services import record_consent
from opennrm.core.codes import ROLE, code_list
from opennrm.justice import services as justice_services
from opennrm.justice.models import Hearing
from opennrm.linkage.models import CandidatePair, LinkageRun
from opennrm.notices.models import Notification
from opennrm.nrm.assistance.services import ProviderInput, add_provider, plan_service, record_plan
from opennrm.nrm.referrals.services import refer_case
from opennrm.nrm.screening.services import record_screening
from opennrm.reports.models import ReportJob
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency, Membership
from tests.conftest import logged_in
from tests.nrm.test_status_support import status_objects
from tests.perpetrators.objects import perpetrator_objects
from tests.training.objects import training_objects

# Expected HTTP status per role for a case OWNED BY THE USER'S AGENCY, written out by hand
# from docs/permissions.md (not derived from the role table, so the two check each other).
# Columns: detail, edit form, history, record consent.
OWN_AGENCY: dict[str, tuple[int, int, int, int]] = {
    "caseworker": (200, 200, 403, 200),
    "supervisor": (200, 200, 200, 200),
    "investigator": (200, 200, 403, 200),
    "border_guard": (200, 200, 403, 200),
    "prosecutor": (200, 403, 403, 403),
    "decision_maker": (200, 403, 403, 403),
    "oblast_official": (404, 404, 404, 404),  # forwards status files, never opens cases
    "judge": (404, 404, 404, 404),  # reads the proceedings of their court, never cases
    "coordinator": (200, 403, 200, 403),
    "statistician": (404, 404, 404, 404),
    "trainer": (404, 404, 404, 404),
    "programme_officer": (404, 404, 404, 404),  # training reports only
    "agency_admin": (404, 404, 404, 404),
    "sysadmin": (404, 404, 404, 404),
}
ACTIONS = ("detail", "edit", "history", "consent_create")


def test_matrix_covers_every_role() -> None:
    assert set(OWN_AGENCY) == set(code_list(ROLE).values) == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize("role", sorted(OWN_AGENCY))
@pytest.mark.parametrize("relation", ["own agency", "other agency"])
def test_permission_matrix(
    role: str,
    relation: str,
    shevchenko_case: Case,
    agency_a: Agency,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    user = make_user(f"u.{role}", agency_a if relation == "own agency" else agency_b, role)
    client = logged_in(user)
    expected = OWN_AGENCY[role] if relation == "own agency" else (404, 404, 404, 404)
    got = tuple(
        client.get(f"/cases/{shevchenko_case.id}/{'' if a == 'detail' else _path(a)}").status_code
        for a in ACTIONS
    )
    assert got == expected


def _path(action: str) -> str:
    return {"edit": "edit/", "history": "history/", "consent_create": "consents/new/"}[action]


@pytest.mark.parametrize("role", sorted(OWN_AGENCY))
def test_case_list_shows_own_cases_only_to_roles_that_may_see_them(
    role: str,
    shevchenko_case: Case,
    agency_a: Agency,
    make_user: Callable[..., User],
) -> None:
    client = logged_in(make_user(f"l.{role}", agency_a, role))
    response = client.get("/cases/")
    if OWN_AGENCY[role][0] == 200:
        assert response.status_code == 200
        assert shevchenko_case.reference in response.content.decode()
    else:
        assert response.status_code == 403


def test_user_in_two_agencies_acts_with_no_rights(
    shevchenko_case: Case, agency_a: Agency, agency_b: Agency, make_user: Callable[..., User]
) -> None:
    user = make_user("split", agency_a, "caseworker")
    Membership.objects.create(user=user, agency=agency_b, role="supervisor")
    actor = actor_for(user)
    assert actor.agency is None
    assert policy.visible_cases(actor).count() == 0


def test_inactive_membership_grants_nothing(shevchenko_case: Case, caseworker: User) -> None:
    Membership.objects.filter(user=caseworker).update(is_active=False)
    assert logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/").status_code == 404


def test_every_permission_is_granted_to_some_role() -> None:
    used = {
        "case.view",
        "case.create",
        "case.change",
        "case.search",
        "case.history",
        "consent.manage",
        "person.view",
        "htcds.import",
        "htcds.export",
        "audit.view",
        "audit.verify",
        "agency.manage",
        "user.manage",
        "screening.record",
        "screening.view",
        "referral.create",
        "referral.respond",
        "referral.override",
        "status.register",
        "status.process",
        "status.decide",
        "payment.manage",
        "assistance.manage",
        "provider.manage",
        "provider.national",
        "linkage.run",
        "linkage.review",
        "linkage.merge",
        "stats.view",
        "stats.national",
        "stats.exact",
        "stats.publish",
        "proceeding.view",
        "proceeding.record",
        "proceeding.prosecute",
        "proceeding.adjudicate",
        "suspect.view",
        "case.hold",
        "person.subject_request",
        "training.manage",
        "training.view",
        "training.report",
        "perpetrator.view",
        "perpetrator.record",
        "mla.manage",
        "operation.record",
        "incident.record",
    }
    assert used == ALL_PERMISSIONS


# --- every URL is guarded -------------------------------------------------------------------

# Public by design: the login page, the language switch, and logging out (which needs no login).
# The public verification of a training certificate (initials, course, dates, validity).
PUBLIC = {
    "web:login",
    "web:set_language",
    "web:logout",
    "web:public_statistics",
    "web:certificate_verify",
}


def _patterns(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, list[str]]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            name = f"{ns}{entry.name}" if entry.name else str(entry.pattern)
            yield name, prefix + str(entry.pattern), list(entry.pattern.converters)


ALL_URLS = sorted(_patterns())


def test_url_list_is_not_empty() -> None:
    names = {name for name, _, _ in ALL_URLS}
    assert {"web:case_detail", "api:case_detail", "api:htcds", "web:audit_log"} <= names


@pytest.fixture
def objects(
    shevchenko_case: Case,
    actor_a: Actor,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
) -> dict[str, str]:
    consent = record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["StatusApplication"],
        data_categories=["Identity"],
        recipient=None,
        given_on=dt.date(2016, 3, 14),
    )
    third = Agency.objects.create(name="Shelter (synthetic)", kind="Shelter")
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=third,
        purpose="StatusApplication",
        data_categories=["Identity"],
    )
    screening = record_screening(actor=actor_a, list_key="adult_labour", case=shevchenko_case)
    provider = add_provider(
        actor=actor_a,
        data=ProviderInput(agency=third, services=["ShelterPlacement"], oblast="UA-63"),
    )
    plan = record_plan(actor=actor_a, case=shevchenko_case, objectives="Synthetic objectives")
    service = plan_service(
        actor=actor_a, case=shevchenko_case, type="Medical", planned_on=dt.date(2016, 3, 15)
    )
    run = LinkageRun.objects.create(status=LinkageRun.Status.DONE)
    other = make_case(actor_a)
    left, right = sorted([shevchenko_case.person_id, other.person_id], key=str)
    pair = CandidatePair.objects.create(
        run=run, left_id=left, right_id=right, probability=0.97, weight=9.0
    )
    job = ReportJob.objects.create(
        requested_by=actor_a.user,
        agency=actor_a.agency,
        start=dt.date(2016, 1, 1),
        end=dt.date(2016, 12, 31),
        format="pdf",
    )
    api_token = ApiToken.objects.get(digest=token_digest(issue_api_token(user=actor_a.user)))
    notice = Notification.objects.create(
        user=actor_a.user, kind="referral.received", object_type="referral", object_id=referral.id
    )
    return {
        "notification_id": str(notice.id),
        **justice_objects(make_user, shevchenko_case),
        "token_id": str(api_token.id),
        # A user of the case's agency (the agency admin's page of users: another agency, 404).
        "user_id": str(actor_a.user.id),
        "job_id": str(job.id),
        "key": "sex_age",
        "area": "cases",
        "run_id": str(run.id),
        "pair_id": str(pair.id),
        "provider_id": str(provider.id),
        "plan_id": str(plan.id),
        "service_id": str(service.id),
        **status_objects(make_user, make_case),
        **training_objects(make_user, actor_a.agency),
        **perpetrator_objects(make_user, shevchenko_case),
        "screening_id": str(screening.id),
        "case_id": str(shevchenko_case.id),
        "consent_id": str(consent.id),
        **casework_objects(actor_a, shevchenko_case),
        "referral_id": str(referral.id),
        # The caseworker's own saved search: another user (of any agency) gets 404.
        "saved_search_id": str(
            SavedSearch.objects.create(user=actor_a.user, name="Active", filters={}).id
        ),
    }


def casework_objects(actor: Actor, case: Case) -> dict[str, str]:
    """A note and an attachment of the case (notes and documents pages)."""
    from opennrm.casework import services as casework_services

    note = casework_services.write_note(
        actor=actor, case=case, about="Case", category="CaseFacts", text="Synthetic note"
    )
    attachment = casework_services.add_attachment(
        actor=actor,
        case=case,
        category="Documents",
        title="Synthetic",
        content=b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n",
    )
    return {"note_id": str(note.id), "attachment_id": str(attachment.id)}


def justice_objects(make_user: Callable[..., User], case: Case) -> dict[str, str]:
    """A proceeding of a police unit of its own (not the outsider's), with a participant, a
    hearing, a protection request and a non-punishment request."""
    police = Agency.objects.create(name="Police unit Lviv (synthetic)", kind="NationalPolice")
    investigator = actor_for(make_user("obj.investigator", police, "investigator"))
    proceeding = justice_services.register_proceeding(
        actor=investigator,
        erdr_number="12016140000000999",
        registered_on=dt.date(2016, 3, 2),
        article="149.2",
    )
    participant = justice_services.add_participant(
        actor=investigator, proceeding=proceeding, case=case, role="InjuredParty"
    )
    hearing = Hearing.objects.create(
        proceeding=proceeding, on=dt.date(2016, 11, 14), recorded_by=investigator.user
    )
    protection = justice_services.request_protection(
        actor=investigator,
        participant=participant,
        measure="PersonalProtection",
        requested_on=dt.date(2016, 4, 2),
    )
    request = justice_services.record_non_punishment(
        actor=investigator,
        case=case,
        liability="Administrative",
        requested_on=dt.date(2016, 5, 1),
        proceeding=proceeding,
    )
    return {
        "proceeding_id": str(proceeding.id),
        "hearing_id": str(hearing.id),
        "protection_id": str(protection.id),
        "non_punishment_id": str(request.id),
    }


def _url(route: str, objects: dict[str, str]) -> str:
    path = "/" + route
    for key, value in objects.items():
        path = path.replace(f"<uuid:{key}>", value).replace(f"<slug:{key}>", value)
    assert "<" not in path, f"no test object for {route}"
    return path


GUARDED = [u for u in ALL_URLS if u[0] not in PUBLIC]


@pytest.mark.django_db
def test_public_urls_are_only_the_expected_ones() -> None:
    assert {u[0] for u in ALL_URLS} - {u[0] for u in GUARDED} == PUBLIC
    assert Client().get("/accounts/login/").status_code == 200
    assert Client().post("/accounts/logout/").status_code == 302


@pytest.mark.parametrize(("name", "route", "params"), GUARDED, ids=[u[0] for u in GUARDED])
def test_anonymous_is_sent_to_login_or_gets_401(
    name: str, route: str, params: list[str], objects: dict[str, str]
) -> None:
    url = _url(route, objects)
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
        else:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/"), (method, url)


# The directory of service providers is shared by all agencies by design (who may edit an
# entry is tested in tests/nrm/test_assistance_access.py).
SHARED_DIRECTORY = {"web:provider_edit"}
# Linkage pairs and runs are national: hidden by role, not by agency (tests/linkage).
NATIONAL = {
    "web:linkage_pair",
    "web:linkage_decide",
    "web:linkage_unmerge",
    "web:linkage_run_detail",
    "api:linkage_pair",
    "api:linkage_decision",
}
# A statistics table is not an object of any agency: each actor's figures cover its own scope
# (tests/reports).
NOT_AN_OBJECT = {"web:statistics_csv", "web:help_page"}
AGENCY_BOUND = [
    u for u in ALL_URLS if u[2] and u[0] not in SHARED_DIRECTORY | NATIONAL | NOT_AN_OBJECT | PUBLIC
]


@pytest.mark.parametrize("name", sorted(NATIONAL))
def test_national_linkage_objects_are_hidden_from_roles_without_linkage(
    name: str, objects: dict[str, str], outsider: User
) -> None:
    route = next(u[1] for u in ALL_URLS if u[0] == name)
    client = logged_in(outsider)  # an investigator: no linkage permission
    url = _url(route, objects)
    for method in ("get", "post"):
        assert getattr(client, method)(url).status_code in (404, 405), (method, url)
    assert client.post(url).status_code == 404 or client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "route", "params"), AGENCY_BOUND, ids=[u[0] for u in AGENCY_BOUND]
)
def test_user_of_another_agency_gets_404(
    name: str,
    route: str,
    params: list[str],
    objects: dict[str, str],
    outsider: User,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> None:
    # The outsider's agency holds every role, so only the agency boundary can hide the object.
    for role in ("supervisor", "coordinator"):
        Membership.objects.create(user=outsider, agency=agency_b, role=role)
    client = logged_in(outsider)
    url = _url(route, objects)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), (method, url)
    assert client.post(url).status_code == 404 or client.get(url).status_code == 404


def test_outsider_api_detail_is_404_like_a_missing_case(
    shevchenko_case: Case, outsider: User
) -> None:
    client = logged_in(outsider)
    hidden = client.get(f"/api/v1/cases/{shevchenko_case.id}/")
    missing = client.get("/api/v1/cases/00000000-0000-4000-8000-000000000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
