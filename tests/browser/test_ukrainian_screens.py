"""Ukrainian pages in Chromium after the language pass: the statistics dashboard (oblast names
on the tile map, age bands), the referral list (Від кого / Кому), the audit trail (actions in
words) and a help page. Screenshots in test-artifacts/screenshots/lang-*.png."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.referrals.services import refer_case
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.tenancy.services import set_agency_names
from tests.browser.helpers import OpenPage, log_in, shot
from tests.conftest import person_input, record_basis


@pytest.mark.browser
def test_ukrainian_pages_in_the_browser(
    open_page: OpenPage,
    make_case: Callable[..., Case],
    make_user: Callable[..., User],
    actor_a: Actor,
    agency_a: Agency,
    agency_b: Agency,
) -> None:
    set_agency_names(agency=agency_a, name_uk="ГО «Надія» (синтетична)")
    set_agency_names(agency=agency_b, name_uk="Поліція Харкова (синтетична)")
    surnames = "Мельник Ткаченко Бондар Кравець Лисенко Руденко Гончар Савченко Мороз Павленко"
    cases = [
        make_case(actor_a, person_input("Петро", surname, f"19{60 + n}-02-11"))
        for n, surname in enumerate(surnames.split())
    ]
    record_basis(actor_a, cases[0], purpose="Legal")
    refer_case(
        actor=actor_a,
        case=cases[0],
        to_agency=agency_b,
        purpose="Legal",
        data_categories=["Identity"],
    )
    msp = Agency.objects.create(name="Ministry (synthetic)", kind="MinistryOfSocialPolicy")
    statistician = make_user("lang.statistician", msp, "statistician")
    admin = make_user("lang.sysadmin", msp, "sysadmin")

    page = open_page()
    log_in(page, actor_a.user.username)
    page.goto("/referrals/?direction=outgoing")
    expect(page.get_by_role("columnheader", name="Кому")).to_be_visible()
    expect(page.get_by_text("Поліція Харкова (синтетична)").first).to_be_visible()
    shot(page, "lang-referral-list")
    page.get_by_role("link", name="Довідка").click()
    expect(page.get_by_role("heading", name="Довідка: Перенаправлення")).to_be_visible()
    expect(page.get_by_role("heading", name="Правова основа")).to_be_visible()
    shot(page, "lang-help-referrals")

    page = open_page()  # a passkey role: its own browser context (one virtual authenticator)
    log_in(page, statistician.username)
    page.goto("/statistics/?start=1900-01-01&end=2100-12-31")
    expect(page.locator("svg.tile-map").first).to_be_visible()
    expect(page.locator("svg.tile-map .tile-code", has_text="Харків").first).to_be_attached()
    shot(page, "lang-statistics")

    page = open_page()
    log_in(page, admin.username)
    page.goto("/audit/")
    expect(page.get_by_text("Перенаправлення: надіслано").first).to_be_visible()
    shot(page, "lang-audit-log")
