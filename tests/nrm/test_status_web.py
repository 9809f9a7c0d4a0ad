"""The status procedure in the web UI: the user story across three agencies, 422 on form
errors next to the field, illegal transitions as a clear message, only allowed actions shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.services import PersonInput, record_consent
from opennrm.core.ages import PartialDate
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import OneTimePayment, ReflectionPeriod, StatusApplication
from opennrm.people.identity import Identity
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.web.status import views as status_views
from tests.conftest import logged_in
from tests.nrm.test_status_support import (
    World,
    application_in,
    build_world,
    perform,
    register,
)


@pytest.fixture
def world(db: object, make_user: Callable[..., User], make_case: Callable[..., Case]) -> World:
    return build_world(make_user, make_case)


TODAY = dt.datetime(2016, 3, 21, 11, tzinfo=dt.UTC)


def _share_with_hromada(case: Case, owner: Actor, world: World) -> None:
    """The NGO refers the case to the hromada for the status application; the hromada accepts."""
    record_consent(
        actor=owner,
        case=case,
        legal_basis="Consent",
        purposes=["StatusApplication"],
        data_categories=["Identity", "CaseFacts"],
        recipient=world.hromada,
        given_on=dt.date(2016, 3, 14),
    )
    referral = refer_case(
        actor=owner,
        case=case,
        to_agency=world.hromada,
        purpose="StatusApplication",
        data_categories=["Identity", "CaseFacts"],
    )
    accept_referral(actor=world.actor(world.official), referral=referral)
    assert Referral.objects.get(pk=referral.pk).state == "active"


@time_machine.travel(TODAY, tick=False)
def test_the_status_story_across_the_hromada_the_oblast_and_the_national_service(
    world: World, shevchenko_case: Case, actor_a: Actor
) -> None:
    _share_with_hromada(shevchenko_case, actor_a, world)
    case_id = shevchenko_case.id
    hromada = logged_in(world.official)

    # The hromada official registers the application with a journal number.
    assert hromada.get(f"/cases/{case_id}/status-procedure/").status_code == 200
    assert hromada.get(f"/cases/{case_id}/status-applications/new/").status_code == 200
    created = hromada.post(
        f"/cases/{case_id}/status-applications/new/",
        {
            "journal_number": "12/2016",
            "applied_on": "2016-03-18",
            "applicant": "Self",
            "documents": ["Application", "IdentityDocumentCopy"],
        },
    )
    assert created.status_code == 302
    app = StatusApplication.objects.get()
    assert created["Location"] == f"/status-applications/{app.id}/"
    base = f"/status-applications/{app.id}"
    page = hromada.get(base + "/").content.decode()
    assert "Шевченко" not in page  # no identity on the status pages
    assert f"{base}/record-interview/" in page

    # Consent first: without it the interview is refused next to the field, with 422.
    refused = hromada.post(
        f"{base}/record-interview/",
        {
            "record_interview-interviewed_on": "2016-03-20",
            "record_interview-nondisclosure_signed": "on",
        },
    )
    assert refused.status_code == 422
    assert 'id="id_record_interview-consent_recorded_error"' in refused.content.decode()
    assert (
        hromada.post(
            f"{base}/record-interview/",
            {
                "record_interview-interviewed_on": "2016-03-20",
                "record_interview-consent_recorded": "on",
                "record_interview-nondisclosure_signed": "on",
            },
        ).status_code
        == 302
    )
    forwarded = hromada.post(
        f"{base}/forward-to-oblast/",
        {
            "forward_to_oblast-to_agency": str(world.oblast.id),
            "forward_to_oblast-forwarded_on": "2016-03-21",
        },
    )
    assert forwarded.status_code == 302
    assert f"{base}/forward-to-national/" not in hromada.get(base + "/").content.decode()

    # The oblast level sees the file (not the case) and forwards it to the national level.
    oblast = logged_in(world.oblast_official)
    assert oblast.get(base + "/").status_code == 200
    assert oblast.get(f"/cases/{case_id}/").status_code == 404
    assert (
        oblast.post(
            f"{base}/forward-to-national/",
            {
                "forward_to_national-to_agency": str(world.nss.id),
                "forward_to_national-forwarded_on": "2016-03-21",
            },
        ).status_code
        == 302
    )

    # Only the decision-maker decides; the certificate is valid for two years at most.
    grant = {
        "grant-decided_on": "2016-03-21",
        "grant-certificate_number": "НСС-ЖЯ-77",
        "grant-certificate_issued_on": "2016-03-21",
        "grant-certificate_valid_until": "2018-03-22",
    }
    assert logged_in(world.nss_clerk).post(f"{base}/grant/", grant).status_code == 403
    decider = logged_in(world.decider)
    too_long = decider.post(f"{base}/grant/", grant)
    assert too_long.status_code == 422
    assert 'id="id_grant-certificate_valid_until_error"' in too_long.content.decode()
    assert (
        decider.post(
            f"{base}/grant/", {**grant, "grant-certificate_valid_until": "2018-03-20"}
        ).status_code
        == 302
    )

    # The certificate appears on the case; the payment is claimed, then paid.
    status_page = hromada.get(f"/cases/{case_id}/status-procedure/").content.decode()
    assert "НСС-ЖЯ-77" in status_page
    assert "20.03.2018" in status_page  # dd.mm.yyyy in Ukrainian
    assert (
        hromada.post(
            f"{base}/payment/claim/",
            {"claim-claimed_on": "2016-03-21", "claim-category": "AbleBodied"},
        ).status_code
        == 302
    )
    payment = OneTimePayment.objects.get()
    assert payment.amount == Decimal("1378.00")
    assert "1\xa0378,00" in hromada.get(base + "/").content.decode()  # Ukrainian: "1 378,00"
    assert (
        hromada.post(f"/payments/{payment.id}/pay/", {"pay-paid_on": "2016-03-21"}).status_code
        == 302
    )
    assert OneTimePayment.objects.get().state == wf.PAID

    actions = list(
        AuditEvent.objects.filter(action__regex=r"^(status|payment)\.")
        .exclude(action__in=["status.viewed", "status.file_viewed"])
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "status.registered",
        "status.interview_recorded",
        "status.forwarded_to_oblast",
        "status.forwarded_to_national",
        "status.granted",
        "payment.claimed",
        "payment.paid",
    ]
    # The decider read the personal file (through the forward's share), and that is recorded.
    assert AuditEvent.objects.filter(action="status.file_viewed").exists()
    for event in AuditEvent.objects.filter(action__startswith="status."):
        assert "12/2016" not in str(event.detail)
        assert "ЖЯ" not in str(event.detail)


@time_machine.travel(TODAY, tick=False)
def test_an_illegal_transition_is_a_clear_message_not_an_error(world: World) -> None:
    app = application_in(world, wf.INTERVIEWED, start=dt.date(2016, 3, 18))
    response = logged_in(world.official).post(
        f"/status-applications/{app.id}/waive-interview/",
        {"waive_interview-waived_on": "2016-03-20", "waive_interview-reason": "IdentifiedByCourt"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "is not possible now" in body or "неможлив" in body
    assert 'role="alert"' in body
    assert StatusApplication.objects.get(pk=app.pk).state == wf.INTERVIEWED


def test_the_registration_form_answers_422_with_the_error_next_to_the_field(world: World) -> None:
    client = logged_in(world.official)
    response = client.post(
        f"/cases/{world.case.id}/status-applications/new/", {"applicant": "Self"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) >= {"journal_number", "applied_on"}
    assert 'id="id_journal_number_error"' in response.content.decode()
    assert StatusApplication.objects.count() == 0


def test_only_the_actions_the_user_may_take_now_are_shown(world: World) -> None:
    app = application_in(world, wf.AT_NATIONAL)
    url = f"/status-applications/{app.id}/"
    decider_page = logged_in(world.decider).get(url).content.decode()
    for action in (wf.GRANT, wf.REFUSE, wf.RETURN_INCOMPLETE):
        assert f"{url}{action.replace('_', '-')}/" in decider_page
    assert '<details class="confirm"' in decider_page  # irreversible: asks to confirm
    assert f"{url}withdraw/" in decider_page
    clerk_page = logged_in(world.nss_clerk).get(url).content.decode()
    assert f"{url}grant/" not in clerk_page
    assert f"{url}withdraw/" in clerk_page
    hromada_page = logged_in(world.official).get(url).content.decode()
    assert "/grant/" not in hromada_page
    assert "/withdraw/" not in hromada_page


def test_viewing_an_application_is_audited_without_personal_data(world: World) -> None:
    app = register(world)
    logged_in(world.official).get(f"/status-applications/{app.id}/")
    event = AuditEvent.objects.get(action="status.viewed")
    assert event.detail == {"application": str(app.id)}
    assert event.object_id == str(world.case.id)


@time_machine.travel(TODAY, tick=False)
def test_the_deadlines_page_lists_overdue_and_nearing_files_of_the_agency(
    world: World, make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status_views, "PAGE_SIZE", 2)
    register(world, journal_number="1/2016", on=dt.date(2016, 3, 10))  # interview due 03-13
    for number in ("2/2016", "3/2016"):
        world.case = make_case(world.actor(world.official))
        register(world, journal_number=number, on=dt.date(2016, 3, 20))  # due 03-23: nearing
    world.case = make_case(world.actor(world.official))
    register(world, journal_number="4/2016", on=dt.date(2016, 3, 21))  # due 03-24: on track
    client = logged_in(world.official)
    first = client.get("/status/deadlines/")
    assert first.status_code == 200
    assert [r.journal_number for r in first.context["rows"]] == ["1/2016", "2/2016"]
    assert first.context["rows"][0].standing == "overdue"
    second = client.get("/status/deadlines/?page=2")
    assert [r.journal_number for r in second.context["rows"]] == ["3/2016"]
    assert logged_in(world.decider).get("/status/deadlines/").context["rows"] == []


def test_the_deadlines_page_needs_a_status_role(
    world: World, make_user: Callable[..., User]
) -> None:
    admin = make_user("agency.admin", world.hromada, "agency_admin")
    assert logged_in(admin).get("/status/deadlines/").status_code == 403


def test_another_agency_gets_404_everywhere(world: World, outsider: User) -> None:
    app = application_in(world, wf.GRANTED)
    client = logged_in(outsider)
    assert client.get(f"/status-applications/{app.id}/").status_code == 404
    assert client.post(f"/status-applications/{app.id}/revoke/").status_code == 404
    assert client.get(f"/cases/{world.case.id}/status-procedure/").status_code == 404
    assert client.get(f"/cases/{world.case.id}/status-applications/new/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_reflection_period_on_the_case_status_page(
    world: World, make_case: Callable[..., Case]
) -> None:
    person = PersonInput(
        identity=Identity(
            first_name="Ion", family_name="Testescu", birth_date=PartialDate.parse("1991")
        ),
        gender="Masculine",
        citizenships=["MD"],
    )
    case = make_case(actor_for(world.official), person=person)
    client = logged_in(world.official)
    url = f"/cases/{case.id}/reflection-periods/new/"
    short = client.post(url, {"reflection-starts_on": "2016-03-20", "reflection-days": "20"})
    assert short.status_code == 422
    assert 'id="id_reflection-days_error"' in short.content.decode()
    assert (
        client.post(
            url, {"reflection-starts_on": "2016-03-20", "reflection-days": "30"}
        ).status_code
        == 302
    )
    page = client.get(f"/cases/{case.id}/status-procedure/").content.decode()
    assert "18.04.2016" in page  # the last day, dd.mm.yyyy in Ukrainian
    assert "Залишилося 29 днів" in page  # Ukrainian by default
    period = ReflectionPeriod.objects.get()
    ended = client.post(
        f"/reflection-periods/{period.id}/end/",
        {"end-ended_on": "2016-03-21", "end-reason": "LeftTheCountry"},
    )
    assert ended.status_code == 302
    assert (
        client.post(
            f"/reflection-periods/{period.id}/end/",
            {"end-ended_on": "2016-03-21", "end-reason": "LeftTheCountry"},
        ).status_code
        == 409
    )


@time_machine.travel(TODAY, tick=False)
def test_query_budgets_do_not_grow_with_the_rows(
    world: World, make_case: Callable[..., Case]
) -> None:
    client = logged_in(world.official)

    def queries_for(url: str) -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    counts = []
    for batch in range(2):
        for n in range(3):
            world.case = make_case(world.actor(world.official))
            register(world, journal_number=f"{batch}-{n}", on=dt.date(2016, 3, 1))
        counts.append(queries_for("/status/deadlines/"))
    assert counts[0] == counts[1] <= 10
    world.case = make_case(world.actor(world.official))
    app = application_in(world, wf.GRANTED, journal_number="g-1", start=dt.date(2016, 3, 1))
    detail = queries_for(f"/status-applications/{app.id}/")
    perform(world, app, wf.EXTEND, dt.date(2016, 3, 10))
    assert queries_for(f"/status-applications/{app.id}/") == detail <= 20


def test_only_receiving_offices_are_offered_registration(
    world: World, shevchenko_case: Case, caseworker: User
) -> None:
    ngo_page = logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/status-procedure/")
    assert "/status-applications/new/" not in ngo_page.content.decode()
    refused = logged_in(caseworker).post(
        f"/cases/{shevchenko_case.id}/status-applications/new/",
        {"journal_number": "1", "applied_on": "2016-03-15", "applicant": "Self"},
    )
    assert refused.status_code == 422
    hromada_page = logged_in(world.official).get(f"/cases/{world.case.id}/status-procedure/")
    assert "/status-applications/new/" in hromada_page.content.decode()
