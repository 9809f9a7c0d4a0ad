"""Feedback and layout: a confirmation after each write, a warning before withdrawing a consent
(the shares it ends), real empty options in every select, the registration form in sections
with one list of forms of exploitation and a searchable citizenship list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.core import codes
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency, Membership
from tests.conftest import logged_in as logged_in_uk
from tests.test_access import ALL_URLS, PUBLIC
from tests.test_access import objects as objects  # the fixture
from tests.test_web import registration

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    """A signed-in browser that asks for English (the messages are checked in English here;
    tests/test_ukrainian_pages.py and the last test below check the Ukrainian)."""
    client = logged_in_uk(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def shown_messages(client: Client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    return re.findall(r'<p class="message success">([^<]*)</p>', page)


@pytest.fixture
def shelter(db: object) -> Agency:
    return Agency.objects.create(name="Shelter Odesa (synthetic)", kind="Shelter", oblast="UA-51")


@pytest.fixture
def hromada(db: object) -> Agency:
    return Agency.objects.create(
        name="Hromada Bila Tserkva (synthetic)", kind="HromadaExecutiveBody", oblast="UA-32"
    )


def _consent(actor: Actor, case: Case) -> object:
    return record_consent(
        actor=actor,
        case=case,
        legal_basis="Consent",
        purposes=["StatusApplication", "Shelter"],
        data_categories=["Identity", "CaseFacts"],
        recipient=None,
        given_on=dt.date(2016, 3, 15),
    )


# --- messages after writes ---------------------------------------------------------------


def test_registering_a_case_and_recording_consent_confirm_it(caseworker: User) -> None:
    client = logged_in(caseworker)
    response = client.post("/cases/new/", registration())
    assert response.status_code == 302
    assert shown_messages(client, response["Location"]) == ["The case was registered."]
    case = Case.objects.get()
    response = client.post(
        f"/cases/{case.id}/consents/new/",
        {
            "legal_basis": "Consent",
            "purposes": ["StatusApplication"],
            "data_categories": ["Identity"],
            "given_on": "2016-03-15",
        },
    )
    assert response.status_code == 302
    assert shown_messages(client, response["Location"]) == ["The consent was recorded."]


def test_sending_and_answering_a_referral_confirm_it(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    shelter: Agency,
    make_user: Callable[..., User],
) -> None:
    _consent(actor_a, shevchenko_case)
    client = logged_in(caseworker)
    response = client.post(
        f"/cases/{shevchenko_case.id}/referrals/new/",
        {"to_agency": str(shelter.id), "purpose": "Shelter", "data_categories": ["Identity"]},
    )
    assert response.status_code == 302
    assert shown_messages(client, response["Location"]) == ["The referral was sent."]
    referral = Referral.objects.get()
    them = logged_in(make_user("s.worker", shelter, "caseworker"))
    response = them.post(f"/referrals/{referral.id}/accept/")
    assert response.status_code == 302
    assert len(shown_messages(them, response["Location"])) == 1


def test_starting_a_screening_confirms_it(caseworker: User) -> None:
    client = logged_in(caseworker)
    response = client.post(
        "/screenings/new/", {"list_key": "adult_labour", "gender": "Masculine", "subject": "A.B."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert shown_messages(client, response["Location"]) == [
        "The screening was started. Answer the indicators that apply."
    ]


# --- the warning before withdrawing a consent -----------------------------------------------


def test_withdrawing_a_consent_first_lists_the_shares_it_ends(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    shelter: Agency,
    hromada: Agency,
    make_user: Callable[..., User],
) -> None:
    consent = _consent(actor_a, shevchenko_case)
    for agency, purpose in ((shelter, "Shelter"), (hromada, "StatusApplication")):
        referral = refer_case(
            actor=actor_a,
            case=shevchenko_case,
            to_agency=agency,
            purpose=purpose,
            data_categories=["Identity"],
        )
        recipient = actor_for(make_user(f"r.{agency.kind}", agency, "caseworker"))
        accept_referral(actor=recipient, referral=referral)
    client = logged_in(caseworker)
    case_page = client.get(f"/cases/{shevchenko_case.id}/").content.decode()
    assert f'href="/consents/{consent.id}/withdraw/"' in case_page
    page = client.get(f"/consents/{consent.id}/withdraw/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Withdrawing ends 2 referrals or shares at once" in html
    assert "2 agencies below see this case now through accepted referrals" in html
    warning = html[html.index('<table class="stack">') : html.index("</table>")]
    assert shelter.name in warning
    assert hromada.name in warning
    # Looking is not withdrawing.
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert Referral.objects.filter(state="active").count() == 2
    response = client.post(f"/consents/{consent.id}/withdraw/")
    assert response.status_code == 302
    assert shown_messages(client, response["Location"]) == [
        "The consent was withdrawn. 2 referrals or shares resting on it ended."
    ]
    assert set(Referral.objects.values_list("state", flat=True)) == {"ended"}
    # Withdrawn already: the page goes back to the case.
    assert client.get(f"/consents/{consent.id}/withdraw/").status_code == 302


def test_the_warning_is_in_ukrainian(
    shevchenko_case: Case, actor_a: Actor, caseworker: User
) -> None:
    consent = _consent(actor_a, shevchenko_case)
    client = logged_in(caseworker)
    client.cookies["django_language"] = "uk"
    html = client.get(
        f"/consents/{consent.id}/withdraw/", HTTP_ACCEPT_LANGUAGE="uk"
    ).content.decode()
    assert "Відкликати згоду" in html
    assert "Withdraw the consent" not in html


# --- no "---------" in any form ---------------------------------------------------------------


def test_no_select_offers_dashes_for_its_empty_option(
    objects: dict[str, str], make_user: Callable[..., User], agency_a: Agency
) -> None:
    """Every page of the site as a user of agency A holding every role there (the objects of
    tests/test_access.py belong to agency A): no select shows Django's "---------"."""
    everyone = make_user("all.roles", agency_a, "supervisor")
    for role in ("investigator", "border_guard", "trainer", "agency_admin", "coordinator"):
        Membership.objects.create(user=everyone, agency=agency_a, role=role)
    client = logged_in(everyone)
    forms_seen = choose = 0
    for name, route, _params in ALL_URLS:
        if name in PUBLIC or route.startswith("api/"):
            continue
        url = "/" + route
        for key, value in objects.items():
            url = url.replace(f"<uuid:{key}>", value).replace(f"<slug:{key}>", value)
        if "<" in url:  # an object tests/test_access.py does not make yet
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        assert "---------" not in body, name
        empty = re.findall(r'<option value=""(?: selected)?>([^<]*)</option>', body)
        if empty:
            forms_seen += 1
        # Each empty option says what it means: "— choose —", or "Any NRM partner".
        assert not {label.strip() for label in empty} & {"", "-", "—", "---------"}, name
        choose += empty.count("— choose —")
    assert forms_seen > 20
    assert choose > 50


