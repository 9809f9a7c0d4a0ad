"""The case timeline merges every part in order; "action needed" shows what waits for a user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.nrm.referrals.services import refer_case
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, record_basis


def test_timeline_lists_identification_consent_and_referral_in_order(
    shevchenko_case: Case, actor_a: Actor, caseworker: User, agency_b: Agency
) -> None:
    record_basis(actor_a, shevchenko_case)
    refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity"],
    )
    client = logged_in(caseworker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/cases/{shevchenko_case.id}/timeline/")
    assert page.status_code == 200
    kinds = [row["entry"].kind for row in page.context["rows"]]
    assert kinds[:3] == ["case.identified", "consent.recorded", "case.registered"]
    assert "referral.sent" in kinds
    times = [row["entry"].at for row in page.context["rows"]]
    assert times == sorted(times)
    assert AuditEvent.objects.filter(action="case.timeline_viewed").count() == 1


def test_action_needed_shows_a_pending_referral_to_the_recipient_only(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    record_basis(actor_a, shevchenko_case)
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity"],
    )
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    response = logged_in(recipient).get("/action-needed/")
    items = response.context["items"]
    assert [i.kind for i in items] == ["referral.answer"]
    assert items[0].url == f"/referrals/{referral.id}/"
    assert items[0].overdue is False
    # The case reference links where the recipient may go: the referral, not yet the case.
    assert (
        f'<a class="ref" href="/referrals/{referral.id}/">{shevchenko_case.reference}</a>'
        in response.content.decode()
    )
    assert logged_in(caseworker).get("/action-needed/").context["total"] == 0


def test_old_unanswered_referral_is_overdue(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    import time_machine

    record_basis(actor_a, shevchenko_case)
    with time_machine.travel(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)):
        refer_case(
            actor=actor_a,
            case=shevchenko_case,
            to_agency=agency_b,
            purpose="Legal",
            data_categories=["Identity"],
        )
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)):
        items = logged_in(recipient).get("/action-needed/").context["items"]
    assert items[0].overdue is True


def test_a_justice_share_sees_no_status_assistance_or_screening_on_the_timeline(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    from opennrm.nrm.assistance.services import plan_service
    from opennrm.nrm.referrals.services import accept_referral
    from opennrm.nrm.screening.services import record_screening
    from opennrm.tenancy.actor import actor_for

    record_screening(actor=actor_a, list_key="adult_labour", case=shevchenko_case)
    plan_service(
        actor=actor_a, case=shevchenko_case, type="Medical", planned_on=dt.date(2016, 3, 15)
    )
    record_basis(actor_a, shevchenko_case, purpose="CriminalProceedings")
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=agency_b,
        purpose="CriminalProceedings",
        data_categories=["Identity"],
    )
    investigator = make_user("b.investigator", agency_b, "investigator")
    accept_referral(actor=actor_for(investigator), referral=referral)
    owner_kinds = {
        row["entry"].kind.split(".")[0]
        for row in logged_in(make_user("a.sup", shevchenko_case.owner_agency, "supervisor"))
        .get(f"/cases/{shevchenko_case.id}/timeline/")
        .context["rows"]
    }
    assert {"screening", "assistance"} <= owner_kinds  # the owner does see them
    page = logged_in(investigator).get(f"/cases/{shevchenko_case.id}/timeline/")
    assert page.status_code == 200
    kinds = {row["entry"].kind.split(".")[0] for row in page.context["rows"]}
    assert kinds <= {"case", "consent", "referral"}
