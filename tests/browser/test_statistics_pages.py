"""The statistics and linkage pages in Chromium: no serious or critical accessibility
violations (axe), the charts drawn, a linkage decision by keyboard, and the public page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.linkage import services as linkage
from opennrm.linkage.models import CandidatePair
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.browser.helpers import OpenPage, axe_violations, log_in, log_out, shot
from tests.conftest import person_input


@pytest.fixture
def statistician(make_user: Callable[..., User]) -> User:
    msp = Agency.objects.create(
        name="Ministry of Social Policy (synthetic)", kind="MinistryOfSocialPolicy"
    )
    return make_user("msp.statistician", msp, "statistician")


@pytest.mark.browser
def test_statistics_and_linkage_pages_are_accessible(
    open_page: OpenPage,
    statistician: User,
    make_case: Callable[..., Case],
    make_user: Callable[..., User],
    actor_a: Actor,
    agency_b: Agency,
) -> None:
    police = actor_for(make_user("olha.police", agency_b, "investigator"))
    # Distinct persons: linkage runs here, and names differ by letters (digits are not names).
    surnames = "Мельник Ткаченко Бондар Кравець Лисенко Руденко Гончар Савченко Мороз Павленко"
    for number, surname in enumerate([*surnames.split(), "Левченко", "Марченко"]):
        make_case(actor_a, person_input("Петро", surname, f"19{60 + number}-02-11"))
    make_case(actor_a, person_input("Олександр", "Шевченко", "1987-03-05"))
    make_case(police, person_input("Oleksandr", "Shevchenko", "1987-03-05"))
    linkage.execute_run(linkage.start_run(actor=None, enqueue=False).id)
    pair = CandidatePair.objects.order_by("-probability").first()
    assert pair is not None

    found: dict[str, list[str]] = {}
    page = open_page()

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    log_in(page, statistician.username)
    page.goto("/statistics/?start=2016-01-01&end=2016-12-31")
    expect(page.locator("svg.bars").first).to_be_visible()
    expect(page.locator("svg.tile-map").first).to_be_visible()
    shot(page, "40-statistics")
    check("statistics dashboard")
    page.goto("/linkage/")
    check("linkage overview")
    page.goto("/linkage/queue/?show=automatic")
    check("review queue")
    page.goto(f"/linkage/pairs/{pair.id}/")
    shot(page, "41-linkage-pair")
    check("side-by-side pair")
    # Decide by keyboard: the first decision button takes focus and Enter records it.
    button = page.locator("form button[name=decision][value=unsure]")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    log_out(page)
    page.goto("/public/statistics/")
    check("public statistics")
    assert not found, "\n\n".join(f"{name}:\n" + "\n".join(v) for name, v in found.items())
    pair.refresh_from_db()
    assert pair.decision == CandidatePair.Decision.UNSURE
