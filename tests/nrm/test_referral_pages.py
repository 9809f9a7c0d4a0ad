"""Referral pages: send from the case, answer, the lists with state and age, withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.nrm.referrals.models import Referral
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in


@pytest.fixture
def hromada(db: object) -> Agency:
    return Agency.objects.create(
        name="Hromada office (synthetic)", kind="HromadaExecutiveBody", oblast="UA-63"
    )


@pytest.fixture
def official(make_user: Callable[..., User], hromada: Agency) -> User:
    return make_user("official", hromada, "caseworker")


def test_send_answer_and_list_a_referral(
    shevchenko_case: Case, actor_a: Actor, caseworker: User, hromada: Agency, official: User
) -> None:
    client = logged_in(caseworker)
    form = {
        "to_agency": str(hromada.id),
        "purpose": "StatusApplication",
        "data_categories": ["Identity", "CaseFacts"],
    }
    refused = client.post(f"/cases/{shevchenko_case.id}/referrals/new/", form)
    assert refused.status_code == 422
    assert "legal basis" in refused.content.decode() or "правов" in refused.content.decode()
    record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["StatusApplication"],
        data_categories=["Identity", "CaseFacts"],
        recipient=hromada,
        given_on=dt.date(2016, 3, 15),
    )
    sent = client.post(f"/cases/{shevchenko_case.id}/referrals/new/", form)
    assert sent.status_code == 302
    referral = Referral.objects.get()
    outgoing = client.get("/referrals/?direction=outgoing")
    assert shevchenko_case.reference in outgoing.content.decode()

    them = logged_in(official)
    incoming = them.get("/referrals/")
    assert shevchenko_case.reference in incoming.content.decode()
    detail = them.get(f"/referrals/{referral.id}/")
    assert f"/referrals/{referral.id}/accept/" in detail.content.decode()
    assert "Шевченко" not in detail.content.decode()  # no identity before accepting
    assert them.post(f"/referrals/{referral.id}/accept/").status_code == 302
    assert them.get(f"/cases/{shevchenko_case.id}/").status_code == 200
    # Accepting twice is refused with a message, not an error page.
    again = them.post(f"/referrals/{referral.id}/accept/", follow=True)
    assert again.status_code == 200
    assert Referral.objects.get().state == "active"


def test_withdrawing_consent_on_the_case_page_ends_the_share(
    shevchenko_case: Case, actor_a: Actor, caseworker: User, hromada: Agency, official: User
) -> None:
    consent = record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["StatusApplication"],
        data_categories=["Identity"],
        recipient=None,
        given_on=dt.date(2016, 3, 15),
    )
    client = logged_in(caseworker)
    client.post(
        f"/cases/{shevchenko_case.id}/referrals/new/",
        {
            "to_agency": str(hromada.id),
            "purpose": "StatusApplication",
            "data_categories": ["Identity"],
        },
    )
    referral = Referral.objects.get()
    logged_in(official).post(f"/referrals/{referral.id}/accept/")
    assert client.post(f"/consents/{consent.id}/withdraw/").status_code == 302
    assert logged_in(official).get(f"/cases/{shevchenko_case.id}/").status_code == 404


def test_only_the_owner_may_open_the_referral_form(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency, official: User
) -> None:
    record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["StatusApplication"],
        data_categories=["Identity"],
        recipient=None,
        given_on=dt.date(2016, 3, 15),
    )
    from opennrm.nrm.referrals.services import accept_referral, refer_case
    from opennrm.tenancy.actor import actor_for

    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=hromada,
        purpose="StatusApplication",
        data_categories=["Identity"],
    )
    accept_referral(actor=actor_for(official), referral=referral)
    response = logged_in(official).get(f"/cases/{shevchenko_case.id}/referrals/new/")
    assert response.status_code == 403


def test_the_referral_page_names_its_legal_basis_to_the_owner_only(
    shevchenko_case: Case, actor_a: Actor, caseworker: User, hromada: Agency, official: User
) -> None:
    """'Legal basis' says which basis (the code list's label) and when it was given, not the
    consent's state ('Recorded'); the agency referred to learns only that one is recorded
    (legal bases are OwnerOnly)."""
    record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="LegalObligation",
        purposes=["StatusApplication"],
        data_categories=["Identity"],
        recipient=hromada,
        given_on=dt.date(2016, 3, 15),
    )
    logged_in(caseworker).post(
        f"/cases/{shevchenko_case.id}/referrals/new/",
        {
            "to_agency": str(hromada.id),
            "purpose": "StatusApplication",
            "data_categories": ["Identity"],
        },
    )
    referral = Referral.objects.get()
    owner = logged_in(caseworker).get(f"/referrals/{referral.id}/").content.decode()
    basis = owner.split("Правова підстава</dt>")[1].split("</dd>")[0]
    assert "Юридичний обов&#x27;язок" in basis
    assert "Внесено" not in basis
    assert "Дата надання</dt><dd>15.03.2016</dd>" in owner
    english = logged_in(caseworker)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get(f"/referrals/{referral.id}/").content.decode()
    assert "<dt>Legal basis</dt><dd>Legal obligation</dd>" in page

    recipient = logged_in(official).get(f"/referrals/{referral.id}/").content.decode()
    basis = recipient.split("Правова підстава</dt>")[1].split("</dd>")[0]
    assert "Юридичний" not in basis
    assert "Дата надання" not in recipient


def test_the_form_gives_the_long_selects_a_row_of_their_own(
    shevchenko_case: Case, caseworker: User
) -> None:
    """Agency and purpose names are long ("Встановлення статусу особи, яка постраждала від
    торгівлі людьми"): in a third of the form their selects cut the chosen name off."""
    page = logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/referrals/new/")
    html = page.content.decode()
    for name in ("to_agency", "purpose"):
        before = html[: html.index(f'<select name="{name}"')]
        assert '<div class="wide">' in before[-300:], name  # the field's own wrapper
