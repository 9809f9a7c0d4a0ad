"""In Chromium at 1,280 px, in Ukrainian: the registration form in sections with a searchable
citizenship list, the referral list inside the page, the warning before withdrawing a consent,
the agency admin's pages. Screenshots go to test-artifacts/screenshots/ to look at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.browser.helpers import OpenPage, log_in, shot

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Page) -> None:
    """The page itself never scrolls sideways at 1,280 px (a wide table scrolls in its box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width


def test_forms_lists_and_warnings_at_1280(
    open_page: OpenPage,
    caseworker: User,
    actor_a: Actor,
    shevchenko_case: Case,
    make_user: Callable[..., User],
) -> None:
    consent = record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["StatusApplication", "Shelter"],
        data_categories=["Identity", "CaseFacts", "Contact"],
        recipient=None,
        given_on=dt.date(2016, 3, 15),
    )
    for name, kind, purpose in (
        ("Притулок «Надія», Одеса (synthetic)", "Shelter", "Shelter"),
        (
            "Виконавчий комітет Білоцерківської міської ради (synthetic)",
            "HromadaExecutiveBody",
            "StatusApplication",
        ),
    ):
        agency = Agency.objects.create(name=name, kind=kind, oblast="UA-51")
        referral = refer_case(
            actor=actor_a,
            case=shevchenko_case,
            to_agency=agency,
            purpose=purpose,
            data_categories=["Identity", "CaseFacts"],
        )
        accept_referral(
            actor=actor_for(make_user(f"r.{kind}", agency, "caseworker")), referral=referral
        )
    page = open_page()
    log_in(page, caseworker.username)

    # The registration form: the essentials open, the optional parts collapsed.
    page.goto("/cases/new/")
    expect(page.locator("#section-context")).not_to_have_attribute("open", "")
    expect(page.locator("input[name=labour_industry]").first).to_be_hidden()
    expect(page.locator("select")).not_to_contain_text(["---------"])
    expect(page.locator("#id_channel option").first).to_have_text("— оберіть —")
    # Citizenship: Ukraine ticked and shown; typing finds Moldova, ticking keeps it.
    citizenship = page.locator("#id_citizenships_choices")
    expect(citizenship.locator("label.choice:visible")).to_have_count(1)
    page.locator("#id_citizenships_filter").fill("молд")
    expect(citizenship.locator("label.choice:visible")).to_have_count(2)
    page.locator("input[name=citizenships][value=MD]").check()
    page.locator("#id_citizenships_filter").fill("")
    expect(citizenship.locator("input:checked")).to_have_count(2)
    no_sideways_scroll(page)
    shot(page, "admin-01-registration-form")
    assert page.evaluate("document.documentElement.scrollHeight") < 2300

    # The referral list: sent referrals, inside the page at 1,280 px.
    page.goto("/referrals/?direction=outgoing")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    no_sideways_scroll(page)
    shot(page, "admin-02-referral-list")

    # Withdrawing the consent: first the two shares it ends.
    page.goto(f"/cases/{shevchenko_case.id}/")
    page.locator(f"a[href='/consents/{consent.id}/withdraw/']").click()
    warning = page.locator(".warning")
    expect(warning).to_contain_text("2")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    no_sideways_scroll(page)
    shot(page, "admin-03-consent-withdraw")
    page.locator("main form button.danger").click()
    expect(page.locator(".messages .success")).to_contain_text("Згоду відкликано")


def test_the_agency_admin_pages_at_1280(
    open_page: OpenPage, make_user: Callable[..., User], agency_a: Agency, caseworker: User
) -> None:
    admin = make_user("anna.admin", agency_a, "agency_admin")
    make_user("petro.investigator", agency_a, "investigator")
    page = open_page()
    log_in(page, admin.username)
    page.locator("header nav a[href='/accounts/agency/']").click()
    expect(page.locator("main h1")).to_have_text("Адміністрування установи")
    shot(page, "admin-04-agency-administration")
    page.locator("main a[href='/accounts/users/new/']").first.click()
    page.locator("#id_username").fill("nova.worker")
    page.locator("input[name=roles][value=caseworker]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#initial-password")).to_be_visible()
    shot(page, "admin-05-new-user-password")
    page.goto("/accounts/users/")
    expect(page.locator("main table tbody tr")).to_have_count(4)
    no_sideways_scroll(page)
    shot(page, "admin-06-users")
    page.locator("main a", has_text=caseworker.username).click()
    page.locator("input[name=roles][value=supervisor]").check()
    page.locator("main form[action$='/roles/'] button").click()
    expect(page.locator(".messages .success")).to_be_visible()
    shot(page, "admin-07-user-detail")