# --- the registration form --------------------------------------------------------------------


def test_the_registration_form_has_sections_one_exploitation_list_and_citizenship_checkboxes(
    caseworker: User,
) -> None:
    html = logged_in(caseworker).get("/cases/new/").content.decode()
    # Optional parts collapsed; the essentials open.
    for key in ("identity_more", "origin", "context", "events"):
        assert f'<details class="section" id="section-{key}">' in html, key
    for key in ("person", "identification", "exploitation"):
        assert f'<fieldset class="section" id="section-{key}">' in html, key
    # One visible list of forms of exploitation (the law's); the HTCDS types follow from it.
    assert 'type="checkbox" name="ua_exploitation"' in html
    assert 'type="checkbox" name="exploitation"' not in html
    # Citizenship: checkboxes (no Ctrl-click) with a search field the script reveals.
    assert '<select name="citizenships"' not in html
    assert re.search(r'<input type="checkbox" name="citizenships" value="UA"[^>]*checked', html)
    assert 'id="id_citizenships_filter"' in html
    assert "opennrm/choice-filter.js" in html


def test_an_htcds_type_no_form_gives_survives_an_edit(caseworker: User) -> None:
    client = logged_in(caseworker)
    client.post("/cases/new/", registration())
    case = Case.objects.get()
    case.codes.create(list=codes.EXPLOITATION, code="ChildLabour")
    page = client.get(f"/cases/{case.id}/edit/").content.decode()
    # Carried unseen; the derived type (ForcedLabour from labour exploitation) is not.
    assert '<input type="hidden" name="exploitation" value="ChildLabour"' in page
    assert 'name="exploitation" value="ForcedLabour"' not in page
    data = registration(ua_exploitation=["SexualExploitation"], exploitation=["ChildLabour"])
    response = client.post(f"/cases/{case.id}/edit/", data)
    body = response.content.decode()
    assert response.status_code == 302, re.findall(r'<li><a href="#[^>]*>[^<]*</a></li>', body)
    # Labour exploitation removed: its derived type goes, child labour stays.
    assert case.codes_of(codes.EXPLOITATION) == ["ChildLabour", "SexualExploitation"]


def test_an_optional_part_with_a_value_opens(caseworker: User) -> None:
    client = logged_in(caseworker)
    client.post("/cases/new/", registration(place_of_stay="Київ"))
    case = Case.objects.get()
    page = client.get(f"/cases/{case.id}/edit/").content.decode()
    assert '<details class="section" id="section-identity_more" open>' in page
    assert '<details class="section" id="section-origin">' in page
