"""A working day of six roles, each from the start page, in Ukrainian and in English (issue 10).

The hromada official has an application whose interview is overdue, the oblast official a file
to forward, the National Social Service's decision-maker a file to decide (and sees the person
it decides on, through the forward's share); the NGO caseworker finds her client by a spelling
the official transliteration would not give; the coordinator lands on the
country's figures and the linkage queue; the agency administrator on her agency's users. Nobody
lands on "access denied". Screenshots of every start page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency
from tests.browser.helpers import OpenPage, log_in, shot
from tests.nrm.test_status_support import application_in, build_world

pytestmark = pytest.mark.browser

EN = "en-US"
START = {"uk": "Ваш робочий день", "en": "Your working day"}
WAITING = {"uk": "Що на вас чекає", "en": "What waits for you"}


def start_page(page: Page, language: str) -> None:
    """The start page in `language`: its heading, and no refusal."""
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main h1")).to_have_text(START[language])
    expect(page.locator("main")).not_to_contain_text("Доступ заборонено")
    expect(page.locator("main")).not_to_contain_text("Access denied")


def switch_to(page: Page, language: str) -> None:
    page.locator(f"header form.lang button[value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def open_waiting_item(page: Page, reference: str) -> None:
    """Click the waiting item of the case `reference` on the start page."""
    row = page.locator("main section.card table tbody tr").filter(has_text=reference).first
    expect(row).to_be_visible()
    row.locator("a").first.click()


@pytest.mark.browser
def test_a_working_day_of_six_roles_from_the_start_page(
    live_server: Any,
    open_page: OpenPage,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
    caseworker: User,
    agency_a: Agency,
    shevchenko_case: Case,
) -> None:
    world = build_world(make_user, make_case)
    # Three status files of the hromada's clients, one at each level.
    at_hromada = application_in(world, wf.REGISTERED, journal_number="11/2016")
    second = dataclasses.replace(
        world, case=make_case(actor_for(world.official), identified_on=dt.date(2016, 3, 14))
    )
    at_oblast = application_in(second, wf.AT_OBLAST, journal_number="12/2016")
    third = dataclasses.replace(
        world, case=make_case(actor_for(world.official), identified_on=dt.date(2016, 3, 14))
    )
    at_national = application_in(third, wf.AT_NATIONAL, journal_number="13/2016")
    references = {
        app.id: Case.objects.get(id=app.case_id).reference
        for app in (at_hromada, at_oblast, at_national)
    }
    coordinator_agency = Agency.objects.create(
        name="Ministry of Social Policy, national coordinator (synthetic)",
        kind="MinistryOfSocialPolicy",
    )
    coordinator = make_user("maryna.coordinator", coordinator_agency, "coordinator")
    admin = make_user("alla.admin", agency_a, "agency_admin")

    # --- The hromada official: the overdue interview first, then the application. --------------
    hromada = open_page()
    log_in(hromada, world.official.username)
    start_page(hromada, "uk")
    waiting = hromada.locator("main section[aria-labelledby=waiting-title]")
    expect(waiting).to_contain_text(WAITING["uk"])
    expect(waiting.locator("tbody tr.is-overdue").first).to_contain_text(references[at_hromada.id])
    expect(hromada.locator("header")).to_contain_text(re.compile(r"\d"))  # the count badge
    shot(hromada, "day-01-hromada-start-uk")
    open_waiting_item(hromada, references[at_hromada.id])
    expect(hromada).to_have_url(re.compile(rf"/status-applications/{at_hromada.id}/"))
    expect(hromada.locator("main")).to_contain_text("11/2016")
    switch_to(hromada, "en")
    start_page(hromada, "en")
    expect(hromada.locator("main section[aria-labelledby=waiting-title]")).to_contain_text(
        references[at_hromada.id]
    )
    shot(hromada, "day-02-hromada-start-en")

    # --- The oblast official: the file to forward. ---------------------------------------------
    oblast = open_page()
    log_in(oblast, world.oblast_official.username)
    start_page(oblast, "uk")
    open_waiting_item(oblast, references[at_oblast.id])
    expect(oblast).to_have_url(re.compile(rf"/status-applications/{at_oblast.id}/"))
    shot(oblast, "day-03-oblast-application-uk")
    switch_to(oblast, "en")
    start_page(oblast, "en")
    expect(oblast.locator("main")).to_contain_text(references[at_oblast.id])

    # --- The NSS decision-maker: the file to decide, with the person it is about. --------------
    decider = open_page()
    log_in(decider, world.decider.username)
    start_page(decider, "uk")
    to_decide = decider.locator("main section[aria-labelledby=decide-title]")
    expect(to_decide).to_contain_text(references[at_national.id])
    expect(to_decide).not_to_contain_text(references[at_oblast.id])
    shot(decider, "day-04-decider-start-uk")
    to_decide.locator("a").first.click()
    expect(decider).to_have_url(re.compile(rf"/status-applications/{at_national.id}/"))
    expect(decider.locator("main")).to_contain_text("Шевченко")  # the file, through the share
    case_answer = decider.goto(f"/cases/{at_national.case_id}/")
    assert case_answer is not None
    assert case_answer.status == 200
    not_yet = decider.goto(f"/cases/{at_oblast.case_id}/")
    assert not_yet is not None
    assert not_yet.status == 404
    switch_to(decider, "en")
    start_page(decider, "en")
    expect(decider.locator("main section[aria-labelledby=decide-title]")).to_contain_text(
        references[at_national.id]
    )
    shot(decider, "day-05-decider-start-en")

    # --- The NGO caseworker: her client by a passport spelling, and a note. --------------------
    ngo = open_page()
    log_in(ngo, caseworker.username)
    start_page(ngo, "uk")
    recent = ngo.locator("main section[aria-labelledby=recent-title]")
    expect(recent).to_contain_text(shevchenko_case.reference)
    shot(ngo, "day-06-caseworker-start-uk")
    ngo.goto("/cases/")
    ngo.locator("#id_q").fill("Oleksandr Shevchenko")
    ngo.locator("form.filters button[type=submit]").click()
    expect(ngo).to_have_url(re.compile(r"/cases/\?.*s="))
    assert "Shevchenko" not in ngo.url
    assert "Oleksandr" not in ngo.url
    rows = ngo.locator("table.cases tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(shevchenko_case.reference)
    # The address can be bookmarked: the same results after going away and back.
    bookmark = ngo.url
    ngo.goto("/")
    ngo.goto(bookmark)
    expect(ngo.locator("table.cases tbody tr")).to_have_count(1)
    switch_to(ngo, "en")
    start_page(ngo, "en")
    expect(ngo.locator("main")).to_contain_text(shevchenko_case.reference)
    shot(ngo, "day-07-caseworker-start-en")

    # --- The coordinator: the country's figures and the linkage queue. -------------------------
    coord = open_page()
    log_in(coord, coordinator.username)
    start_page(coord, "uk")
    lists = coord.locator("main section[aria-labelledby=lists-title]")
    expect(lists).to_contain_text("Пари реєстрацій для перевірки")
    shot(coord, "day-08-coordinator-start-uk")
    lists.locator("a", has_text="Пари реєстрацій для перевірки").click()
    expect(coord.locator("main h1")).to_be_visible()
    assert coord.url.rstrip("/") != live_server.url
    switch_to(coord, "en")
    start_page(coord, "en")
    expect(coord.locator("main")).to_contain_text("Pairs of registrations to review")

    # --- The agency administrator: her agency's users. -----------------------------------------
    manager = open_page()
    log_in(manager, admin.username)
    start_page(manager, "uk")
    admin_lists = manager.locator("main section[aria-labelledby=lists-title]")
    expect(admin_lists).to_contain_text("Користувачі вашої установи")
    shot(manager, "day-09-agency-admin-start-uk")
    admin_lists.locator("a", has_text="Користувачі вашої установи").click()
    expect(manager.locator("main")).to_contain_text(caseworker.username)
    expect(manager.locator("main")).not_to_contain_text(world.official.username)
    switch_to(manager, "en")
    start_page(manager, "en")
    expect(manager.locator("main")).to_contain_text("Users of your agency")
    shot(manager, "day-10-agency-admin-start-en")

    assert StatusApplication.objects.count() == 3
