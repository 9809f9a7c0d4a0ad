"""Lists in a real browser (Ukrainian): the case list searched by name answers a GET address
without the name; Back and Forward work (no form resubmission, no ERR_CACHE_MISS); sorting by
keyboard; the status register of a hromada. Screenshots: lists-*.png."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.nrm.status import workflow as wf
from tests.browser.helpers import OpenPage, axe_violations, log_in, shot
from tests.conftest import person_input
from tests.nrm.test_status_support import application_in, build_world

pytestmark = pytest.mark.browser


def test_case_list_search_back_forward_sort_and_the_status_register(
    live_server: Any,
    open_page: OpenPage,
    make_user: Callable[..., User],
    make_case: Callable[..., Case],
) -> None:
    world = build_world(make_user, make_case)
    owner = world.actor(world.official)
    application_in(world, wf.AT_OBLAST, journal_number="12/2016")
    for first, family, day in (
        ("Марія", "Коваль", dt.date(2017, 2, 3)),
        ("Іван", "Бондар", dt.date(2015, 8, 19)),
        ("Ольга", "Шевченко", dt.date(2018, 11, 30)),
    ):
        make_case(owner, person_input(first=first, family=family), identified_on=day)

    page = open_page()
    log_in(page, world.official.username)
    page.goto("/cases/")
    expect(page.locator("table.cases tbody tr")).to_have_count(4)

    page.locator("#id_q").fill("Шевченко")
    page.locator("#id_status").select_option("Active")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cases/\?.*s="))
    assert "шевченко" not in unquote(page.url).casefold()
    expect(page.locator("table.cases tbody tr")).to_have_count(2)
    expect(page.locator("#id_q")).to_have_value("Шевченко")
    searched = page.url

    # Sort by the date of identification with the keyboard (a link in the header).
    header = page.locator("th[aria-sort] a", has_text="Виявлено")
    header.focus()
    page.keyboard.press("Enter")
    expect(page.locator("th[aria-sort='ascending']")).to_have_count(1)
    dates = page.locator("table.cases tbody td:nth-child(4)").all_inner_texts()
    assert dates == sorted(dates)
    shot(page, "lists-01-case-list-searched-sorted")
    assert axe_violations(page) == []

    # Back: the search page again (a GET: no resubmission, no cache miss); Forward: sorted.
    page.go_back()
    expect(page).to_have_url(searched)
    expect(page.locator("table.cases tbody tr")).to_have_count(2)
    page.go_forward()
    expect(page.locator("th[aria-sort='ascending']")).to_have_count(1)

    # Bulk close of the two cases found: a summary first, then the change.
    page.goto(searched)
    for box in page.locator("table.cases tbody input[type=checkbox]").all():
        box.check()
    # Nothing is chosen for the person, and the label keeps its asterisk on its line.
    expect(page.locator("#id_action")).to_have_value("")
    label = page.locator("label[for=id_action]").bounding_box()
    assert label is not None
    assert label["height"] < 30, label
    page.locator("#id_action").select_option("close")
    page.locator("#id_closure_reason").select_option("GoalsAchieved")
    page.locator("#bulk button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Підтвердьте зміну")
    expect(page.locator("table.cases tbody tr")).to_have_count(2)
    shot(page, "lists-03-bulk-close-confirm")
    assert axe_violations(page) == []
    page.locator("button", has_text="Змінити ці справи").click()
    expect(page.locator(".messages")).to_contain_text("Змінено 2 справи")
    expect(page).to_have_url(searched)

    # The hromada's register of status applications.
    page.goto("/status/register/")
    expect(page.locator("h1")).to_have_text("Реєстр прийнятих заяв про встановлення статусу")
    expect(page.locator("table.cases tbody tr")).to_have_count(1)
    expect(page.locator("table.cases tbody")).to_contain_text("12/2016")
    shot(page, "lists-02-status-register")
    assert axe_violations(page) == []
