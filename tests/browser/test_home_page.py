"""The start page and the notifications in a real browser (issue 10, items 1 and 2): a
caseworker with referrals to answer and a decision-maker with a file to decide, in Ukrainian;
the badge, the bell, the notification page; axe-core on each; screenshots to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.notices.producer import produce
from opennrm.nrm.referrals.services import refer_case
from opennrm.nrm.status import workflow as wf
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from tests.browser.helpers import CYRILLIC, OpenPage, axe_violations, log_in, shot
from tests.conftest import record_basis
from tests.nrm.test_status_support import application_in, build_world

pytestmark = pytest.mark.browser


@pytest.mark.browser
def test_the_caseworkers_start_page_badge_and_bell(
    live_server: Any,
    open_page: OpenPage,
    actor_a: Actor,
    make_case: Callable[..., Case],
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    for purpose in ("Legal", "Shelter", "Legal"):
        case = make_case(actor_a)
        record_basis(actor_a, case, purpose=purpose)
        refer_case(
            actor=actor_a,
            case=case,
            to_agency=agency_b,
            purpose=purpose,
            data_categories=["Identity"],
        )
    produce()
    page = open_page()
    log_in(page, recipient.username)
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Ваш робочий день")
    expect(page.locator("nav a[href='/action-needed/'] .nav-badge")).to_contain_text("3")
    expect(page.locator("a.bell .nav-badge")).to_have_text("3")
    rows = page.locator("#waiting-title ~ table tbody tr")
    expect(rows).to_have_count(3)
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert len(set(texts)) == 3
    assert all(CYRILLIC.search(t) for t in texts)
    assert axe_violations(page) == []
    shot(page, "home-caseworker-uk")
    page.locator("a.bell").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.locator("tbody tr")).to_have_count(3)
    notices = page.locator("tbody tr")
    assert len({notices.nth(i).inner_text() for i in range(3)}) == 3  # each names its case
    assert axe_violations(page) == []
    shot(page, "notifications-caseworker-uk")
    page.locator("tbody tr a").first.click()
    expect(page).to_have_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    expect(page.locator("a.bell .nav-badge")).to_have_text("2")
    page.goto("/notifications/preferences/")
    assert axe_violations(page) == []
    shot(page, "notification-preferences-uk")


@pytest.mark.browser
def test_the_decision_makers_start_page(
    live_server: Any,
    open_page: OpenPage,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
) -> None:
    world = build_world(make_user, make_case)
    application_in(world, wf.AT_NATIONAL)
    page = open_page()
    log_in(page, world.decider.username)
    page.goto("/")
    expect(page.locator("#decide-title")).to_be_visible()
    expect(page.locator("#decide-title ~ table tbody tr")).to_have_count(1)
    expect(page.locator("#decide-title ~ table tbody tr")).to_contain_text("17/2016")
    assert axe_violations(page) == []
    shot(page, "home-decision-maker-uk")
